import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { pathToFileURL } from "url";
import type { PlanDocument } from "../../automation/plan/types";
import { GOLDEN_PLAN } from "../helpers/golden";
import { tempDir } from "../helpers/tempDir";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS build script
const { EXTERNAL } = require("../../scripts/bundle.js") as { EXTERNAL: string[] };
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the bench's topologies
const { scaleProject } = require("../../bench/bench.js") as {
  scaleProject(envs: number, regions: number): string;
};

// `silkroute plan` as the README runs it: bin/silkroute.js, the bundle and its code cache, built
// here from the sources (scripts/bundle.js, as `npm run build` does).
const root = path.resolve(__dirname, "../..");
const bundle = path.join(root, "dist", "bundle", "plan.js");
const loader = path.join(root, "dist", "bundle", "load.js");
let scratch: string;
/** One `node bin/silkroute.js plan --json`, recording the files it loads and V8's coverage. */
let planned: { status: number | null; stdout: string; loaded: string[]; coverage: string };

beforeAll(() => {
  const built = spawnSync(process.execPath, ["scripts/bundle.js"], { cwd: root, encoding: "utf8" });
  expect(built.stderr).toBe("");
  expect(built.status).toBe(0);
  scratch = tempDir("silkroute-bundle-");
  const record = path.join(scratch, "loaded.json");
  const coverage = path.join(scratch, "coverage");
  const result = node(
    ["--require", "./test/helpers/loadedFiles.js", "bin/silkroute.js", "plan", "--json"],
    { SILKROUTE_TEST_LOADED: record, NODE_V8_COVERAGE: coverage },
  );
  planned = {
    status: result.status,
    stdout: result.stdout,
    loaded: JSON.parse(fs.readFileSync(record, "utf8")),
    coverage,
  };
}, 120_000);
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** Runs `node <args>` from the project root; `env` is added to this process's environment. */
function node(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, args, {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, ...env },
    maxBuffer: 1 << 28,
  });
}

