"use strict";
// Child process of bench.js: runs one CLI invocation in-process with output
// discarded, then reports its wall time and peak RSS as JSON on stderr.
const start = process.hrtime.bigint();
const [projectDir, ...argv] = process.argv.slice(2);
const { main } = require("../dist/automation/cli");
const sink = { out: () => {}, err: (t) => process.stdout.write(t) };
main(argv, { io: sink, projectDir }).then((code) => {
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const peakMb = process.resourceUsage().maxRSS / 1024;
  process.stderr.write(JSON.stringify({ code, wallMs, peakMb }) + "\n");
});
