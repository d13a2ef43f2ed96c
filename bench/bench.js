"use strict";
// npm run bench: prints the figures the issues set targets for. Each case runs
// several times in fresh processes; medians and peaks are reported.
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.resolve(__dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Wall time of a whole command, start-up included. */
function timeCommand(args) {
  const walls = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
    if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
    walls.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { medianMs: median(walls) };
}

/** A plan in a fresh process: wall time (process start to exit) and peak RSS. */
function timePlan(projectDir, argv) {
  const walls = [];
  const peaks = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(
      process.execPath,
      [path.join(__dirname, "measure.js"), projectDir, ...argv],
      {
        cwd: root,
        encoding: "utf8",
      },
    );
    const wall = Number(process.hrtime.bigint() - t) / 1e6;
    const report = r.stderr
      .trim()
      .split("\n")
      .find((line) => line.startsWith('{"code"'));
    if (report === undefined)
      throw new Error(`plan in ${projectDir} printed no report: ${r.stderr}`);
    const m = JSON.parse(report);
    if (m.code !== 0) throw new Error(`plan exited ${m.code}: ${r.stdout}`);
    walls.push(wall);
    peaks.push(m.peakMb);
  }
  return { medianMs: median(walls), peakMb: Math.max(...peaks) };
}

/** A project folder with 10 environments × 4 global Regions (plus China each). */
function scaleProject() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "silkroute-bench-"));
  const regions = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-1"];
  const envs = Array.from({ length: 10 }, (_, i) => `env${i}`);
  const globalYaml = [
    "config:",
    '  pulumi:disable-default-providers: ["*"]',
    "  silkroute:environments:",
    ...envs.flatMap((name, i) => [
      `    - name: ${name}`,
      `      globalRegions: [${regions.join(", ")}]`,
      `      approval: ${i === envs.length - 1}`,
    ]),
  ].join("\n");
  fs.writeFileSync(path.join(dir, "Pulumi.global.yaml"), globalYaml + "\n");
  const china = fs.readFileSync(path.join(root, "Pulumi.china.yaml"), "utf8");
  fs.writeFileSync(path.join(dir, "Pulumi.china.yaml"), scaleChina(china, envs));
  return dir;
}

/** The shipped china config with its one environment repeated for every scale environment. */
function scaleChina(yaml, envs) {
  const yamlLib = require("js-yaml");
  const doc = yamlLib.load(yaml);
  const [template] = doc.config["silkroute:environments"];
  doc.config["silkroute:environments"] = envs.map((name) => ({
    ...template,
    name,
    ...Object.fromEntries(
      Object.entries(template)
        .filter(([, v]) => typeof v === "string" && v.includes("/Dev"))
        .map(([k, v]) => [k, v.replace("/Dev", `/${name[0].toUpperCase()}${name.slice(1)}`)]),
    ),
  }));
  return yamlLib.dump(doc, { noRefs: true });
}

function main() {
  if (!fs.existsSync(path.join(root, "dist/automation/cli.js"))) {
    throw new Error("dist/ is missing: run npm run build (npm ci does it)");
  }
  const node = timeCommand(["-e", "0"]);
  const help = timeCommand(["bin/silkroute.js", "--help"]);
  const full = timePlan(root, ["plan", "--json"]);
  const scaleDir = scaleProject();
  const scale = timePlan(scaleDir, ["plan", "--json"]);
  fs.rmSync(scaleDir, { recursive: true, force: true });
  const rows = [
    ["bare node start-up", node.medianMs, null, ""],
    ["silkroute --help (cold)", help.medianMs, null, "target <= 300 ms"],
    [
      "plan, all stacks (default topology)",
      full.medianMs,
      full.peakMb,
      "target <= 1500 ms, <= 250 MB",
    ],
    [
      "plan, 10 environments x 4 Regions",
      scale.medianMs,
      scale.peakMb,
      `target <= 2x default (${(scale.medianMs / full.medianMs).toFixed(2)}x)`,
    ],
  ];
  console.log(
    `silkroute bench: ${RUNS} runs each, median wall time, peak RSS (${os.cpus().length} cores)`,
  );
  for (const [name, ms, mb, note] of rows) {
    const mem = mb === null ? "" : `${mb.toFixed(0).padStart(5)} MB`;
    console.log(`${name.padEnd(40)} ${ms.toFixed(0).padStart(6)} ms ${mem.padEnd(9)} ${note}`);
  }
  const targetsBench = path.join(__dirname, "targets.js");
  if (fs.existsSync(targetsBench)) {
    return require(targetsBench)
      .benchTargets()
      .then(({ slowestMs, wallMs, ratio }) => {
        console.log(
          `${"deploy --target all (fake runner)".padEnd(40)} ${wallMs.toFixed(0).padStart(6)} ms           slowest target ${slowestMs.toFixed(0)} ms, ratio ${ratio.toFixed(2)} (target <= 1.1)`,
        );
      });
  }
  return Promise.resolve();
}

module.exports = { scaleProject };

if (require.main === module) {
  Promise.resolve()
    .then(main)
    .catch((e) => {
      console.error(`bench: ${e.message}`);
      process.exitCode = 1;
    });
}
