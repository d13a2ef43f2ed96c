import type { BackendArgs, JsonArgs, TargetArgs } from "../commands/options";
import { CliError, ExitCode } from "../exitCodes";
import type { StackOutputs } from "../pulumi/runner";
import type { DriverContext } from "./context";
import { openRunner, selectFromConfig } from "./prepare";
import { renderOutputs } from "./render";
import { runTargets, summarize } from "./runTargets";

/** `silkroute outputs`'s arguments, as its command (commands/driverCommands.ts) parses them. */
export interface OutputsArgs extends TargetArgs, BackendArgs, JsonArgs {}

/** `silkroute status`'s arguments, as its command (commands/driverCommands.ts) parses them. */
export interface StatusArgs extends BackendArgs, JsonArgs {
  env: string;
}

/** `silkroute outputs`: each target's stack outputs, read from the state (no program run). */
export async function outputs(ctx: DriverContext, args: OutputsArgs): Promise<void> {
  const selection = selectFromConfig(ctx, args);
  const runner = await openRunner(ctx, args);
  const results = await runTargets(ctx, selection.targets, async (target) => {
    const found = await runner.outputs(target.stackName);
    if (found === undefined) {
      throw new CliError(`stack ${target.stackName} has not been deployed`, ExitCode.Failed);
    }
    return found;
  });
  if (args.json) {
    const values: Record<string, StackOutputs | null> = {};
    for (const r of results) values[r.target.stackName] = r.value ?? null;
    ctx.printJson(renderOutputs.json(values, results));
  } else {
    for (const r of results)
      if (r.value) ctx.io.out(renderOutputs.text(r.target.stackName, r.value));
  }
  if (results.some((r) => !r.ok)) summarize(ctx, "outputs", results);
}

/** The version a target runs, or null when it has not been deployed. */
export interface TargetVersion {
  readonly stackName: string;
  readonly target: string;
  readonly version: string | null;
  /** Why the target's version could not be read. @default none */
  readonly error?: string;
}

/**
 * `silkroute status`: the deployed `version` output of every target of the
 * environment; exit 1 when they differ or a target has not been deployed.
 */
export async function status(ctx: DriverContext, args: StatusArgs): Promise<void> {
  const selection = selectFromConfig(ctx, { env: args.env, target: "all" });
  const runner = await openRunner(ctx, args);
  const results = await runTargets(ctx, selection.targets, (target) =>
    runner.outputs(target.stackName),
  );
  const versions: TargetVersion[] = results.map((r) => {
    const v = r.value?.version?.value;
    return {
      stackName: r.target.stackName,
      target: r.target.target,
      version: typeof v === "string" ? v : v === undefined ? null : JSON.stringify(v),
      ...(r.error !== undefined && { error: r.error }),
    };
  });
  if (results.some((r) => !r.ok)) {
    if (args.json) ctx.printJson({ env: args.env, inSync: false, targets: versions });
    summarize(ctx, "status", results);
    return;
  }
  const distinct = new Set(versions.map((v) => v.version));
  const inSync = distinct.size === 1 && !distinct.has(null);
  if (args.json) {
    ctx.printJson({ env: args.env, inSync, targets: versions });
  } else {
    const width = Math.max(...versions.map((v) => v.stackName.length));
    for (const v of versions)
      ctx.io.out(`${v.stackName.padEnd(width)}  ${v.version ?? "not deployed"}`);
  }
  if (inSync) {
    const [version] = distinct;
    ctx.io.err(`${args.env}: every target runs ${version}`);
    return;
  }
  const described = versions.map((v) => `${v.stackName} ${v.version ?? "not deployed"}`).join(", ");
  const message = versions.every((v) => v.version === null)
    ? `${args.env}: not deployed yet (${described}); deploy it with: silkroute deploy --env ${args.env}`
    : `${args.env}: targets differ (${described}); redeploy the ones behind with: silkroute deploy --env ${args.env} --target <target>`;
  ctx.io.err(message);
  ctx.setExitCode(ExitCode.Failed, message);
}
