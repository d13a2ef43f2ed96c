import * as fs from "fs";
import * as path from "path";

const root = path.resolve(__dirname, "..");
/** Folders no one reads as the repository: installed, built, local state and tools. */
const SKIPPED = new Set([
  "node_modules",
  "dist",
  "coverage",
  ".git",
  ".pulumi",
  ".pulumi-state",
  ".tools",
]);

/** Every text file of the repository, relative to its root. */
function repositoryFiles(dir = root): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED.has(entry.name) ? [] : repositoryFiles(full);
    return /\.(ts|js|mjs|cjs|json|md|ya?ml|sh)$/.test(entry.name) || entry.name === "run"
      ? [path.relative(root, full)]
      : [];
  });
}

// The names are put together here so that this file does not hold them itself.
const OUTSIDE = [["DESIGN", "md"].join("."), ["STYLE", "md"].join("."), ["..", "shared"].join("/")];

describe("the repository stands alone", () => {
  const files = repositoryFiles();

  it("reads its files", () => {
    expect(files).toEqual(
      expect.arrayContaining(["README.md", "Pulumi.global.yaml", "docs/driver.md"]),
    );
  });

  it("refers to no document outside it", () => {
    const offenders = files.flatMap((file) => {
      const text = fs.readFileSync(path.join(root, file), "utf8");
      return OUTSIDE.filter((name) => text.includes(name)).map((name) => `${file}: ${name}`);
    });
    expect(offenders).toEqual([]);
  });

  it("runs the CLI without npx in what people and CodeBuild read: README, docs, buildspecs, stack files", () => {
    const read = files.filter(
      (f) =>
        /\.md$/.test(f) ||
        /^Pulumi\..*\.yaml$/.test(f) ||
        (f.startsWith("components/buildspecs/") && f.endsWith(".yml")),
    );
    expect(read.length).toBeGreaterThan(10);
    const npx = ["npx", "silkroute"].join(" ");
    expect(read.filter((f) => fs.readFileSync(path.join(root, f), "utf8").includes(npx))).toEqual(
      [],
    );
  });
});
