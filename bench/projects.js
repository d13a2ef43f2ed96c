"use strict";
// The project folders the bench and the tests run the CLI in (test/helpers/driver.ts uses this
// module too, so the two cannot drift apart).
const fs = require("fs");
const os = require("os");
const path = require("path");

/**
 * A new temporary folder (`<prefix>…`) holding package.json ({ name, version }) and
 * Pulumi.global.yaml with `config` (`namespace:key` → value). Each value is written as JSON,
 * which YAML reads as it is, one key a line, so a caller may append `  <key>: <value>` lines.
 */
function projectFolder(prefix, { name, version, config }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, version }));
  const lines = Object.entries(config).map(([key, value]) => `  ${key}: ${JSON.stringify(value)}`);
  fs.writeFileSync(path.join(dir, "Pulumi.global.yaml"), ["config:", ...lines, ""].join("\n"));
  return dir;
}

module.exports = { projectFolder };
