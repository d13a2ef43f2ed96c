"use strict";
// Preloaded into a CLI run by test/automation/bundle.test.ts (`node --require …`): writes the
// files the process loaded with require() — require.cache — to $SILKROUTE_TEST_LOADED on exit.
const fs = require("fs");

process.on("exit", () => {
  fs.writeFileSync(process.env.SILKROUTE_TEST_LOADED, JSON.stringify(Object.keys(require.cache)));
});
