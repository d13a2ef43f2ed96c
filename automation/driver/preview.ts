import type { PreviewArgs } from "../commands/driverCommands";
import type { ChangeKind, TargetPreview } from "../comments/types";
import { ExitCode } from "../exitCodes";
import type { ChangeSummary, PreviewOutcome } from "../pulumi/runner";
import type { DriverContext } from "./context";
import { buildSpecs, openRunner, selectFromConfig } from "./prepare";
import { runTargets, summarize, TargetResult } from "./runTargets";

const KINDS: readonly ChangeKind[] = ["create", "update", "replace", "delete", "same"];

/** The five counts of the PR comment from Pulumi's change summary. */
export function changeCounts(summary: ChangeSummary): Record<ChangeKind, number> {
  return Object.fromEntries(KINDS.map((k) => [k, summary[k] ?? 0])) as Record<ChangeKind, number>;
}

/** One target's preview as the PR comment shows it; every text field redacted. */
export function toTargetPreview(
  result: TargetResult<PreviewOutcome>,
  lines: readonly string[],
  redact: (text: string) => string,
): TargetPreview {
  const outcome = result.value;
  return {
    name: result.target.stackName,
    status: result.ok ? "succeeded" : "failed",
    changes: changeCounts(outcome?.changeSummary ?? {}),
    resources: (outcome?.resources ?? []).map((r) => ({
      op: r.op,
      type: r.type,
      name: redact(r.name),
    })),
    diff: redact(lines.join("\n")),
    violations: (outcome?.violations ?? []).map(redact),
    ...(result.error !== undefined && { error: redact(result.error) }),
  };
}

/**
 * `silkroute preview`: a preview of every selected target, concurrently;
 * with --comment, one pull-request comment with all of them (posted even when
 * a preview failed). Exit 1 if a preview failed, 4 on policy violations.
 */
export async function preview(ctx: DriverContext, args: PreviewArgs): Promise<void> {
  const selection = selectFromConfig(ctx, args);
  const runner = await openRunner(ctx, args);
  const specs = await buildSpecs(ctx, selection, args);
  const captured = new Map<string, string[]>();
  const results = await runTargets(ctx, selection.targets, async (target, log) => {
    const lines: string[] = [];
    captured.set(target.stackName, lines);
    return runner.preview(specs.get(target.stackName)!, (line) => {
      lines.push(line);
      log(line);
    });
  });
  const redact = ctx.redactor.redact;
  const previews = results.map((r) =>
    toTargetPreview(r, captured.get(r.target.stackName) ?? [], redact),
  );
  if (args.json) {
    ctx.io.out(JSON.stringify({ env: args.env, previews }, null, 2));
  } else {
    for (const p of previews) {
      const counts = KINDS.map((k) => `${p.changes[k]} ${k}`).join(", ");
      ctx.io.out(
        `${p.name}: ${p.status === "succeeded" ? counts : `failed: ${p.error ?? "unknown error"}`}`,
      );
      for (const v of p.violations) ctx.io.out(`  policy: ${v}`);
    }
  }
  summarize(ctx, "preview", results);
  if (results.every((r) => r.ok) && previews.some((p) => p.violations.length > 0)) {
    ctx.setExitCode(ExitCode.Policy);
  }
  if (args.comment !== undefined) {
    const publish =
      ctx.services.publishComment ?? (await import("../comments/publish")).publishPreviewComment;
    const posted = await publish({
      provider: args.comment,
      ...(args.pr !== undefined && { pr: args.pr }),
      env: args.env,
      previews,
      redact,
      environment: ctx.env,
      ...(ctx.services.fetch && { fetchImpl: ctx.services.fetch }),
      ...(ctx.services.codecommitClient && { codecommitClient: ctx.services.codecommitClient }),
    });
    ctx.io.err(`preview comment ${posted.action} (${args.comment} comment ${posted.id})`);
  }
}
