"use strict";
// `silkroute deploy --target all` with a fake Pulumi runner whose targets take
// 300 / 500 / 800 ms: the targets run concurrently, so the wall time should be
// close to the slowest target (issue: wall ≤ 1.1 × slowest). Uses the compiled
// CLI (npm run build).
const fs = require("fs");
const { projectFolder } = require("./projects");

const DELAYS_MS = { "bench-us-east-1": 300, "bench-eu-west-1": 500, "bench-ap-southeast-1": 800 };
const regionOf = (stackName) => stackName.slice("bench-".length);

/** One environment in the three Regions, without China. */
function fixtureProject() {
  return projectFolder("silkroute-bench-", {
    name: "bench",
    version: "1.0.0",
    config: {
      "silkroute:environments": [
        { name: "bench", globalRegions: Object.keys(DELAYS_MS).map(regionOf), china: false },
      ],
    },
  });
}

/** A PulumiRunner whose operations only wait (`scale` 0 for the warm-up run). */
function fakeRunner(scale) {
  const wait = (stackName) =>
    new Promise((resolve) => setTimeout(resolve, (DELAYS_MS[stackName] ?? 0) * scale));
  return {
    ensureCli: async () => undefined,
    preview: async (spec) => {
      await wait(spec.stackName);
      return { changeSummary: {}, stdout: "", resources: [], violations: [] };
    },
    up: async (spec, onLine) => {
      await wait(spec.stackName);
      onLine(`updated ${spec.stackName}`);
      return { changeSummary: {}, outputs: {} };
    },
    refresh: async (spec) => wait(spec.stackName),
    destroy: async (spec) => {
      await wait(spec.stackName);
      return "destroyed";
    },
    previewProjectStack: async (spec) => {
      await wait(spec.stackName);
      return { changeSummary: {}, stdout: "", resources: [], violations: [] };
    },
    outputs: async () => ({}),
  };
}

async function deployAll(projectDir, scale) {
  const { main } = require("../dist/automation/cli");
  const runner = fakeRunner(scale);
  const lines = [];
  const started = process.hrtime.bigint();
  const code = await main(
    [
      "deploy",
      "--env",
      "bench",
      "--target",
      "all",
      // One artifact bucket per Region: the function's code must be in its Region.
      ...Object.keys(DELAYS_MS)
        .map(regionOf)
        .flatMap((region) => ["--artifact-bucket", `${region}=bench-bucket-${region}`]),
    ],
    {
      io: { out: (t) => lines.push(t), err: (t) => lines.push(t) },
      projectDir,
      services: {
        pulumi: () => runner,
        env: { PULUMI_CONFIG_PASSPHRASE: "bench-passphrase", PATH: process.env.PATH },
      },
    },
  );
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (code !== 0) throw new Error(`silkroute deploy exited ${code}:\n${lines.join("\n")}`);
  return wallMs;
}

/**
 * `{ slowestMs, wallMs, ratio }` of a warm `deploy --target all` (the first,
 * zero-delay run loads the config reader and zod once; its time is
 * `warmupMs`).
 */
async function benchTargets() {
  // The AWS SDK's eight-line Node-version warning, one line, as bin/silkroute.js has it.
  const { shortenSdkNodeWarning } = require("../dist/automation/nodeWarning");
  shortenSdkNodeWarning(process, (line) => process.stderr.write(`${line}\n`));
  const projectDir = fixtureProject();
  try {
    const warmupMs = await deployAll(projectDir, 0);
    const wallMs = await deployAll(projectDir, 1);
    const slowestMs = Math.max(...Object.values(DELAYS_MS));
    return {
      slowestMs,
      wallMs: Math.round(wallMs),
      ratio: Number((wallMs / slowestMs).toFixed(3)),
      warmupMs: Math.round(warmupMs),
    };
  } finally {
    fs.rmSync(projectDir, { recursive: true, force: true });
  }
}

module.exports = { benchTargets };

if (require.main === module) {
  benchTargets().then(
    (r) => console.log(JSON.stringify(r)),
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
