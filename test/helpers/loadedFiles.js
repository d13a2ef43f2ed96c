"use strict";
// Preloaded into a CLI run by test/automation/bundle.test.ts (`node --require …`): writes the
// files the process loaded with require() — require.cache — and, as `node:internal/…`, the
// Node built-in modules it loaded since, to $SILKROUTE_TEST_LOADED on exit.
const fs = require("fs");

const before = new Set(process.moduleLoadList);

process.on("exit", () => {
  const builtins = process.moduleLoadList
    .filter((m) => !before.has(m) && m.startsWith("NativeModule "))
    .map((m) => `node:${m.slice("NativeModule ".length)}`);
  fs.writeFileSync(
    process.env.SILKROUTE_TEST_LOADED,
    JSON.stringify([...Object.keys(require.cache), ...builtins]),
  );
});
