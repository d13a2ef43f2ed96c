import { sdkNodeWarningLine, shortenSdkNodeWarning } from "../../automation/nodeWarning";

/** The SDK's Node-version check, as the AWS SDK itself runs it when a client is made. */
function makeClients(): void {
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh copy: the SDK warns once per module
    const { SSMClient } = require("@aws-sdk/client-ssm") as typeof import("@aws-sdk/client-ssm");
    new SSMClient({ region: "us-east-1" }).destroy();
    new SSMClient({ region: "eu-west-1" }).destroy();
  });
}

describe("the AWS SDK's Node-version warning", () => {
  const emitWarning = process.emitWarning;
  afterEach(() => (process.emitWarning = emitWarning));
  const unsupported = Number(process.versions.node.split(".")[0]) < 22;

  it("is one line, said once, and nothing on a Node the SDK supports", () => {
    // given the CLI's handler, and the process's own one recording what it would print
    const passedOn = jest.fn();
    process.emitWarning = passedOn as unknown as typeof process.emitWarning;
    const lines: string[] = [];
    shortenSdkNodeWarning(process, (line) => lines.push(line));
    // when the driver makes its clients
    makeClients();
    // then
    expect(passedOn).not.toHaveBeenCalled();
    if (unsupported) {
      expect(lines).toEqual([
        expect.stringMatching(
          /^warning: The AWS SDK for JavaScript \(v3\) versions published after .+ will require node >=\d+\. You are running node v[\d.]+\.$/,
        ),
      ]);
    } else {
      expect(lines).toEqual([]);
    }
  });

  it("is what the SDK prints in eight lines without it", () => {
    const passedOn = jest.fn();
    process.emitWarning = passedOn as unknown as typeof process.emitWarning;
    makeClients();
    expect(passedOn).toHaveBeenCalledTimes(unsupported ? 1 : 0);
    if (unsupported) {
      const text = String(passedOn.mock.calls[0][0]);
      expect(text.split("\n").length).toBeGreaterThan(5);
      expect(sdkNodeWarningLine(text)).not.toContain("\n");
    }
  });

  it("leaves every other warning to the process", () => {
    const passedOn = jest.fn();
    process.emitWarning = passedOn as unknown as typeof process.emitWarning;
    const lines: string[] = [];
    shortenSdkNodeWarning(process, (line) => lines.push(line));
    process.emitWarning("something else", "DeprecationWarning");
    expect(passedOn).toHaveBeenCalledWith("something else", "DeprecationWarning");
    expect(lines).toEqual([]);
  });
});
