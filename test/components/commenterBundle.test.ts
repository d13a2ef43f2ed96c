import * as fs from "fs";
import * as path from "path";
import { buildCommenterBundle, commenterBundleAt } from "../../components/commenterBundle";
import { projectRoot } from "../../components/projectRoot";
import { tempDir } from "../helpers/tempDir";

/*
 * The poster bundle is kept between runs and used again only while every file
 * it was built from is unchanged: a stale bundle would deploy code that is not
 * the repository's. Each test works on a copy of the sources (the packages are
 * the checkout's, by a link) with its own cache file.
 */

/** A copy of the sources the bundle is built from, and a cache file of its own. */
function checkoutCopy(): { root: string; cache: string } {
  const root = tempDir("silkroute-commenter-");
  for (const entry of ["automation", "components", "tsconfig.json", "package-lock.json"]) {
    fs.cpSync(path.join(projectRoot(), entry), path.join(root, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(projectRoot(), "node_modules"), path.join(root, "node_modules"), "dir");
  settle(root);
  return { root, cache: path.join(tempDir("silkroute-commenter-cache-"), "bundle.json") };
}

/** Dates every copied file an hour back: a bundle of files changed moments ago is not kept. */
function settle(dir: string): void {
  const hourAgo = new Date(Date.now() - 3_600_000);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const at = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) settle(at);
    else fs.utimesSync(at, hourAgo, hourAgo);
  }
}

/** Replaces the text the cache holds, so a result taken from the cache is recognisable. */
function markCache(cache: string): string {
  const marker = "/* from the cache */";
  const kept = JSON.parse(fs.readFileSync(cache, "utf8")) as Record<string, unknown>;
  fs.writeFileSync(cache, JSON.stringify({ ...kept, text: marker }));
  return marker;
}

describe("the poster bundle's cache", () => {
  const copy = checkoutCopy();
  let built: string;

  beforeAll(() => {
    built = buildCommenterBundle(copy.root).text;
  });

  beforeEach(() => {
    fs.rmSync(copy.cache, { force: true });
    settle(copy.root);
  });

  it("is the bundle esbuild builds, and is used while no file it was built from changed", () => {
    // given / when
    const first = commenterBundleAt(copy.root, copy.cache);
    const marker = markCache(copy.cache);
    // then
    expect(first).toBe(built);
    expect(commenterBundleAt(copy.root, copy.cache)).toBe(marker);
  });

  it.each([
    ["a source of the poster", path.join("automation", "comments", "render.ts")],
    ["the lock file", "package-lock.json"],
    ["the compiler options", "tsconfig.json"],
  ])("is built again when %s changes", (_, file) => {
    // given
    commenterBundleAt(copy.root, copy.cache);
    const marker = markCache(copy.cache);
    // when
    fs.appendFileSync(path.join(copy.root, file), "\n");
    const text = commenterBundleAt(copy.root, copy.cache);
    // then
    expect(text).not.toBe(marker);
    expect(text).toBe(buildCommenterBundle(copy.root).text);
  });

  it.each([
    [
      "a module esbuild prefers to one it bundled",
      path.join("automation", "commenter", "config.tsx"),
    ],
    ["a tsconfig.json of a source folder", path.join("automation", "commenter", "tsconfig.json")],
  ])("is built again when %s is added, though no input changed", (_, added) => {
    // given
    commenterBundleAt(copy.root, copy.cache);
    const marker = markCache(copy.cache);
    // when
    // (the .tsx a copy of the .ts it shadows, so the build still succeeds)
    const content = added.endsWith(".tsx")
      ? fs.readFileSync(path.join(copy.root, added.replace(/x$/, "")), "utf8")
      : "{}\n";
    fs.writeFileSync(path.join(copy.root, added), content);
    try {
      // then
      expect(commenterBundleAt(copy.root, copy.cache)).not.toBe(marker);
    } finally {
      fs.rmSync(path.join(copy.root, added));
    }
  });

  it("is not kept when a file it was built from changed while esbuild read it", () => {
    // given a source changed as the build begins
    const source = path.join(copy.root, "automation", "comments", "render.ts");
    fs.utimesSync(source, new Date(), new Date());
    try {
      // when
      const built = buildCommenterBundle(copy.root);
      commenterBundleAt(copy.root, copy.cache);
      // then
      expect(built.settled).toBe(false);
      expect(fs.existsSync(copy.cache)).toBe(false);
    } finally {
      settle(copy.root);
    }
    // and once the checkout is still, the next build is kept
    expect(buildCommenterBundle(copy.root).settled).toBe(true);
  });

  it("is built again when a package file it bundles is not the one it was built from", () => {
    // given: the packages are the checkout's, shared, so the record is what differs
    commenterBundleAt(copy.root, copy.cache);
    const kept = JSON.parse(fs.readFileSync(copy.cache, "utf8")) as {
      inputs: Record<string, string>;
    };
    const packageFile = Object.keys(kept.inputs).find((f) => f.includes("node_modules/zod/"));
    expect(packageFile).toBeDefined();
    const inputs = { ...kept.inputs, [packageFile!]: "0".repeat(64) };
    fs.writeFileSync(copy.cache, JSON.stringify({ ...kept, inputs, text: "stale" }));
    // when / then
    expect(commenterBundleAt(copy.root, copy.cache)).toBe(built);
  });

  it.each([
    ["is not JSON", "{"],
    ["was written by another esbuild or with other options", "KEY"],
  ])("is built again when the cache file %s", (_, content) => {
    // given
    commenterBundleAt(copy.root, copy.cache);
    const kept = JSON.parse(fs.readFileSync(copy.cache, "utf8")) as Record<string, unknown>;
    fs.writeFileSync(
      copy.cache,
      content === "KEY" ? JSON.stringify({ ...kept, key: "other", text: "stale" }) : content,
    );
    // when / then
    expect(commenterBundleAt(copy.root, copy.cache)).toBe(built);
  });

  it("is built again for another checkout that shares the cache (node_modules by a link)", () => {
    // given
    commenterBundleAt(copy.root, copy.cache);
    const marker = markCache(copy.cache);
    const other = checkoutCopy();
    // when / then
    expect(commenterBundleAt(other.root, copy.cache)).not.toBe(marker);
    expect(commenterBundleAt(copy.root, copy.cache)).toBe(built);
  });

  it("still returns the bundle when the cache cannot be written", () => {
    // given: the cache's folder is a file
    const blocked = path.join(tempDir("silkroute-commenter-ro-"), "file");
    fs.writeFileSync(blocked, "");
    // when / then
    expect(commenterBundleAt(copy.root, path.join(blocked, "bundle.json"))).toBe(built);
  });
});
