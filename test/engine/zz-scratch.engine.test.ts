import { describeWithCli } from "./cli";
import { Sandbox } from "./sandbox";
import { seedChinaBootstrap, chinaConfigOf } from "./fixtures";

describeWithCli("scratch", (cli) => {
  jest.setTimeout(600_000);
  it("multi-region", async () => {
    const sandbox = new Sandbox(cli);
    await sandbox.installAwsDouble();
    sandbox.copyProject();
    seedChinaBootstrap(sandbox, chinaConfigOf(sandbox.project));
    await sandbox.pulumiOk(["stack", "init", "global"]);
    await sandbox.pulumiOk([
      "config",
      "set",
      "--stack",
      "global",
      "--path",
      "silkroute:source",
      '{"type":"github","repository":"acme/app","branch":"main","tokenSecretArn":"github-pr-token","connectionReady":false}',
      "--json",
    ]);
    await sandbox.pulumiOk([
      "config",
      "set",
      "--stack",
      "global",
      "silkroute:previewChina",
      "true",
    ]);
    const r = await sandbox.pulumi(["up", "--stack", "global", "--yes", "--skip-preview"], {
      run: "g",
    });
    process.stderr.write(
      r.stdout
        .split("\n")
        .filter((l) => /error|Resources|created \(/.test(l))
        .slice(-12)
        .join("\n") +
        r.stderr +
        "\n",
    );
    await sandbox.pulumiOk([
      "config",
      "set",
      "--stack",
      "global",
      "--path",
      "silkroute:source.connectionReady",
      "true",
    ]);
    const r2 = await sandbox.pulumi(["up", "--stack", "global", "--yes", "--skip-preview"], {
      run: "g2",
    });
    process.stderr.write(
      r2.stdout
        .split("\n")
        .filter((l) => /error|Resources|created|updated|replaced|deleted/.test(l))
        .slice(-30)
        .join("\n") +
        r2.stderr +
        "\n",
    );
    const again = await sandbox.pulumi(["preview", "--stack", "global", "--expect-no-changes"], {
      run: "g3",
    });
    process.stderr.write("global again: " + again.code + "\n");
    sandbox.cleanup();
  });
});
