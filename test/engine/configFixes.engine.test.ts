import * as fs from "fs";
import * as path from "path";
import { addKindCommand } from "../../automation/app/preflight";
import { readStackConfig } from "../../automation/plan/stackConfig";
import {
  CHINA_CONFIG_EXAMPLES,
  checkAgainstGlobal,
  GlobalStackOutputs,
  loadChinaConfig,
} from "../../stacks/config/china";
import { GLOBAL_CONFIG_EXAMPLES, loadGlobalConfig } from "../../stacks/config/global";
import { Examples, fixCommand } from "../../stacks/config/read";
import { describeWithCli } from "./cli";
import { Sandbox } from "./sandbox";

type Loader = (source: (key: string) => string | undefined) => unknown;

const STACKS: readonly [string, Examples, Loader][] = [
  ["global", GLOBAL_CONFIG_EXAMPLES, loadGlobalConfig],
  ["china", CHINA_CONFIG_EXAMPLES, loadChinaConfig],
];

// A config error ends with the `pulumi config set` command that fixes it. Each
// such command, run as printed by the real CLI on the shipped config, must be
// accepted and leave a value the stack takes.
describeWithCli("config fix commands under the real CLI", (cli) => {
  jest.setTimeout(180_000);
  let sandbox: Sandbox;
  const shipped = new Map<string, string>();
  const file = (stack: string) => path.join(sandbox.project, `Pulumi.${stack}.yaml`);
  /** Runs a printed command through the shell, as a person pasting it would. */
  const paste = (command: string, stack: string) =>
    sandbox.exec("sh", ["-c", `${command} --stack ${stack}`]);
  /** The lines of the config error for this stack's config file, if any. */
  const problems = (stack: string, loader: Loader): string[] => {
    const flat = readStackConfig(sandbox.project, stack);
    try {
      loader((key) => flat[`silkroute:${key}`]);
      return [];
    } catch (error) {
      return (error as Error).message.split("\n");
    }
  };

  beforeAll(async () => {
    sandbox = new Sandbox(cli);
    sandbox.copyProject();
    for (const [stack] of STACKS) {
      await sandbox.pulumiOk(["stack", "init", stack]);
      shipped.set(stack, fs.readFileSync(file(stack), "utf8"));
    }
  });
  afterAll(() => sandbox?.cleanup());
  afterEach(() => {
    for (const [stack, text] of shipped) fs.writeFileSync(file(stack), text);
  });

  it.each(
    STACKS.flatMap(([stack, examples, loader]) =>
      Object.keys(examples).map((key) => [stack, key, examples, loader] as const),
    ),
  )(
    "%s: the fix for %s runs and sets a value the stack takes",
    async (stack, key, examples, loader) => {
      // given the shipped config and the command an error about this key prints
      // A list's first element; a map's key (a template parameter's name) a name of the user's.
      const at = key.replace(/\[\]/g, "[0]").replace(/<name>/g, "Stage");
      const command = fixCommand(at, examples);
      // when it is run
      const result = await paste(command, stack);
      // then the CLI took it, and the stack has no complaint about that key
      expect({ command, code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
      expect(problems(stack, loader).filter((l) => l.startsWith(`silkroute:${at} `))).toEqual([]);
    },
  );

  it("global: the pre-flight's fix for a kind left out of silkroute:app.manages appends it", async () => {
    // given an app that manages queues
    const set = await paste("pulumi config set --path 'silkroute:app.manages[0]' queue", "global");
    expect(set.code).toBe(0);
    // when the command the pre-flight prints for a table is run
    const command = addKindCommand(["queue"], "table");
    const result = await paste(command.replace(/ --stack global$/, ""), "global");
    // then the CLI took it, and the app manages both
    expect({ command, code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
    const flat = readStackConfig(sandbox.project, "global");
    expect(loadGlobalConfig((k) => flat[`silkroute:${k}`]).app.manages).toEqual(["queue", "table"]);
  });

  it("global: the fix for a template parameter name no template can declare removes it", async () => {
    // given a parameter set under a name CloudFormation refuses
    const bad = await paste(
      "pulumi config set --path 'silkroute:app.cloudformation.parameters.my-size' 3",
      "global",
    );
    expect(bad.code).toBe(0);
    const before = problems("global", loadGlobalConfig).filter((l) =>
      l.startsWith("silkroute:app.cloudformation.parameters.my-size"),
    );
    expect(before).toHaveLength(1);
    // when the printed command is run
    const command = before[0].slice(before[0].indexOf("Run: ") + 5).split(", and ")[0];
    const result = await paste(command.replace(/ --stack global$/, ""), "global");
    // then the CLI took it, and the name is gone
    expect({ command, code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
    expect(
      problems("global", loadGlobalConfig).filter((l) => l.includes("parameters.my-size")),
    ).toEqual([]);
  });

  it("china: each fix for a disagreement with the global stack runs and settles it", async () => {
    // given global outputs that differ from the shipped china config in every way checked
    const source = () => {
      const flat = readStackConfig(sandbox.project, "china");
      return (k: string) => flat[`silkroute:${k}`];
    };
    const cfg = loadChinaConfig(source());
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
      const command = line.slice(line.indexOf("Run: ") + 5);
      const result = await paste(command.replace(/ --stack china$/, ""), "china");
      expect({ command, code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
    }
    // then the two agree
    expect(checkAgainstGlobal(loadChinaConfig(source()), global)).toEqual([]);
  });
});
