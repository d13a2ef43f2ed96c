import { CodeCommitClient } from "@aws-sdk/client-codecommit";
import { S3Client } from "@aws-sdk/client-s3";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { upsertCodeCommitComment } from "../comments/codecommit";
import { renderFailureComment } from "../comments/failure";
import { upsertGitHubComment } from "../comments/github";
import { previewCommentBody, scrubToken, withinBudget } from "../comments/publish";
import { commentMarker } from "../comments/render";
import { parseResult, RESULT_LIMITS } from "../comments/result";
import { redactCredentialShapes } from "../comments/scrub";
import type { TargetPreview } from "../comments/types";
import { Redactor } from "../redact";
import { commenterConfig, CommenterConfig } from "./config";
import { BuildEnd, parseBuildEnd, pullRequestOf, resultKeyOf } from "./event";
import { archiveLimit, openResultArchive } from "./resultArchive";
import { readResultObject } from "./resultObject";

/** What the poster talks to; the Lambda entry builds the real ones, tests pass their own. */
export interface CommenterDeps {
  readonly config: CommenterConfig;
  readonly s3: S3Client;
  readonly secrets: SecretsManagerClient;
  readonly codecommit: CodeCommitClient;
  readonly fetchImpl: typeof fetch;
  /** One line per invocation, to the function's log. */
  readonly log: (line: string) => void;
}

/** What one invocation did. */
export type CommentOutcome =
  | {
      readonly posted: "preview" | "failure";
      readonly action: "created" | "updated";
      readonly id: string;
    }
  | { readonly skipped: string };

const ARCHIVE_BYTES = archiveLimit(RESULT_LIMITS.bytes);

type Previews =
  | { readonly ok: true; readonly previews: readonly TargetPreview[] }
  | { readonly ok: false; readonly reason: string };

/** The result as previews, or why there is none (never quoting the result). */
async function readPreviews(build: BuildEnd, deps: CommenterDeps): Promise<Previews> {
  const none = (reason: string): Previews => ({ ok: false, reason });
  // CodeBuild uploads the result in UPLOAD_ARTIFACTS: a build that never got there has none.
  const key = resultKeyOf(build, deps.config.bucket);
  if (!build.uploaded || key === undefined) return none("the build left no result");
  const found = await readResultObject(deps.s3, deps.config.bucket, key, ARCHIVE_BYTES);
  if (found.kind === "unreadable") {
    deps.log(
      `build ${build.buildId}: S3 answered ${found.code} for s3://${deps.config.bucket}/${key}`,
    );
    return none(
      `the poster could not read the result (S3 answered ${found.code}); its log says more`,
    );
  }
  if (found.kind === "too-large") {
    const size = found.bytes === undefined ? "" : ` (${found.bytes.toLocaleString("en-US")} bytes)`;
    return none(
      `the result archive is larger than the ${ARCHIVE_BYTES.toLocaleString("en-US")} bytes the poster reads${size}`,
    );
  }
  const opened = openResultArchive(found.bytes, build.artifactSha256, RESULT_LIMITS.bytes);
  if (!opened.ok) {
    deps.log(
      `build ${build.buildId}: s3://${deps.config.bucket}/${key} not used: ${opened.reason}${opened.detail === undefined ? "" : ` (${opened.detail})`}`,
    );
    return none(opened.reason);
  }
  const parsed = parseResult(opened.text);
  if (!parsed.ok) return none(parsed.problem);
  if (parsed.result.env !== deps.config.env) {
    return none(`the result is not for the ${deps.config.env} environment`);
  }
  return { ok: true, previews: parsed.result.previews };
}

async function gitHubToken(deps: CommenterDeps, secretId: string): Promise<string> {
  const out = await deps.secrets.send(new GetSecretValueCommand({ SecretId: secretId }));
  const token = out.SecretString?.trim();
  if (!token) throw new Error(`the secret ${secretId} holds no token (SecretString is empty)`);
  return token;
}

/**
 * Comments on the pull request a finished pr-preview build previewed. The pull
 * request, the repository and the commits come from the build's event, never
 * from its result; the result is used only when its archive's SHA-256 is the
 * one CodeBuild reported in the event, and is untrusted data even then: read
 * within RESULT_LIMITS, checked against its schema, redacted and escaped by
 * the renderer. A build
 * without a usable result gets a failure comment naming its failed phase and
 * linking its log.
 */
export async function postComment(event: unknown, deps: CommenterDeps): Promise<CommentOutcome> {
  const { config } = deps;
  const build = parseBuildEnd(event);
  if (build.projectName !== config.project) {
    return { skipped: `the build is of project ${build.projectName}, not ${config.project}` };
  }
  const pull = pullRequestOf(build, config);
  if (!pull.ok) {
    deps.log(`build ${build.buildId}: no comment, ${pull.reason}`);
    return { skipped: pull.reason };
  }
  const token =
    config.provider === "github" ? await gitHubToken(deps, config.tokenSecret) : undefined;
  const redactor = new Redactor();
  redactor.registerSecret(token);
  const redact = (text: string) => redactCredentialShapes(redactor.redact(text));

  const read = await readPreviews(build, deps);
  const common = { env: config.env, provider: config.provider, commit: pull.commit };
  const body = read.ok
    ? previewCommentBody({ ...common, previews: read.previews, redact, buildUrl: build.logsUrl })
    : withinBudget(
        config.provider,
        renderFailureComment(
          {
            ...common,
            status: build.status,
            phase: build.failedPhase,
            reason: read.reason,
            logsUrl: build.logsUrl,
          },
          redact,
        ),
      );
  const posted = read.ok ? "preview" : "failure";
  const marker = commentMarker(config.env);
  try {
    const result =
      config.provider === "github"
        ? await upsertGitHubComment(
            {
              apiBase: config.apiBase,
              owner: config.owner,
              repo: config.repo,
              pr: pull.pr,
              token: token!,
            },
            marker,
            body,
            deps.fetchImpl,
          )
        : await upsertCodeCommitComment(
            deps.codecommit,
            {
              pr: pull.pr,
              repositoryName: config.repository,
              afterCommitId: pull.commit,
              beforeCommitId: pull.destinationCommit,
            },
            marker,
            body,
          );
    const where =
      config.provider === "github" ? `${config.owner}/${config.repo}` : config.repository;
    deps.log(
      `build ${build.buildId} (${build.status}): ${posted} comment ${result.action} on pull request ${pull.pr} of ${where} (comment ${result.id})`,
    );
    return { posted, ...result };
  } catch (error) {
    // A service's answer may be quoted: never the token.
    const message = scrubToken(
      token,
      redact,
    )(error instanceof Error ? error.message : String(error));
    const secret =
      config.provider === "github" ? ` (the token is the secret ${config.tokenSecret})` : "";
    throw new Error(`build ${build.buildId}: commenting failed${secret}: ${message}`);
  }
}

let cached: Omit<CommenterDeps, "config"> | undefined;

/** The Lambda entry: configuration from the function's environment, clients in its Region. */
export async function handler(event: unknown): Promise<CommentOutcome> {
  const config = commenterConfig(process.env);
  cached ??= {
    s3: new S3Client({ maxAttempts: 5 }),
    secrets: new SecretsManagerClient({ maxAttempts: 5 }),
    codecommit: new CodeCommitClient({ maxAttempts: 5, retryMode: "standard" }),
    fetchImpl: fetch,
    log: (line) => console.log(line),
  };
  return postComment(event, { config, ...cached });
}
