"use strict";
// npm run bench: the figures the performance goals are judged by (README "Measured"). Every case
// runs in a fresh process, the cases taking turns round after round so that a busy machine
// slows them alike; each figure is the median of the rounds, and is also given as a ratio to
// bare `node -e 0` measured in the same rounds.
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.resolve(__dirname, "..");
const ROUNDS = Number(process.env.BENCH_RUNS ?? 7);
const PEAK = path.join(__dirname, "peak.js");
const BIN = path.join("bin", "silkroute.js");
const MEASURE = path.join(__dirname, "measure.js");

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** One fresh process: wall time from spawn to exit, and its peak RSS (bench/peak.js). */
function runOnce(args) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["--require", PEAK, ...args], {
    cwd: root,
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited ${r.status}:\n${r.stderr}`);
  const peak = /^silkroute-bench-peak-mb (\S+) cpu-ms (\S+)$/m.exec(r.stderr);
  if (peak === null) throw new Error(`node ${args.join(" ")} reported no peak memory`);
  return { wallMs, peakMb: Number(peak[1]), cpuMs: Number(peak[2]) };
}

/** A project folder with `envCount` environments × `regionCount` global Regions (plus China each). */
function scaleProject(envCount = 10, regionCount = 4) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "silkroute-bench-"));
  const regions = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-1"].slice(0, regionCount);
  const envs = Array.from({ length: envCount }, (_, i) => `env${i}`);
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

/** Resources of a plan of `projectDir`, counted once from its JSON. */
function resourceCount(projectDir) {
  const r = spawnSync(process.execPath, [MEASURE, projectDir, "plan", "--json", "--print"], {
    cwd: root,
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0) throw new Error(`plan of ${projectDir} exited ${r.status}:\n${r.stderr}`);
  return JSON.parse(r.stdout).stacks.reduce((n, s) => n + s.resources.length, 0);
}

function main() {
  if (!fs.existsSync(path.join(root, "dist", "bundle", "plan.js"))) {
    throw new Error("dist/ is missing: run npm run build (npm ci does it)");
  }
  const midDir = scaleProject(5, 2);
  const scaleDir = scaleProject();
  try {
    return report(measure(midDir, scaleDir), {
      default: resourceCount(root),
      mid: resourceCount(midDir),
      scale: resourceCount(scaleDir),
    });
  } finally {
    fs.rmSync(midDir, { recursive: true, force: true });
    fs.rmSync(scaleDir, { recursive: true, force: true });
  }
}

/** The cases, as the README runs them; the three topologies through bench/measure.js. */
function cases(midDir, scaleDir) {
  return {
    node: ["-e", "0"],
    help: [BIN, "--help"],
    full: [BIN, "plan", "--json"],
    global: [BIN, "plan", "--json", "--stack", "global"],
    appChina: [BIN, "plan", "--json", "--stack", "app-dev-china"],
    topologyDefault: [MEASURE, root, "plan", "--json"],
    topologyMid: [MEASURE, midDir, "plan", "--json"],
    topologyScale: [MEASURE, scaleDir, "plan", "--json"],
  };
}

function measure(midDir, scaleDir) {
  const all = cases(midDir, scaleDir);
  const samples = Object.fromEntries(Object.keys(all).map((k) => [k, []]));
  // One round first, not counted: it fills the file cache.
  for (const args of Object.values(all)) runOnce(args);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, args] of Object.entries(all)) samples[name].push(runOnce(args));
  }
  return Object.fromEntries(
    Object.entries(samples).map(([name, runs]) => [
      name,
      {
        ms: median(runs.map((r) => r.wallMs)),
        cpu: median(runs.map((r) => r.cpuMs)),
        mb: Math.max(...runs.map((r) => r.peakMb)),
      },
    ]),
  );
}

function report(m, resources) {
  const ratio = (ms) => ms / m.node.ms;
  // What each added resource costs: the slope between two topologies, each planned in a fresh
  // process by bench/measure.js (so start-up and loading, the fixed cost, cancel out).
  const slope = (from, to, key) =>
    (m[`topology${to}`][key] - m[`topology${from}`][key]) /
    (resources[to.toLowerCase()] - resources[from.toLowerCase()]);
  const perResource = slope("Default", "Scale", "ms");
  const fixedMs = m.topologyDefault.ms - perResource * resources.default;
  const rows = [
    ["bare node -e 0", m.node, null],
    ["silkroute --help", m.help, { ratio: 2 }],
    [`plan --json (${resources.default} resources)`, m.full, { ratio: 7, mb: 150 }],
    ["plan --json --stack global", m.global, { ratio: 5 }],
    ["plan --json --stack app-dev-china", m.appChina, { ratio: 5 }],
    [`5 envs x 2 Regions (${resources.mid} resources)`, m.topologyMid, null],
    [`10 envs x 4 Regions (${resources.scale} resources)`, m.topologyScale, null],
  ];
  const column = (text, width) => String(text).padStart(width);
  const lines = [
    `silkroute bench: median of ${ROUNDS} alternating runs, peak RSS, ${os.cpus().length} cores, node ${process.version}`,
    `${"case".padEnd(44)} ${column("wall", 8)} ${column("x node", 7)} ${column("cpu", 8)} ${column("peak", 7)}  target`,
  ];
  let misses = 0;
  for (const [name, { ms, cpu, mb }, target] of rows) {
    let goal = "";
    if (target) {
      const ok = ratio(ms) <= target.ratio && (target.mb === undefined || mb <= target.mb);
      if (!ok) misses++;
      goal = `<= ${target.ratio}x${target.mb ? `, <= ${target.mb} MB` : ""}: ${ok ? "met" : "MISSED"}`;
    }
    lines.push(
      `${name.padEnd(44)} ${column(`${ms.toFixed(0)} ms`, 8)} ${column(`${ratio(ms).toFixed(2)}x`, 7)} ${column(`${cpu.toFixed(0)} ms`, 8)} ${column(`${mb.toFixed(0)} MB`, 7)}  ${goal}`,
    );
  }
  const scaleOk = perResource <= 1.1;
  if (!scaleOk) misses++;
  const perRow = (name, from, to) =>
    `${name.padEnd(44)} ${column(`${slope(from, to, "ms").toFixed(2)} ms`, 8)} ${column("", 7)} ${column(`${slope(from, to, "cpu").toFixed(2)} ms`, 8)}`;
  lines.push(
    `${perRow("per resource, default to 10 x 4", "Default", "Scale")} ${column("", 7)}  <= 1.1 ms: ${scaleOk ? "met" : "MISSED"}`,
    perRow("per resource, default to 5 x 2", "Default", "Mid"),
    perRow("per resource, 5 x 2 to 10 x 4", "Mid", "Scale"),
    `${"fixed cost (start-up, loading)".padEnd(44)} ${column(`${fixedMs.toFixed(0)} ms`, 8)}`,
  );
  for (const line of lines) console.log(line);
  return misses;
}

module.exports = { scaleProject };

if (require.main === module) {
  Promise.resolve()
    .then(main)
    .then(async (misses) => {
      const { benchTargets } = require("./targets");
      const { slowestMs, wallMs, ratio } = await benchTargets();
      console.log(
        `${"deploy --target all (fake runner)".padEnd(44)} ${`${wallMs.toFixed(0)} ms`.padStart(8)}                  slowest target ${slowestMs} ms, ratio ${ratio.toFixed(2)} (<= 1.1)`,
      );
      if (misses > 0) console.log(`${misses} target(s) missed`);
    })
    .catch((e) => {
      console.error(`bench: ${e.message}`);
      process.exitCode = 1;
    });
}
