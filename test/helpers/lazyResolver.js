"use strict";
// jest's module resolver: what @pulumi/pulumi loads eagerly but only closure serialization and
// the Automation API use (scripts/lazyModules.js) resolves to a stand-in that loads it on first
// use, as in the plan bundle. jest gives every test file its own copy of every module, and these
// made each test file that touches @pulumi/pulumi load for 1.2 s longer.
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const { findLazy, lazyModuleSource } = require("../../scripts/lazyModules");

// With the other tools' caches: kept between runs, gone with node_modules.
const DIR = path.resolve(__dirname, "..", "..", "node_modules", ".cache", "silkroute", "lazy");

module.exports = (request, options) => {
  const resolved = options.defaultResolver(request, options);
  const lazy = findLazy(path.join(options.basedir, "_"), request);
  return lazy === undefined ? resolved : standIn(resolved, lazy.esModule);
};

/** The stand-in's file: written once per target, atomically (jest resolves in parallel workers). */
function standIn(target, esModule) {
  const source = lazyModuleSource(target, esModule);
  const hash = crypto.createHash("sha256").update(source).digest("hex").slice(0, 16);
  const file = path.join(DIR, `${path.basename(target, ".js")}-${hash}.js`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(DIR, { recursive: true });
    const temporary = `${file}.${process.pid}`;
    fs.writeFileSync(temporary, source);
    fs.renameSync(temporary, file);
  }
  return file;
}
