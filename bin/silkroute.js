#!/usr/bin/env node
"use strict";
// The CLI is compiled to dist/ by `npm ci` (the `prepare` script).
const { main } = require("../dist/automation/cli");

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    // main() reports every failure itself, redacted; this is a last resort
    // that prints nothing of the error, so it cannot leak a secret.
    process.stderr.write("silkroute: internal error\n");
    process.exitCode = 1;
  },
);
