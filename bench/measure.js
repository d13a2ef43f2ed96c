"use strict";
// Child process of bench.js: `silkroute plan …` of another project folder, run as
// bin/silkroute.js runs it (the bundle and its code cache), output discarded unless --print.
const path = require("path");

const [projectDir, ...rest] = process.argv.slice(2);
const print = rest.includes("--print");
const argv = rest.filter((a) => a !== "--print");
const { loadPlanBundle } = require("../dist/bundle/load.js");
const { main } = loadPlanBundle(path.join(__dirname, "..", "dist", "bundle", "plan.js")).exports;
const out = [];
const io = { out: (t) => print && out.push(t), err: (t) => process.stderr.write(`${t}\n`) };
main(argv, { io, projectDir }).then((code) => {
  if (print) process.stdout.write(out.join("\n"));
  process.exitCode = code;
});
