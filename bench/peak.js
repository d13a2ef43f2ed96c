"use strict";
// Preloaded by bench.js into every process it times (`node --require bench/peak.js …`): reports
// the process's peak resident memory and CPU time on stderr as it exits.
process.on("exit", () => {
  const mb = process.resourceUsage().maxRSS / 1024;
  const { user, system } = process.cpuUsage();
  process.stderr.write(
    `silkroute-bench-peak-mb ${mb.toFixed(1)} cpu-ms ${((user + system) / 1000).toFixed(1)}\n`,
  );
});
