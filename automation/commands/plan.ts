/* eslint-disable @typescript-eslint/no-require-imports -- lazy loads: module node16 emits a
   require() as written, while an import() would stay an ECMAScript import (tsconfig.json). */
import type { CommandModule } from "yargs";
import { ExitCode } from "../exitCodes";
import { CommandContext } from "./context";
import { aSwitch, listOf } from "./options";

export interface PlanArgs {
  json: boolean;
  verbose?: boolean;
  stack?: string[];
  /** List the rules the plan ran (they are always in the JSON). */
  rules?: boolean;
}

/** `silkroute plan`: every stack under the mock engine, no cloud, no Pulumi CLI. */
export function planCommand(ctx: CommandContext): CommandModule<object, PlanArgs> {
  return {
    command: "plan",
    describe: "Show offline what every stack would create, with the policy results",
    builder: (y) =>
      y
        .option(
          "json",
          aSwitch(
            'One JSON document on stdout (docs/plan-json.md), also on failure: {"ok": false, …}',
          ),
        )
        .option(
          "stack",
          listOf(
            "Only these stacks: global, china, app (all app stacks) or app-<env>-<target>; the stacks they read outputs of are evaluated too",
          ),
        )
        .option("rules", aSwitch("Also list the policy rules the plan ran, with what each checks"))
        .example("$0 plan", "the whole system as a tree per stack")
        .example("$0 plan --stack global --json", "the global stack as JSON")
        .example("$0 plan --rules", "the plan, and the rules it judged it by"),
    handler: (args) => runPlan(ctx, args),
  };
}

/**
 * Plans, prints the plan and sets the exit code: 4 when a policy is violated.
 * stderr says first what the plan does and last what it found.
 */
export async function runPlan(ctx: CommandContext, args: PlanArgs): Promise<void> {
  // Loaded here, not at start-up: evaluating stacks loads the Pulumi SDK.
  const { plan } = require("../plan/plan") as typeof import("../plan/plan");
  const { renderPlan, planVerdict } = require("../plan/render") as typeof import("../plan/render");
  const doc = await plan({
    projectDir: ctx.projectDir,
    stacks: args.stack,
    verbose: args.verbose,
    progress: (line) => ctx.io.err(line),
  });
  if (args.json) ctx.printJson({ ...doc });
  else ctx.io.out(renderPlan(doc, { rules: args.rules }));
  const verdict = planVerdict(doc);
  ctx.io.err(verdict);
  if (doc.summary.violations > 0) ctx.setExitCode(ExitCode.Policy, verdict);
}
