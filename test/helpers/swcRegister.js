"use strict";
// `node --require ./test/helpers/swcRegister.js …`: a child process that loads the TypeScript
// sources as jest does (swc strips the types, jest.config.js), for a test that needs a process of
// its own, e.g. one with another locale.
const fs = require("fs");
const { transformSync } = require("@swc/core");

require.extensions[".ts"] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, "utf8"), {
    filename,
    module: { type: "commonjs" },
    jsc: { target: "es2022", parser: { syntax: "typescript" } },
  });
  module._compile(code, filename);
};
