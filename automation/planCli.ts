// First: before any module makes a schema.
import "./zodConfig";
import { parseArgs } from "util";
import type { CommandModule } from "yargs";
import { splitList } from "./commands/options";
import { PlanArgs, planCommand, runPlan } from "./commands/plan";
import { finish, MainOptions, runCommands, startRun } from "./commands/run";

// How bin/silkroute.js ends the process with main's code: from the bundle, as main is.
export { exitWith } from "./exitStatus";

/**
 * The CLI with the `plan` command alone: what bin/silkroute.js runs for `silkroute plan …`,
 * bundled by `npm run build` into dist/bundle/plan.js with the plan engine, the stacks and the
 * parts of @pulumi/* they use. It prints and exits exactly as automation/cli.ts does.
 */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  // The plan reads no token: it calls nothing and runs no Pulumi CLI.
  const run = startRun(options, false);
  const args = plainPlanArgs(argv);
  // Anything else (--help, a typo, a flag without its value) goes through yargs, as in the full CLI.
  if (args === undefined) {
    return runCommands(argv, run, [planCommand(run.ctx) as CommandModule]);
  }
  try {
    await runPlan(run.ctx, args);
  } catch (error) {
    return finish(run, argv, error);
  }
  return finish(run, argv);
}

/**
 * The flags of `plan --json --verbose --rules --stack <names>…` when that is all `argv` holds, each switch
 * at most once and every --stack with a value (a list: commas and repetition alike, as listOf
 * reads it); otherwise undefined. Parsing this much needs no yargs (about 20 ms of start-up), and
 * yargs parses it to the same values.
 */
export function plainPlanArgs(argv: readonly string[]): PlanArgs | undefined {
  if (argv[0] !== "plan") return undefined;
  try {
    const { values, tokens } = parseArgs({
      args: argv.slice(1),
      options: {
        json: { type: "boolean" },
        verbose: { type: "boolean" },
        rules: { type: "boolean" },
        stack: { type: "string", multiple: true },
      },
      strict: true,
      allowPositionals: false,
      tokens: true,
    });
    const given = (name: string) => tokens.filter((t) => t.kind === "option" && t.name === name);
    if (["json", "verbose", "rules"].some((flag) => given(flag).length > 1)) return undefined;
    // A value that looks like a flag is yargs' to refuse.
    if (values.stack?.some((name) => name.startsWith("-"))) return undefined;
    const stack = values.stack && splitList(values.stack);
    if (stack?.length === 0) return undefined;
    return {
      json: values.json ?? false,
      verbose: values.verbose ?? false,
      rules: values.rules ?? false,
      stack,
    };
  } catch {
    return undefined;
  }
}
