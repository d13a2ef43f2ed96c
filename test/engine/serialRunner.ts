import TestRunner from "jest-runner";

/**
 * Jest's runner, one test file at a time: the engine suites start the Pulumi
 * CLI, language hosts and provider plugins, so running them side by side on
 * a small machine would starve each other. `npm run test:engine` runs them
 * apart from the unit tests (jest.config.js).
 */
export default class SerialRunner extends TestRunner {
  override readonly isSerial = true;
}
