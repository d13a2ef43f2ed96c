import { awsErrorName, firstLine } from "../awsClients";
import type { BackendArgs, JsonArgs, ProgramArgs, TargetArgs } from "../commands/options";
import { CliError, ExitCode } from "../exitCodes";
import type { StackOutputs } from "../pulumi/runner";
import type { DriverContext } from "./context";
import { deployMessage } from "./history";
import { renderOutputs } from "./render";
import { buildSpecs, openRunner, planPrograms, selectFromConfig } from "./prepare";
import { pruneAppCode } from "./pruneCode";
import { runTargets, summarize } from "./runTargets";

/** `silkroute deploy`'s arguments, as its command (commands/driverCommands.ts) parses them. */
export interface DeployArgs extends TargetArgs, BackendArgs, ProgramArgs, JsonArgs {
  refresh: boolean;
}

/** `silkroute destroy`'s arguments, as its command (commands/driverCommands.ts) parses them. */
export interface DestroyArgs extends TargetArgs, BackendArgs, ProgramArgs {
  yes: boolean;
}

/**
 * `silkroute deploy`: `pulumi up` of the app stack in every selected target,
 * concurrently; then, in each target deployed, only the newest
 * silkroute:appVersionsKept code zips of the environment stay in its bucket.
 */
export async function deploy(ctx: DriverContext, args: DeployArgs): Promise<void> {
  const selection = selectFromConfig(ctx, args);
  const programs = planPrograms(ctx, selection, args);
  const runner = await openRunner(ctx, args);
  const specs = await buildSpecs(ctx, selection, programs);
  const keep = selection.cfg.appVersionsKept;
  // The version each update deployed, for `rollback --to previous` (history.ts).
  const message = deployMessage(programs.version);
  const results = await runTargets(ctx, selection.targets, async (target, log) => {
    const spec = specs.get(target.stackName)!;
    if (args.refresh) await runner.refresh(spec, log);
    const { outputs } = await runner.up(spec, log, { message });
    // The deploy stands either way: a failed clean-up only leaves old zips.
    try {
      const pruned = await pruneAppCode(spec.code, keep, ctx.services.aws);
      if (pruned.length > 0) {
        log(
          `removed ${pruned.length} old code zip(s) from ${spec.code.bucket}/${spec.code.folder}, kept the newest ${keep}`,
        );
      }
    } catch (error) {
      log(
        `warning: old code zips kept in ${spec.code.bucket}/${spec.code.folder}: ${ctx.redactor.redact(`${awsErrorName(error)}: ${firstLine(error)}`)}`,
      );
    }
    return outputs;
  });
  const outputs: Record<string, StackOutputs | null> = {};
  for (const r of results) outputs[r.target.stackName] = r.value ?? null;
  if (args.json) {
    ctx.printJson(renderOutputs.json(outputs, results));
  } else {
    for (const r of results)
      if (r.ok && r.value) ctx.io.out(renderOutputs.text(r.target.stackName, r.value));
  }
  summarize(ctx, "deploy", results);
}

/** `silkroute destroy --yes`: deletes the app stack's resources, the program re-run for its providers. */
export async function destroy(ctx: DriverContext, args: DestroyArgs): Promise<void> {
  const selection = selectFromConfig(ctx, args);
  if (!args.yes) {
    const stacks = selection.targets.map((t) => t.stackName).join(", ");
    throw new CliError(
      `destroy deletes every resource of ${stacks}; add --yes to confirm`,
      ExitCode.Usage,
    );
  }
  const programs = planPrograms(ctx, selection, args);
  const runner = await openRunner(ctx, args);
  const specs = await buildSpecs(ctx, selection, programs);
  const results = await runTargets(ctx, selection.targets, async (target, log) => {
    const outcome = await runner.destroy(specs.get(target.stackName)!, log);
    if (outcome === "absent") log(`stack ${target.stackName} does not exist; nothing to destroy`);
    return outcome;
  });
  summarize(ctx, "destroy", results);
}
