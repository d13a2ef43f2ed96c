import { itemAt } from "../../components/lookup";
import type { BackendArgs, ChinaParameterArgs, JsonArgs } from "../commands/options";
import { ExitCode } from "../exitCodes";
import type { DriftOutcome, LineSink } from "../pulumi/runner";
import { loadProjectConfig, selectTargets } from "../targets";
import type { DriverContext } from "./context";
import { driftReport, renderDriftText } from "./driftReport";
import { buildSpecs, openRunner, planPrograms } from "./prepare";
import { parseProjectStacks, projectStackSpecs } from "./projectStacks";
import { Named, runTargets, summarize } from "./runTargets";

/** `silkroute drift`'s arguments, as its command (commands/operationsCommands.ts) parses them. */
export interface DriftArgs extends BackendArgs, ChinaParameterArgs, JsonArgs {
  env: string;
  target: string;
  artifactBucket?: string[];
  /** Stacks of the repository's own Pulumi project (`global`, `china`), comma-separated or repeated. */
  stacks?: string[];
  stacksBackend?: string;
}

/** One drift check to run: an app target, or a stack of the project (`--stacks`). */
interface DriftItem extends Named {
  readonly app: boolean;
  run(log: LineSink): Promise<DriftOutcome>;
}

/**
 * `silkroute drift`: a refresh preview of every selected target (and of the
 * project's own stacks named by --stacks), concurrently: what was changed or
 * deleted outside Pulumi, nothing written to the state or the cloud. Exit 1
 * when a target drifted or a check failed, 3 on credentials (before any
 * check runs).
 */
export async function drift(ctx: DriverContext, args: DriftArgs): Promise<void> {
  const cfg = loadProjectConfig(ctx.projectDir);
  const targets = selectTargets(cfg, args.env, args.target);
  const stackNames = parseProjectStacks(args.stacks, ctx.projectDir);
  const programs = planPrograms(ctx, { cfg, targets }, args);
  const runner = await openRunner(ctx, args);
  const specs = await buildSpecs(ctx, { cfg, targets }, programs);
  const items: DriftItem[] = [
    ...targets.map((t) => ({
      stackName: t.stackName,
      app: true,
      run: (log: LineSink) => runner.drift(specs.get(t.stackName)!, log),
    })),
    ...projectStackSpecs(stackNames, ctx.projectDir, args, ctx.env).map((spec) => ({
      stackName: spec.stackName,
      app: false,
      run: (log: LineSink) => runner.driftProjectStack(spec, log),
    })),
  ];
  const results = await runTargets(ctx, items, (item, log) => item.run(log));
  const report = driftReport(args.env, results, ctx.redactor.redact);
  if (args.json) ctx.printJson({ ...report });
  else ctx.io.out(renderDriftText(report));
  summarize(ctx, "drift check", results);
  const drifted = results.filter(
    (r, i) => r.ok && itemAt(report.targets, i, "the drift report of target").drifted,
  );
  if (drifted.length === 0) return;
  for (const r of drifted) {
    const name = r.target.stackName;
    if (!r.target.app) {
      ctx.io.err(
        `${name} drifted: review the change, then put it in the program or undo it with: pulumi up --stack ${name} --refresh`,
      );
      continue;
    }
    const target = targets.find((t) => t.stackName === name)!;
    const outputs = await runner.outputs(name).catch(() => undefined);
    const version = outputs?.version?.value;
    const to = typeof version === "string" ? version : "<deployed version>";
    ctx.io.err(
      `${name} drifted: undo it by redeploying its version from the kept code, from a checkout of that version (the program comes from the checkout): silkroute rollback --env ${args.env} --target ${target.target} --to ${to} --refresh; or keep the change by putting it in the program and deploying through the pipeline`,
    );
  }
  const message = `drift in ${drifted.map((r) => r.target.stackName).join(", ")}`;
  ctx.io.err(message);
  ctx.setExitCode(ExitCode.Failed, message);
}
