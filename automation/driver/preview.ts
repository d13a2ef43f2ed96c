/* eslint-disable @typescript-eslint/no-require-imports -- lazy loads: module node16 emits a
   require() as written, while an import() would stay an ECMAScript import (tsconfig.json). */
import type { BackendArgs, JsonArgs, ProgramArgs } from "../commands/options";
import * as fs from "fs";
import * as path from "path";
import { resultDocument } from "../comments/result";
import type { ChangeKind, TargetPreview } from "../comments/types";
import { ConfigError } from "../../stacks/config/read";
import { CliError, ExitCode } from "../exitCodes";
import type { ChangeSummary, LineSink, PreviewOutcome, StackSpec } from "../pulumi/runner";
import {
  findEnvironment,
  isChinaTarget,
  loadProjectConfig,
  selectTargets,
  Target,
} from "../targets";
import type { DriverContext } from "./context";
import { buildSpecs, openRunner, planPrograms } from "./prepare";
import { checkCommentTarget } from "../comments/source";
import { parseProjectStacks, projectStackSpecs } from "./projectStacks";
import { Named, runTargets, summarize, TargetResult } from "./runTargets";

/** `silkroute preview`'s arguments, as its command (commands/driverCommands.ts) parses them. */
export interface PreviewArgs extends BackendArgs, ProgramArgs, JsonArgs {
  env: string;
  /** Absent when only --stacks is previewed. */
  target?: string;
  comment?: "github" | "codecommit";
  pr?: string;
  /** Also write the previews as a result document (automation/comments/result.ts) to this file. */
  resultFile?: string;
  /** Preview the China target against an empty throwaway stack, never reading its state. */
  freshChina?: boolean;
  /** Stacks of the repository's own Pulumi project (`global`, `china`), comma-separated or repeated. */
  stacks?: string[];
  stacksBackend?: string;
}

const KINDS: readonly ChangeKind[] = ["create", "update", "replace", "delete", "same"];

/** The five counts of the PR comment from Pulumi's change summary. */
export function changeCounts(summary: ChangeSummary): Record<ChangeKind, number> {
  return Object.fromEntries(KINDS.map((k) => [k, summary[k] ?? 0])) as Record<ChangeKind, number>;
}

/** One target's (or project stack's) preview as the PR comment shows it; every text field redacted. */
export function toTargetPreview(
  result: TargetResult<PreviewOutcome, Named>,
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
    ...(outcome?.notDeployed === true && { notDeployed: true }),
    ...(outcome?.fresh === true && { fresh: true }),
    ...(result.error !== undefined && { error: redact(result.error) }),
  };
}

/** One preview to run: an app target, or a stack of the project (`--stacks`). */
interface PreviewItem extends Named {
  run(log: LineSink): Promise<PreviewOutcome>;
}

/**
 * `silkroute preview`: a preview of every selected target, and of the
 * project's own stacks named by --stacks, concurrently; with --comment, one
 * pull-request comment with all of them (posted even when a preview failed);
 * with --result-file, the same previews as a result document, written even
 * when a preview failed. Exit 1 if a preview failed, 4 on policy violations.
 */
