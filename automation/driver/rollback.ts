import { awsErrorName, firstLine, isAccessDenied } from "../awsClients";
import type { BackendArgs, ChinaParameterArgs, JsonArgs } from "../commands/options";
import { CliError, ExitCode } from "../exitCodes";
import type { PulumiRunner, StackOutputs, UpdateRecord } from "../pulumi/runner";
import type { Target } from "../targets";
import type { DriverContext } from "./context";
import { deployedVersions, previousVersion, rollbackMessage } from "./history";
import { buildSpecs, openRunner, planPrograms, selectFromConfig, TargetSpec } from "./prepare";
import { keptVersions, listAppCode } from "./pruneCode";
import { renderOutputs } from "./render";
import { runTargets, summarize } from "./runTargets";

/** `silkroute rollback`'s arguments, as its command (commands/operationsCommands.ts) parses them. */
export interface RollbackArgs extends BackendArgs, ChinaParameterArgs, JsonArgs {
  env: string;
  target: string;
  /** A version whose code zip is kept, or `previous`. */
  to: string;
  refresh: boolean;
  artifactBucket?: string[];
}

const VERSION = /^[A-Za-z0-9._-]{1,128}$/;
/** `--to previous`: the version deployed before the current one. */
export const PREVIOUS = "previous";

/**
 * `silkroute rollback`: `pulumi up` of every selected target, concurrently,
 * with the program deploying the version's code zip that retention kept in
 * each target's bucket (never the checkout, never a rebuild). Every zip must
 * be there before anything runs: a version no longer kept is exit 2, listing
 * the kept ones. The pipeline is left alone (docs/operations.md).
 */
export async function rollback(ctx: DriverContext, args: RollbackArgs): Promise<void> {
  const to = args.to.trim();
  if (to !== PREVIOUS && !VERSION.test(to)) {
    throw new CliError(
      `--to must be a version (1-128 letters, digits, '.', '_' or '-') or ${PREVIOUS}, got ${JSON.stringify(args.to)}`,
      ExitCode.Usage,
    );
  }
  const selection = selectFromConfig(ctx, args);
  // The flags checked before anything starts; `previous` is named once the history is read.
  const programs = planPrograms(ctx, selection, { ...args, appVersion: to });
  const runner = await openRunner(ctx, args);
  const version = to === PREVIOUS ? await previousOf(runner, selection.targets) : to;
  const specs = await buildSpecs(ctx, selection, { ...programs, version }, { keptCode: true });
  await requireKept(ctx, selection.targets, specs, version);
  ctx.io.err(
    `rolling ${args.env} back to ${version}: ${selection.targets.map((t) => t.stackName).join(", ")}`,
  );
  const results = await runTargets(ctx, selection.targets, async (target, log) => {
    const spec = specs.get(target.stackName)!;
    if (args.refresh) await runner.refresh(spec, log);
    const { outputs } = await runner.up(spec, log, { message: rollbackMessage(version) });
    return outputs;
  });
  const outputs: Record<string, StackOutputs | null> = {};
  for (const r of results) outputs[r.target.stackName] = r.value ?? null;
  if (args.json) {
    ctx.printJson({ env: args.env, version, ...renderOutputs.json(outputs, results) });
  } else {
    for (const r of results)
      if (r.ok && r.value) ctx.io.out(renderOutputs.text(r.target.stackName, r.value));
  }
  summarize(ctx, `rollback to ${version}`, results);
}

/** The version deployed before the current one, from the selected stacks' history. */
async function previousOf(runner: PulumiRunner, targets: readonly Target[]): Promise<string> {
  const histories: Record<string, readonly UpdateRecord[]> = {};
  const absent: string[] = [];
  await Promise.all(
    targets.map(async (t) => {
      const history = await runner.history(t.stackName);
      if (history === undefined) absent.push(t.stackName);
      else histories[t.stackName] = history;
    }),
  );
  const stacks = targets.map((t) => t.stackName).join(", ");
  if (absent.length > 0) {
    throw new CliError(
      `${absent.sort().join(", ")} ${absent.length === 1 ? "has" : "have"} not been deployed: there is nothing to roll back; name the targets that were with --target`,
      ExitCode.Usage,
    );
  }
  const { current, previous } = previousVersion(deployedVersions(histories));
  if (previous === undefined) {
    throw new CliError(
      current === undefined
        ? `no update in the history of ${stacks} names the version it deployed (updates before silkroute recorded it do not); name the version: --to <version>`
        : `${stacks} ran no version before ${current} in their history; name the version: --to <version>`,
      ExitCode.Usage,
    );
  }
  return previous;
}

/**
 * Every target's bucket must still keep the version's zip. A version no
 * longer kept anywhere is a usage error naming the versions kept in every
 * selected target; a listing the identity may not make is a credentials error.
 */
async function requireKept(
  ctx: DriverContext,
  targets: readonly Target[],
  specs: ReadonlyMap<string, TargetSpec>,
  version: string,
): Promise<void> {
  const kept = new Map<string, string[]>();
  await Promise.all(
    targets.map(async (t) => {
      const site = specs.get(t.stackName)!.code;
      try {
        kept.set(t.stackName, keptVersions(await listAppCode(site, ctx.services.aws), site.folder));
      } catch (error) {
        const where = `s3://${site.bucket}/${site.folder}`;
        const reason = ctx.redactor.redact(`${awsErrorName(error)}: ${firstLine(error)}`);
        throw new CliError(
          isAccessDenied(error)
            ? `cannot list the kept code zips of ${t.stackName} in ${where} (${reason}): run rollback with the environment's deploy identity`
            : `cannot list the kept code zips of ${t.stackName} in ${where}: ${reason}`,
          isAccessDenied(error) ? ExitCode.Credentials : ExitCode.Failed,
        );
      }
    }),
  );
  const keptIn = (t: Target) => kept.get(t.stackName) ?? [];
  const missing = targets.filter((t) => !keptIn(t).includes(version));
  if (missing.length === 0) return;
  const [first] = targets.map(keptIn);
  const everywhere = (first ?? []).filter((v) => targets.every((t) => keptIn(t).includes(v)));
  const where = missing
    .map((t) => {
      const site = specs.get(t.stackName)!.code;
      return `${t.stackName} (s3://${site.bucket}/${site.folder})`;
    })
    .join(", ");
  throw new CliError(
    `version ${version} is no longer kept for ${where}, so it cannot be deployed again without a rebuild; versions kept in every selected target, newest first: ${everywhere.length > 0 ? everywhere.join(", ") : "none"}`,
    ExitCode.Usage,
  );
}
