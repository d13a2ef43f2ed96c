import {
  CodeCommitClient,
  Comment,
  GetCommentsForPullRequestCommand,
  GetPullRequestCommand,
  PostCommentForPullRequestCommand,
  UpdateCommentCommand,
} from "@aws-sdk/client-codecommit";
import { randomUUID } from "node:crypto";
import { CliError, ExitCode } from "../exitCodes";
import { CodeCommitTarget, PR_VARIABLES } from "./source";
import { COMMENT_LIMITS } from "./text";

/** The actions an identity that comments needs on the repository (docs/pr-comments.md). */
export const CODECOMMIT_ACTIONS = [
  "codecommit:GetPullRequest",
  "codecommit:GetCommentsForPullRequest",
  "codecommit:PostCommentForPullRequest",
  "codecommit:UpdateComment",
] as const;

const MAX_PAGES = 100;

const CREDENTIAL_ERRORS = new Set([
  "AccessDeniedException",
  "UnrecognizedClientException",
  "InvalidClientTokenId",
  "InvalidSignatureException",
  "ExpiredTokenException",
  "CredentialsProviderError",
]);

const USAGE_ERRORS = new Set([
  "PullRequestDoesNotExistException",
  "InvalidPullRequestIdException",
  "RepositoryDoesNotExistException",
  "InvalidRepositoryNameException",
  "RepositoryNotAssociatedWithPullRequestException",
  "CommitDoesNotExistException",
  "InvalidCommitIdException",
]);

/** A default client in the pipeline Region, with the SDK's standard retries raised a little. */
export function defaultCodeCommitClient(env: NodeJS.ProcessEnv): CodeCommitClient {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new CliError(
      "AWS_REGION is not set: set it to the pipeline Region (CodeBuild sets it).",
      ExitCode.Usage,
    );
  }
  return new CodeCommitClient({ region, maxAttempts: 5, retryMode: "standard" });
}

function toCliError(error: unknown, action: string, t: CodeCommitTarget): CliError {
  if (error instanceof CliError) return error;
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e.name ?? "Error";
  const where = `pull request ${t.pr}${t.repositoryName ? ` of ${t.repositoryName}` : ""}`;
  if (name === "CommentContentSizeLimitExceededException") {
    return new CliError(
      `CodeCommit refused the preview comment on ${where} as too large (${name}, limit ${COMMENT_LIMITS.codecommit.budget.toLocaleString("en-US")} characters): the full preview is in the build log; report this as a silkroute bug, since the body is cut to fit.`,
      ExitCode.Failed,
    );
  }
  if (CREDENTIAL_ERRORS.has(name) || e.$metadata?.httpStatusCode === 403) {
    return new CliError(
      `CodeCommit denied ${action} on ${where} (${name}): the identity that comments needs ${CODECOMMIT_ACTIONS.join(", ")} on the repository.`,
      ExitCode.Credentials,
    );
  }
  if (USAGE_ERRORS.has(name)) {
    return new CliError(
      `CodeCommit ${action} failed for ${where} (${name}): check --pr / ${PR_VARIABLES.pr}, ${PR_VARIABLES.repository} and the commit variables the PR trigger sets.`,
      ExitCode.Usage,
    );
  }
  const detail = (e.message ?? "").replace(/\s+/g, " ").slice(0, 200);
  return new CliError(
    `CodeCommit ${action} failed for ${where} (${name}: ${detail}): retry the build.`,
    ExitCode.Failed,
  );
}

async function call<T>(action: string, t: CodeCommitTarget, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toCliError(error, action, t);
  }
}

/** Repository and commit pair to post on: from the PR trigger's variables, else from GetPullRequest. */
async function complete(
  client: CodeCommitClient,
  t: CodeCommitTarget,
): Promise<Required<CodeCommitTarget>> {
  if (t.repositoryName && t.beforeCommitId && t.afterCommitId)
    return t as Required<CodeCommitTarget>;
  const out = await call("GetPullRequest", t, () =>
    client.send(new GetPullRequestCommand({ pullRequestId: t.pr })),
  );
  const targets = out.pullRequest?.pullRequestTargets ?? [];
  const target = targets.find(
    (x) => t.repositoryName === undefined || x.repositoryName === t.repositoryName,
  );
  const repositoryName = t.repositoryName ?? target?.repositoryName;
  const beforeCommitId = t.beforeCommitId ?? target?.destinationCommit;
  const afterCommitId = t.afterCommitId ?? target?.sourceCommit;
  if (!repositoryName || !beforeCommitId || !afterCommitId) {
    throw new CliError(
      `CodeCommit pull request ${t.pr} has no target${t.repositoryName ? ` in ${t.repositoryName}` : ""} with source and destination commits: set ${PR_VARIABLES.repository}, ${PR_VARIABLES.sourceCommit} and ${PR_VARIABLES.destinationCommit}.`,
      ExitCode.Usage,
    );
  }
  return { pr: t.pr, repositoryName, beforeCommitId, afterCommitId };
}

/** Every comment carrying `marker`, newest first, across all pages and all revisions of the PR. */
async function findAll(
  client: CodeCommitClient,
  t: CodeCommitTarget,
  marker: string,
): Promise<Comment[]> {
  const found: Comment[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    // No commit filter: the comment of an earlier revision is still the one to update.
    const out = await call("GetCommentsForPullRequest", t, () =>
      client.send(
        new GetCommentsForPullRequestCommand({ pullRequestId: t.pr, nextToken, maxResults: 100 }),
      ),
    );
    for (const data of out.commentsForPullRequestData ?? []) {
      for (const c of data.comments ?? []) {
        if (!c.deleted && c.commentId && (c.content ?? "").trimStart().startsWith(marker))
          found.push(c);
      }
    }
    nextToken = out.nextToken;
    if (!nextToken) break;
  }
  return found.sort((a, b) => (b.creationDate?.getTime() ?? 0) - (a.creationDate?.getTime() ?? 0));
}

/** Creates the comment carrying `marker`, or updates it in place when this identity wrote one. */
export async function upsertCodeCommitComment(
  client: CodeCommitClient,
  target: CodeCommitTarget,
  marker: string,
  content: string,
): Promise<{ action: "created" | "updated"; id: string }> {
  for (const existing of await findAll(client, target, marker)) {
    try {
      await client.send(new UpdateCommentCommand({ commentId: existing.commentId, content }));
      return { action: "updated", id: existing.commentId as string };
    } catch (error) {
      // Someone else copied the marker (or the role changed): only our own comments can be edited.
      if ((error as { name?: string }).name === "CommentNotCreatedByCallerException") continue;
      throw toCliError(error, "UpdateComment", target);
    }
  }
  const full = await complete(client, target);
  const out = await call("PostCommentForPullRequest", full, () =>
    client.send(
      new PostCommentForPullRequestCommand({
        pullRequestId: full.pr,
        repositoryName: full.repositoryName,
        beforeCommitId: full.beforeCommitId,
        afterCommitId: full.afterCommitId,
        content,
        // Makes the SDK's retries idempotent: a retried post never adds a second comment.
        clientRequestToken: randomUUID(),
      }),
    ),
  );
  return { action: "created", id: out.comment?.commentId ?? "" };
}