export async function preview(ctx: DriverContext, args: PreviewArgs): Promise<void> {
  const cfg = loadProjectConfig(ctx.projectDir);
  findEnvironment(cfg, args.env);
  const stackNames = parseProjectStacks(args.stacks, ctx.projectDir);
  if (args.target === undefined && stackNames.length === 0) {
    throw new CliError(
      "name what to preview: --target <global|china|all|<region>>, --stacks global,china, or both",
      ExitCode.Usage,
    );
  }
  const targets = args.target === undefined ? [] : selectTargets(cfg, args.env, args.target);
  // Every flag, token, pull request and repository is checked before anything starts.
  const programs =
    targets.length === 0
      ? undefined
      : planPrograms(ctx, { cfg, targets }, { ...args, target: args.target! });
  if (args.comment !== undefined) checkCommentTarget(args.comment, args.pr, ctx.env);
  if (args.resultFile !== undefined) checkWritable(args.resultFile);
  const runner = await openRunner(ctx, args);
  const specs =
    programs === undefined
      ? new Map<string, StackSpec>()
      : await buildSpecs(ctx, { cfg, targets }, programs);
  const preflight = await appStackFindings(ctx, targets);
  const items: PreviewItem[] = [
    ...targets.map((t) => ({
      stackName: t.stackName,
      run: async (log: LineSink) => {
        const outcome = await runner.preview(specs.get(t.stackName)!, log, {
          fresh: args.freshChina === true && isChinaTarget(t),
        });
        const found = preflight.get(t.stackName) ?? [];
        return found.length === 0
          ? outcome
          : { ...outcome, violations: [...outcome.violations, ...found] };
      },
    })),
    ...projectStackSpecs(stackNames, ctx.projectDir, args, ctx.env).map((spec) => ({
      stackName: spec.stackName,
      run: (log: LineSink) => runner.previewProjectStack(spec, log),
    })),
  ];
  const captured = new Map<string, string[]>();
  const results = await runTargets(ctx, items, async (item, log) => {
    const lines: string[] = [];
    captured.set(item.stackName, lines);
    return item.run((line) => {
      lines.push(line);
      log(line);
    });
  });
  const redact = ctx.redactor.redact;
  const previews = results.map((r) =>
    toTargetPreview(r, captured.get(r.target.stackName) ?? [], redact),
  );
  if (args.json) {
    ctx.printJson({ env: args.env, previews });
  } else {
    for (const p of previews) {
      const counts = KINDS.map((k) => `${p.changes[k]} ${k}`).join(", ");
      const note = p.fresh
        ? " (previewed against an empty stack, its state not read: what a fresh deploy would create)"
        : p.notDeployed
          ? " (not deployed yet: previewed against an empty stack)"
          : "";
      ctx.io.out(
        `${p.name}: ${p.status === "succeeded" ? `${counts}${note}` : `failed: ${p.error ?? "unknown error"}`}`,
      );
      for (const v of p.violations) ctx.io.out(`  policy: ${v}`);
    }
  }
  if (args.resultFile !== undefined) writeResult(args.resultFile, args.env, previews);
  summarize(ctx, "preview", results);
  const violations = previews.reduce((n, p) => n + p.violations.length, 0);
  if (results.every((r) => r.ok) && violations > 0) {
    const message = `${violations} policy violation(s) in the previews`;
    ctx.io.err(message);
    ctx.setExitCode(ExitCode.Policy, message);
  }
  if (args.comment !== undefined) {
    const publish =
      ctx.services.publishComment ??
      (require("../comments/publish") as typeof import("../comments/publish"))
        .publishPreviewComment;
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

/** A usage error unless `file` can be written: its folder exists and is writable, it is no folder. */
function checkWritable(file: string): void {
  const target = path.resolve(file);
  let problem: string | undefined;
  try {
    if (fs.existsSync(target)) {
      if (fs.statSync(target).isDirectory()) problem = "is a folder";
      else fs.accessSync(target, fs.constants.W_OK);
    } else {
      fs.accessSync(path.dirname(target), fs.constants.W_OK);
    }
  } catch (error) {
    problem = `cannot be written (${(error as NodeJS.ErrnoException).code ?? "unwritable"})`;
  }
  if (problem !== undefined) {
    throw new CliError(
      `--result-file ${file} ${problem}: give it a path in a writable folder`,
      ExitCode.Usage,
    );
  }
}

/**
 * The offline plan's findings for the previewed app stacks, by stack name
 * (`silkroute/<rule>: <message>`): the pre-flight ("would the deploy be
 * allowed?", against the deploy identities the global and china stacks
 * grant with this config), the China template lint and the other rules.
 */
async function appStackFindings(
  ctx: DriverContext,
  targets: readonly Target[],
): Promise<Map<string, string[]>> {
  if (targets.length === 0) return new Map();
  const { plan } = require("../plan/plan") as typeof import("../plan/plan");
  let doc;
  try {
    doc = await plan({
      projectDir: ctx.projectDir,
      stacks: targets.map((t) => `app-${t.stackName}`),
    });
  } catch (error) {
    // A project the plan cannot read (no Pulumi.china.yaml, say) still previews.
    if (!(error instanceof CliError) && !(error instanceof ConfigError)) throw error;
    ctx.io.err(`warning: no pre-flight check: ${ctx.redactor.redact(error.message)}`);
    return new Map();
  }
  return new Map(
    doc.stacks.map((s) => [
      s.name.replace(/^app-/, ""),
      s.violations.map((v) => `silkroute/${v.policy}: ${v.message}`),
    ]),
  );
}

/** Writes the (already redacted) previews as a result document; a write failure is exit 1. */
function writeResult(file: string, env: string, previews: readonly TargetPreview[]): void {
  try {
    fs.writeFileSync(file, resultDocument(env, previews), { encoding: "utf8", mode: 0o644 });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? "write failed";
    throw new CliError(
      `Could not write the result file ${file} (${reason}): give --result-file a writable path.`,
      ExitCode.Failed,
    );
  }
}