describe("the plan bundle", () => {
  it("prints exactly the golden plan", () => {
    expect(planned.status).toBe(0);
    expect(planned.stdout === fs.readFileSync(GOLDEN_PLAN, "utf8")).toBe(true);
  });

  it("loads from node_modules only the packages the bundle leaves external: @pulumi/pulumi is the bundle's own, and TypeScript, arborist, yargs and the AWS SDK are not loaded", () => {
    expect(planned.loaded).toContain(loader);
    const external = EXTERNAL.map(
      (p) => `${path.sep}node_modules${path.sep}${p.replace("*", "").split("/").join(path.sep)}`,
    );
    const fromNodeModules = planned.loaded.filter((f) =>
      f.includes(`${path.sep}node_modules${path.sep}`),
    );
    expect(fromNodeModules.filter((f) => !external.some((e) => f.includes(e)))).toEqual([]);
    expect(fromNodeModules.filter((f) => /yargs/.test(f))).toEqual([]);
    // and nothing tsc compiled: the exit status too is set by the bundle's own code
    const compiled = `${path.sep}dist${path.sep}`;
    const bundled = `${compiled}bundle${path.sep}`;
    expect(planned.loaded.filter((f) => f.includes(compiled) && !f.includes(bundled))).toEqual([]);
  });

  it("runs no module of @pulumi/pulumi's Automation API, gRPC, TypeScript, arborist, yargs or the AWS SDK inside the bundle", () => {
    // given V8's coverage of the run, where each bundled module's wrapper is named by its path
    const initialized = bundledModulesRun(planned.coverage);
    expect(initialized).toContain("node_modules/@pulumi/pulumi/runtime/index.js");
    expect(initialized).toContain("node_modules/@pulumi/aws/s3/bucket.js");
    const unwanted =
      /@pulumi\/pulumi\/automation\/|@grpc\/grpc-js\/|_grpc_pb\.js|typescript|arborist|yargs|@aws-sdk\//;
    expect(initialized.filter((m) => unwanted.test(m))).toEqual([]);
  });

  it("leaves gRPC and protobufjs out of the bundle (they hold no @pulumi/pulumi state; a plan never loads them)", () => {
    const text = fs.readFileSync(bundle, "latin1");
    expect(text).toContain('"node_modules/@pulumi/pulumi/proto/resource_grpc_pb.js"');
    expect(text.match(/"node_modules\/(@grpc\/grpc-js|protobufjs)\/[^"]*"/g)).toBeNull();
  });

  it("parses its config without zod compiling a parser of each schema (one parse does not repay it)", () => {
    const run = bundledFunctionsRun(planned.coverage);
    expect(run).toContain("safeParse");
    expect(run.filter((name) => /^generateFastpass$/.test(name))).toEqual([]);
  });

  it("runs neither semver (Pulumi compares no package versions in a plan) nor yaml-cfn (the shipped app has no template)", () => {
    const initialized = bundledModulesRun(planned.coverage);
    expect(initialized.filter((m) => /node_modules\/(semver|yaml-cfn)\//.test(m))).toEqual([]);
  });

  it("loads neither the IAM data package (the engine looks nothing up in a plan) nor Node's fs/promises, readline or file streams, which copying fs's getters would", () => {
    // given a run whose built-in modules are recorded from the start (test/helpers/loadedFiles.js)
    expect(planned.loaded).toContain("node:vm");
    // then
    const unwanted = /iam-data|^node:internal\/(fs\/promises|fs\/streams|readline\/)/;
    expect(planned.loaded.filter((f) => unwanted.test(f.split(path.sep).join("/")))).toEqual([]);
  });

  it("hands what plain flags cannot say to yargs, loaded from node_modules as the bundle runs (no dynamic import in a vm.Script)", () => {
    // when a flag is misspelt, which only yargs reports
    const result = node(["bin/silkroute.js", "plan", "--jsn"]);
    // then
    expect({ status: result.status, stderr: result.stderr }).toEqual({
      status: 2,
      stderr:
        "silkroute: unknown option --jsn; did you mean --json? (silkroute plan --help lists the options)\n",
    });
  });

  it("ends quietly with its own exit code when the reader of its output goes away (plan --json | head -c 300)", async () => {
    // given a plan whose reader takes the first 300 bytes and closes the pipe
    const child = spawn(process.execPath, ["bin/silkroute.js", "plan", "--json"], { cwd: root });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    let read = 0;
    child.stdout.on("data", (chunk: Buffer) => {
      read += chunk.length;
      if (read >= 300) child.stdout.destroy();
    });
    // when it ends
    const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
    // then: the plan's own lines on stderr and its exit code, no write error and no stack trace
    expect(read).toBeGreaterThanOrEqual(300);
    expect({ status, stderr: stderr.split("\n") }).toEqual({
      status: 0,
      stderr: [
        expect.stringMatching(/^Planning \d+ stacks offline .*nothing is created or changed$/),
        expect.stringMatching(/^\d+ stacks, \d+ resources, 0 violations of \d+ rules$/),
        "",
      ],
    });
  });

  it("runs without V8's optimizing compilers once its code is loaded (a plan is too short for them to pay)", () => {
    // given V8 tracing every optimized compilation (a flag of its own: the code cache is refused)
    const traced = node(["--trace-opt", "bin/silkroute.js", "plan", "--json", "--stack", "china"]);
    // then the plan ran, and nothing was compiled by TurboFan or Maglev
    expect(traced.status).toBe(0);
    expect(traced.stdout).not.toMatch(/target (TURBOFAN|MAGLEV)/);
    // while a process that does not turn them off does compile some (the trace above is live)
    const optimized = node([
      "--trace-opt",
      "-e",
      "let s = 0; for (let i = 0; i < 1e7; i++) s += Math.sqrt(i); console.log(s > 0);",
    ]);
    expect(optimized.stdout).toMatch(/target TURBOFAN/);
  });

  it("collects its old generation in one pause, without V8's incremental marking (a plan is too short for marking in steps to pay)", () => {
    // given V8 tracing its collections and every start of incremental marking, and a plan well
    // past the old generation's first limit (10 environments × 4 Regions: about 50 MB)
    const trace = ["--trace-gc", "--trace-incremental-marking"];
    const project = scaleProject(10, 4);
    try {
      const traced = node([...trace, "bench/measure.js", project, "plan", "--json"]);
      // then it collected the old generation, and never by marking in steps
      expect(traced.status).toBe(0);
      expect(traced.stdout).toMatch(/Mark-Compact/);
      expect(traced.stdout).not.toMatch(/\[IncrementalMarking\] Start/);
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
    // while a process that does not turn it off marks in steps (the trace above is live)
    const marked = node([
      ...trace,
      "-e",
      "const kept = []; for (let i = 0; i < 3e6; i++) kept.push({ i }); console.log(kept.length);",
    ]);
    expect(marked.stdout).toMatch(/\[IncrementalMarking\] Start/);
  });

  it("is compiled with its code cache, and not with a cache made for other contents", () => {
    const cacheUsed = (file: string) =>
      node([
        "-e",
        `process.stdout.write(String(require(${JSON.stringify(loader)}).loadWithCodeCache(${JSON.stringify(file)}).cacheUsed))`,
      ]).stdout;
    // given the built bundle, and a copy of it changed after its cache was written
    const copy = path.join(scratch, "plan.js");
    fs.copyFileSync(bundle, copy);
    fs.copyFileSync(`${bundle}.v8cache`, `${copy}.v8cache`);
    fs.appendFileSync(copy, "\n");
    // then
    expect(cacheUsed(bundle)).toBe("true");
    expect(cacheUsed(copy)).toBe("false");
  });
});

/** The bundled modules whose code ran, by the path esbuild names each module's wrapper with. */
function bundledModulesRun(coverageDir: string): string[] {
  return bundledFunctionsRun(coverageDir).filter((name) =>
    /^(node_modules|automation|stacks|components)\//.test(name),
  );
}

/** The names of the bundle's functions that ran, per V8's coverage (a module's wrapper is named by its path). */
function bundledFunctionsRun(coverageDir: string): string[] {
  const url = pathToFileURL(bundle).href;
  const names: string[] = [];
  for (const file of fs.readdirSync(coverageDir)) {
    const report = JSON.parse(fs.readFileSync(path.join(coverageDir, file), "utf8")) as {
      result: { url: string; functions: { functionName: string; ranges: { count: number }[] }[] }[];
    };
    for (const script of report.result.filter((s) => s.url === url)) {
      names.push(
        ...script.functions.filter((f) => f.ranges[0].count > 0).map((f) => f.functionName),
      );
    }
  }
  return names;
}

/**
 * A copy of the project, with the built bundle, whose Pulumi.global.yaml adds `app` (lines of
 * `silkroute:app`) and which holds `files` (path → text) besides.
 */
function appProject(app: string[], files: Record<string, string> = {}): string {
  const project = tempDir("silkroute-bundle-app-");
  // The bundle finds its project from its own folder, so bin/ and dist/ are copies; the rest
  // is read, so links do.
  for (const dir of ["automation", "components", "stacks", "app", "examples", "node_modules"]) {
    fs.symlinkSync(path.join(root, dir), path.join(project, dir));
  }
  for (const file of ["package.json", "tsconfig.json", "Pulumi.yaml", "Pulumi.china.yaml"]) {
    fs.copyFileSync(path.join(root, file), path.join(project, file));
  }
  fs.writeFileSync(
    path.join(project, "Pulumi.global.yaml"),
    `${fs.readFileSync(path.join(root, "Pulumi.global.yaml"), "utf8")}${["  silkroute:app:", ...app.map((l) => `    ${l}`)].join("\n")}\n`,
  );
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
    fs.writeFileSync(path.join(project, file), text);
  }
  fs.cpSync(path.join(root, "bin"), path.join(project, "bin"), { recursive: true });
  fs.mkdirSync(path.join(project, "dist", "bundle"), { recursive: true });
  // The bundle and its loader: all that bin/silkroute.js runs a plan with.
  for (const file of ["bundle/plan.js", "bundle/plan.js.v8cache", "bundle/load.js"]) {
    fs.copyFileSync(path.join(root, "dist", file), path.join(project, "dist", file));
  }
  return project;
}

describe("the plan bundle with a program app", () => {
  /** A copy of the project whose Pulumi.global.yaml names the queue-table example. */
  let project: string;
  let run: { status: number | null; stdout: string; loaded: string[]; coverage: string };

  beforeAll(() => {
    project = appProject([
      "program: examples/queue-table/index.ts",
      "manages: [queue, table]",
      "functionsUse: [queue, table]",
    ]);
    const record = path.join(project, "loaded.json");
    const coverage = path.join(project, "coverage");
    const result = spawnSync(
      process.execPath,
      [
        "--require",
        path.join(root, "test/helpers/loadedFiles.js"),
        "bin/silkroute.js",
        "plan",
        "--json",
      ],
      {
        cwd: project,
        encoding: "utf8",
        env: { ...process.env, SILKROUTE_TEST_LOADED: record, NODE_V8_COVERAGE: coverage },
        maxBuffer: 1 << 28,
      },
    );
    run = {
      status: result.status,
      stdout: result.stdout,
      loaded: JSON.parse(fs.readFileSync(record, "utf8")),
      coverage,
    };
  }, 120_000);
  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

  it("plans the module's resources with zero violations", () => {
    expect(run.status).toBe(0);
    const doc = JSON.parse(run.stdout) as PlanDocument;
    const app = doc.stacks.find((s) => s.name === "app-dev-china")!;
    expect(app.resources.map((r) => r.type)).toEqual(
      expect.arrayContaining(["aws:sqs/queue:Queue", "aws:dynamodb/table:Table"]),
    );
    expect(doc.stacks.flatMap((s) => s.violations)).toEqual([]);
  });

  it("runs the module's @pulumi/aws on the bundle's @pulumi/pulumi: nothing of node_modules' runs, nor TypeScript, arborist or gRPC", () => {
    const ran = fs
      .readdirSync(run.coverage)
      .flatMap(
        (file) =>
          (
            JSON.parse(fs.readFileSync(path.join(run.coverage, file), "utf8")) as {
              result: { url: string }[];
            }
          ).result,
      )
      .map((s) => s.url);
    expect(ran.filter((u) => u.includes("/node_modules/@pulumi/aws/")).length).toBeGreaterThan(0);
    expect(ran.filter((u) => u.includes("/node_modules/@pulumi/pulumi/"))).toEqual([]);
    expect(run.loaded.filter((f) => /typescript|arborist|@grpc/.test(f))).toEqual([]);
  });
});

describe("the plan bundle with a program app that never finishes", () => {
  it("ends with 1 and one line saying so, instead of 0 and nothing", () => {
    // given an app module that waits for a promise nothing settles
    const project = appProject(["program: hang/index.ts", "manages: [queue]"], {
      "hang/index.ts": [
        'import * as aws from "@pulumi/aws";',
        'import type { TargetContext } from "../stacks/appContext";',
        "export default async function hang(ctx: TargetContext) {",
        '  new aws.sqs.Queue("q", { name: ctx.name("q"), sqsManagedSseEnabled: true }, { provider: ctx.provider });',
        "  await new Promise(() => undefined);",
        "  return {};",
        "}",
      ].join("\n"),
    });
    try {
      // when
      const result = spawnSync(process.execPath, ["bin/silkroute.js", "plan"], {
        cwd: project,
        encoding: "utf8",
      });
      // then
      expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({
        status: 1,
        stdout: "",
        stderr:
          "silkroute: internal error: the command stopped before it finished, waiting for something that never came\n",
      });
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  }, 60_000);
});
