#!/usr/bin/env node
"use strict";
// `npm ci` builds dist/ (the `prepare` script). `silkroute plan …` runs from one bundled file
// with a V8 code cache (scripts/bundle.js); every other command from the modules tsc compiled.
const path = require("path");

const argv = process.argv.slice(2);
const { main, exitWith } = argv[0] === "plan" ? planCli() : driverCli();

function planCli() {
  return require("../dist/bundle/load.js").loadPlanBundle(
    path.join(__dirname, "..", "dist", "bundle", "plan.js"),
  ).exports;
}

/** The driver; the AWS SDK's eight-line Node-version warning, one line (the plan makes no client). */
function driverCli() {
  const { shortenSdkNodeWarning } = require("../dist/automation/nodeWarning");
  const { processIo } = require("../dist/automation/io");
  shortenSdkNodeWarning(process, processIo().err);
  return require("../dist/automation/cli");
}

exitWith(main(argv));
