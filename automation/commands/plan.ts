import type { CommandModule } from "yargs";
import { ExitCode } from "../exitCodes";
import { CommandContext } from "./context";

export interface PlanArgs {
  json: boolean;
  verbose?: boolean;
  stack?: string[];
}

/** `silkroute plan`: every stack under the mock engine, no cloud, no Pulumi CLI. */
export function planCommand(ctx: CommandContext): CommandModule<object, PlanArgs> {
  return {
    command: "plan",
    describe: "Show offline what every stack would create, with the policy results",
    builder: (y) =>
      y
        .option("json", {
          type: "boolean",
          default: false,
          describe: "One JSON document on stdout",
        })
        .option("stack", {
          type: "string",
          array: true,
          describe:
            "Only these stacks: global, china, app (all app stacks) or app-<env>-<target>; the stacks they read outputs of are evaluated too",
        })
        .example("$0 plan", "the whole system as a tree per stack")
        .example("$0 plan --stack global --json", "the global stack as JSON"),
    handler: (args) => runPlan(ctx, args),
  };
}

/** Plans, prints the plan and sets the exit code: 4 when a policy is violated. */
export async function runPlan(ctx: CommandContext, args: PlanArgs): Promise<void> {
  // Loaded here, not at start-up: evaluating stacks loads the Pulumi SDK.
  const { plan } = await import("../plan/plan");
  const doc = await plan({
    projectDir: ctx.projectDir,
    stacks: args.stack,
    verbose: args.verbose,
  });
  if (args.json) {
    ctx.io.out(JSON.stringify(doc, null, 2));
  } else {
    const { renderPlan } = await import("../plan/render");
    ctx.io.out(renderPlan(doc));
  }
  const violations = doc.stacks.some((s) => s.violations.length > 0);
  ctx.setExitCode(violations ? ExitCode.Policy : ExitCode.Ok);
}
