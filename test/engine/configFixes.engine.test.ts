import * as fs from "fs";
import * as path from "path";
import { load } from "js-yaml";
import { addKindCommand } from "../../automation/app/preflight";
import { readStackConfig } from "../../automation/plan/stackConfig";
import { checkAgainstGlobal, GlobalStackOutputs, loadChinaConfig } from "../../stacks/config/china";
import { loadGlobalConfig } from "../../stacks/config/global";
import { Mistake, mistakesOf, problems, shippedYaml, STACKS } from "../helpers/configMistakes";
import { runConfigCommands, shellCommands } from "../helpers/pulumiConfigCli";
import { describeWithCli } from "./cli";
import { Sandbox } from "./sandbox";

/** The command a config line ends with, if any. */
function commandOf(line: string): string | undefined {
  const at = line.lastIndexOf(" Run: ");
  return at < 0 ? undefined : line.slice(at + " Run: ".length);
}

// A config error ends with the `pulumi config` commands that fix it. For a
// mistake in every key of both stacks (test/helpers/configMistakes.ts), each
// printed command, pasted into a shell as printed, must be accepted by the real
// CLI and leave the file as the CLI double (test/helpers/pulumiConfigCli.ts),
// which the unit tests paste every fix with, leaves it: and the problem gone.
describeWithCli("config fix commands under the real CLI", (cli) => {
  jest.setTimeout(600_000);
  let sandbox: Sandbox;
  const file = (stack: string) => path.join(sandbox.project, `Pulumi.${stack}.yaml`);
  const configOf = (yaml: string) => (load(yaml) as { config: unknown }).config;

  beforeAll(async () => {
    sandbox = new Sandbox(cli);
    sandbox.copyProject();
    for (const { stack } of STACKS) await sandbox.pulumiOk(["stack", "init", stack]);
  });
  afterAll(() => sandbox?.cleanup());

  const mistakes = STACKS.flatMap(mistakesOf).filter((m) =>
    problems(m.stack, m.yaml).some((l) => commandOf(l) !== undefined),
  );

  it.each(mistakes.map((m) => [`${m.stack.stack} ${m.title}`, m] as const))(
    "%s: the printed commands run and do what the CLI double does",
    async (_title, m: Mistake) => {
      // given the file with the mistake, and its first problem's command
      const stack = m.stack.stack;
      fs.writeFileSync(file(stack), m.yaml);
      const lines = problems(m.stack, m.yaml);
      const line = lines.find((l) => commandOf(l) !== undefined)!;
      const command = commandOf(line)!;
      // when it is pasted into a shell
      const result = await sandbox.exec("sh", ["-c", command], { cwd: sandbox.project });
      // then the CLI took it, left the file as the double does, and the line is gone
      expect({ command, code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
      const after = fs.readFileSync(file(stack), "utf8");
      const modelled = runConfigCommands(m.yaml, stack, shellCommands(command));
      expect(configOf(after)).toEqual(configOf(modelled));
      expect(problems(m.stack, after)).not.toContain(line);
    },
  );

  /** Pastes `command` into a shell in the project, as printed; the file it leaves. */
  const paste = async (command: string, stack: string) => {
    const result = await sandbox.exec("sh", ["-c", command], { cwd: sandbox.project });
    expect({ command, code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
    return fs.readFileSync(file(stack), "utf8");
  };
  const [GLOBAL] = STACKS;

  it("global: the pre-flight's fix for a kind left out of silkroute:app.manages appends it", async () => {
    // given an app that manages queues
    fs.writeFileSync(file("global"), shippedYaml("global"));
    const before = await paste(
      "pulumi config set --path 'silkroute:app.manages[0]' queue --stack global",
      "global",
    );
    // when the command the pre-flight prints for a table is pasted
    const command = addKindCommand(["queue"], "table");
    const after = await paste(command, "global");
    // then the file is what the CLI double makes of it, and the app manages both
    expect(configOf(after)).toEqual(
      configOf(runConfigCommands(before, "global", shellCommands(command))),
    );
    const cfg = loadGlobalConfig(readStackConfig(sandbox.project, "global"));
    expect(cfg.app.manages).toEqual(["queue", "table"]);
  });

  it("global: the fix for a template parameter name no template can declare removes it", async () => {
    // given a parameter set under a name CloudFormation refuses
    fs.writeFileSync(file("global"), shippedYaml("global"));
    const bad = await paste(
      "pulumi config set --path 'silkroute:app.cloudformation.parameters.my-size' 3 --stack global",
      "global",
    );
    const about = (yaml: string) =>
      problems(GLOBAL, yaml).filter((l) => l.includes("parameters.my-size"));
    expect(about(bad)).toHaveLength(1);
    // when the printed command is pasted
    const after = await paste(commandOf(about(bad)[0])!, "global");
    // then the name is gone
    expect(about(after)).toEqual([]);
  });

  it("china: each fix for a disagreement with the global stack runs and settles it", async () => {
    // given global outputs that differ from the shipped china config in every way checked
    fs.writeFileSync(
      file("china"),
      fs.readFileSync(path.join(__dirname, "../../Pulumi.china.yaml")),
    );
    const read = () => loadChinaConfig(readStackConfig(sandbox.project, "china"));
    const cfg = read();
    const global: GlobalStackOutputs = {
      prefix: "silkroute",
      pipelineRegion: "eu-west-1",
      chinaRegion: "cn-northwest-1",
      environments: cfg.environments.map((e) => ({
        name: e.name,
        china: true,
        chinaParameterPrefix: `/Cn${e.parameterPrefix}`,
      })),
      parameterKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/k",
      app: { kinds: ["function", "role", "log-group"], transforms: [], functionsUse: [] },
    };
    const before = checkAgainstGlobal(cfg, global);
    expect(before.length).toBe(2 + cfg.environments.length);
    // when every printed command is run
    for (const line of before) {
      const command = commandOf(line)!;
      const result = await sandbox.exec("sh", ["-c", command], { cwd: sandbox.project });
      expect({ command, code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
    }
    // then the two agree
    expect(checkAgainstGlobal(read(), global)).toEqual([]);
  });
});
