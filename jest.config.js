/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // swc strips types only; `npm test` type-checks with `tsc --noEmit` alongside.
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  // @pulumi/pulumi's Automation API and closure serialization load on first use (as in the plan).
  resolver: "<rootDir>/test/helpers/lazyResolver.js",
  // Every core: `npm test` type-checks and lints alongside, and those finish first.
  maxWorkers: "100%",
  testTimeout: 30000,
};
