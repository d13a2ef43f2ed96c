"use strict";
// One temporary folder per jest run, TMPDIR for the tests and every process they start (jest
// starts its workers after globalSetup, with this environment), removed when the run ends. The
// tests remove their own folders (test/helpers/tempDir.ts); what is left says which did not.
const fs = require("fs");
const os = require("os");
const path = require("path");

const VARIABLE = "SILKROUTE_TEST_TMPDIR";

async function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "silkroute-jest-"));
  process.env[VARIABLE] = dir;
  process.env.TMPDIR = dir;
}

async function teardown() {
  const dir = process.env[VARIABLE];
  if (dir === undefined) return;
  // jest's own cache folders are jest's.
  const left = fs.readdirSync(dir).filter((name) => !name.startsWith("jest_"));
  if (left.length > 0) {
    process.stderr.write(
      `tests left ${left.length} temporary folder(s), removed now: ${left.join(", ")}\n`,
    );
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

module.exports = { setup, teardown };
