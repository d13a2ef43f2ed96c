/** @type {import('jest').Config} */
const common = {
  // jest's node environment, disabling each file's AsyncLocalStorage instances when it ends.
  testEnvironment: "<rootDir>/test/helpers/environment.js",
  roots: ["<rootDir>/test"],
  // swc strips types only; `npm test` type-checks with `tsc --noEmit` alongside.
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  // @pulumi/pulumi's Automation API and closure serialization load on first use (as in the plan).
  resolver: "<rootDir>/test/helpers/lazyResolver.js",
};
// The suites that drive the real Pulumi CLI (skipped, saying so, when there is none; a failure
// under CI=true), one file at a time: minutes of work, so `npm test` runs the unit project alone
// and `npm run test:engine` this one (`--selectProjects`).
const ENGINE = ["**/*.engine.test.ts", "**/*.contract.test.ts"];

module.exports = {
  testTimeout: 30000,
  // TMPDIR is a folder of the run's own, removed at its end (test/helpers/tmpRoot.js).
  globalSetup: "<rootDir>/test/helpers/tmpSetup.js",
  globalTeardown: "<rootDir>/test/helpers/tmpTeardown.js",
  // Every core: `npm test` type-checks and lints alongside, and those finish first.
  maxWorkers: "100%",
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
