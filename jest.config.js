/** @type {import('jest').Config} */
// swc strips types only; `npm test` type-checks once with `tsc --noEmit`.
const common = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
};
// The suites that drive the real Pulumi CLI (skipped, saying so, when there is none; a failure
// under CI=true): one file at a time, after the unit tests.
const ENGINE = ["**/*.engine.test.ts", "**/*.contract.test.ts"];

module.exports = {
  testTimeout: 30000,
  projects: [
    {
      ...common,
      displayName: "unit",
      testMatch: ["**/*.test.ts"],
      testPathIgnorePatterns: ["\\.engine\\.test\\.ts$", "\\.contract\\.test\\.ts$"],
    },
    {
      ...common,
      displayName: "engine",
      testMatch: ENGINE,
      runner: "<rootDir>/test/engine/serialRunner.ts",
    },
  ],
};
