#!/usr/bin/env node
"use strict";
// The CLI is compiled to dist/ by `npm ci` (the `prepare` script).
const { main } = require("../dist/automation/cli");

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`silkroute: ${error instanceof Error ? error.message : error}\n`);
    process.exitCode = 1;
  },
);
