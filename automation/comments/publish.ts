import { CodeCommitClient } from "@aws-sdk/client-codecommit";
import { CliError, ExitCode } from "../exitCodes";
import { defaultCodeCommitClient, upsertCodeCommitComment } from "./codecommit";
import { upsertGitHubComment } from "./github";
import { commentMarker, renderPreviewComment } from "./render";
import { PR_VARIABLES, codeCommitTarget, gitHubTarget } from "./source";
import { COMMENT_LIMITS, measure, sliceToFit } from "./text";
import { TargetPreview } from "./types";

export interface PublishOptions {
  readonly provider: "github" | "codecommit";
  /** Pull request id. @default from SILKROUTE_PR or CODEBUILD_WEBHOOK_TRIGGER=pr/<n> */
  readonly pr?: string;
  /** The silkroute environment: one comment per pull request AND environment. */
  readonly env: string;
  readonly previews: readonly TargetPreview[];
  /** Value-based redaction from the driver; applied to every field and to the whole body. */
  readonly redact: (text: string) => string;
  /** The driver's snapshot of process.env in production (ctx.env); tests pass their own. */
  readonly environment: NodeJS.ProcessEnv;
  /** @default a new client in the pipeline Region (AWS_REGION) */
  readonly codecommitClient?: CodeCommitClient;
  /** @default the global fetch */
  readonly fetchImpl?: typeof fetch;
}

/** Redacts every text field before rendering, so a cut can never leave half a secret behind. */
function redactPreview(p: TargetPreview, redact: (text: string) => string): TargetPreview {
  return {
    ...p,
    name: redact(p.name),
    resources: p.resources.map((r) => ({
      op: redact(r.op),
      type: redact(r.type),
      name: redact(r.name),
    })),
    diff: redact(p.diff),
    violations: p.violations.map(redact),
    ...(p.error === undefined ? {} : { error: redact(p.error) }),
  };
}

/** What a comment body is made of, whoever posts it. */
export interface CommentBodyOptions {
  readonly provider: "github" | "codecommit";
  readonly env: string;
  readonly previews: readonly TargetPreview[];
  /** Applied to every field and to the whole body. */
  readonly redact: (text: string) => string;
  /** The full build log, linked when details are cut. @default none */
  readonly buildUrl?: string;
  /** The commit previewed, shown under the title. @default none */
  readonly commit?: string;
}

/** The comment body for `o`, redacted and within the provider's size budget. */
export function previewCommentBody(o: CommentBodyOptions): string {
  const body = o.redact(
    renderPreviewComment(
      o.previews.map((p) => redactPreview(p, o.redact)),
      { env: o.env, provider: o.provider, buildUrl: o.buildUrl, commit: o.commit },
    ),
  );
  return withinBudget(o.provider, body);
}

/** A redaction longer than the value it hides could push a body over its budget: the end goes first. */
export function withinBudget(provider: "github" | "codecommit", body: string): string {
  const { budget, unit } = COMMENT_LIMITS[provider];
  return measure(body, unit) <= budget ? body : sliceToFit(body, budget, unit);
}

/** `text` without the token, as set and as sent (trimmed), after `redact`. */
export function scrubToken(
  token: string | undefined,
  redact: (text: string) => string,
): (text: string) => string {
  const raw = token ?? "";
  const tokens = [raw, raw.trim()].filter((t) => t !== "").sort((a, b) => b.length - a.length);
  return (text) =>
    tokens.reduce((redacted, value) => redacted.split(value).join("[secret]"), redact(text));
}

/**
 * Posts the preview of `o.env` on the pull request, or updates the comment posted before (found by
 * its hidden marker on any page). Failures are one-line CliErrors naming what to fix.
 */
export async function publishPreviewComment(
  o: PublishOptions,
): Promise<{ action: "created" | "updated"; id: string }> {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(o.env)) {
    throw new CliError(
      `Environment name "${o.redact(o.env)}" cannot mark a comment: use letters, digits, -, _ or .`,
      ExitCode.Usage,
    );
  }
  const marker = commentMarker(o.env);
  const body = () =>
    previewCommentBody({
      ...o,
      buildUrl: o.environment.CODEBUILD_BUILD_URL,
      commit:
        o.environment[PR_VARIABLES.sourceCommit] ?? o.environment.CODEBUILD_RESOLVED_SOURCE_VERSION,
    });
  try {
    if (o.provider === "github") {
      const target = gitHubTarget(o.pr, o.environment);
      return await upsertGitHubComment(target, marker, body(), o.fetchImpl ?? fetch);
    }
    const target = codeCommitTarget(o.pr, o.environment);
    const client = o.codecommitClient ?? defaultCodeCommitClient(o.environment);
    return await upsertCodeCommitComment(client, target, marker, body());
  } catch (error) {
    // Messages may quote a service's answer: redact them like everything else that leaves the process,
    // and the GitHub token too, which the driver's redaction may not know.
    const scrub = scrubToken(o.environment.GITHUB_TOKEN, o.redact);
    if (error instanceof CliError) throw new CliError(scrub(error.message), error.exitCode);
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(scrub(`Posting the preview comment failed: ${message}`), ExitCode.Failed);
  }
}
