import * as fs from "fs";
import * as path from "path";
import yargs, { type CommandModule } from "yargs";
import { main as cliMain } from "../../automation/cli";
import { PlanArgs, planCommand } from "../../automation/commands/plan";
import { main as planMain, plainPlanArgs } from "../../automation/planCli";
import type { CommandContext } from "../../automation/commands/context";
import { GOLDEN_PLAN } from "../helpers/golden";

const root = path.resolve(__dirname, "../..");

/** What yargs parses `argv` to with the plan command's own options (handler replaced). */
async function yargsParse(argv: string[]): Promise<PlanArgs> {
  let parsed: PlanArgs | undefined;
  const ctx = { io: { out: () => undefined, err: () => undefined } } as unknown as CommandContext;
  const command: CommandModule<object, PlanArgs> = {
    ...planCommand(ctx),
    handler: (a) => void (parsed = a),
  };
  await yargs(argv)
    .command(command as unknown as CommandModule)
    .option("verbose", { type: "boolean", default: false })
    .strict()
    .exitProcess(false)
    .fail((message) => {
      throw new Error(message);
    })
    .parseAsync();
  return parsed!;
}

/** Runs an entry in-process and captures what it prints. */
async function run(main: typeof cliMain, argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    io: { out: (t) => out.push(t), err: (t) => err.push(t) },
    projectDir: root,
    services: { env: {} },
  });
  return { code, stdout: out.join(""), stderr: err.join("") };
}

describe("plainPlanArgs", () => {
  it.each([
    [["plan"]],
    [["plan", "--json"]],
    [["plan", "--verbose"]],
    [["plan", "--stack", "global"]],
    [["plan", "--stack=global", "--json"]],
    [["plan", "--stack", "global", "--stack", "app-dev-china", "--json", "--verbose"]],
    [["plan", "--stack", "global,china"]],
    [["plan", "--stack", "global, app-dev-china", "--stack", "global"]],
    [["plan", "--rules", "--json"]],
  ])("parses %j to what yargs parses it to", async (argv) => {
    // when
    const plain = plainPlanArgs(argv);
    const parsed = await yargsParse(argv);
    // then
    expect(plain).toEqual({
      json: parsed.json,
      verbose: parsed.verbose,
      rules: parsed.rules,
      stack: parsed.stack,
    });
  });

  it.each([
    [["plan", "--help"]],
    [["plan", "--jsn"]],
    [["plan", "--json=maybe"]],
    [["plan", "--json", "--json"]],
    [["plan", "--stack"]],
    [["plan", "--stack", "global", "china"]],
    [["plan", "--stack", "--json"]],
    [["plan", "--stack", ""]],
    [["plan", "--stack", ","]],
    [["plan", "extra"]],
    [["--verbose", "plan"]],
    [["deploy", "--env", "dev"]],
  ])("leaves %j to yargs", (argv) => {
    expect(plainPlanArgs(argv)).toBeUndefined();
  });
});

describe("the plan-only entry (automation/planCli.ts)", () => {
  it.each([
    // plain flags (parsed without yargs) …
    [["plan", "--json", "--stack", "app-dev-us-east-1"]],
    [["plan", "--stack", "nope"]],
    // … and what only yargs parses
    [["plan", "--help"]],
    [["plan", "--jsn"]],
    [["plan", "--stack"]],
    [["plan", "--stack", ""]],
    [["plan", "--json=maybe"]],
    [["plan", "--json", "--json"]],
  ])("prints and exits as the full CLI does for %j", async (argv) => {
    // when
    const plan = await run(planMain, argv);
    const cli = await run(cliMain, argv);
    // then
    expect(plan).toEqual(cli);
  });

  it("prints the golden plan under a short passphrase, which it reads no more than any token (a passphrase dev would blank every dev)", async () => {
    // given a passphrase that names in the plan contain
    const out: string[] = [];
    // when
    const code = await planMain(["plan", "--json"], {
      io: { out: (t) => out.push(t.endsWith("\n") ? t : `${t}\n`), err: () => undefined },
      projectDir: root,
      services: { env: { PULUMI_CONFIG_PASSPHRASE: "dev" } },
    });
    // then
    expect(code).toBe(0);
    expect(out.join("") === fs.readFileSync(GOLDEN_PLAN, "utf8")).toBe(true);
  });
});
