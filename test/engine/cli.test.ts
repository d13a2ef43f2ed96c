import * as fs from "fs";
import * as path from "path";
import { engineSuiteMode, findPulumiCli } from "./cli";
import { tempDir } from "../helpers/tempDir";

function folderWithPulumi(): string {
  const dir = tempDir("silkroute-cli-");
  fs.writeFileSync(path.join(dir, "pulumi"), "#!/bin/sh\n", { mode: 0o755 });
  return dir;
}

describe("finding the Pulumi CLI for the engine suites", () => {
  const empty = tempDir("silkroute-nocli-");

  it("prefers pulumi on PATH, then the one scripts/pulumi-cli.sh built", () => {
    // given one CLI on PATH and one in the tools folder
    const onPath = folderWithPulumi();
    const tools = folderWithPulumi();
    // when / then
    expect(findPulumiCli(onPath, tools)?.binDir).toBe(fs.realpathSync(onPath));
    expect(findPulumiCli(empty, tools)?.binDir).toBe(fs.realpathSync(tools));
    expect(findPulumiCli(empty, empty)).toBeUndefined();
  });

  it("runs with a CLI, skips without one, and fails without one under CI=true", () => {
    // given
    const cli = findPulumiCli(folderWithPulumi(), empty);
    // when / then
    expect(engineSuiteMode(cli, {})).toBe("run");
    expect(engineSuiteMode(cli, { CI: "true" })).toBe("run");
    expect(engineSuiteMode(undefined, {})).toBe("skip");
    expect(engineSuiteMode(undefined, { CI: "true" })).toBe("fail");
  });
});
