import TestRunner from "jest-runner";

/**
 * Jest's runner, one test file at a time: the engine suites start the Pulumi
 * CLI, language hosts and provider plugins, so running them side by side on
 * a small machine would starve each other and the unit tests. Jest runs the
 * unit project first (in parallel workers), then these (jest.config.js).
 */
export default class SerialRunner extends TestRunner {
  override readonly isSerial = true;
}
