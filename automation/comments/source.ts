import { CliError, ExitCode } from "../exitCodes";

/**
 * Where the pull request comes from, read from the build's environment so the pr-preview
 * buildspec needs no parsing of its own:
 * - GitHub through a CodeBuild webhook: CODEBUILD_WEBHOOK_TRIGGER=pr/<n>, CODEBUILD_SOURCE_REPO_URL.
 * - CodeCommit through the PR trigger (an EventBridge rule starting the pr-preview project with
 *   environment variable overrides): SILKROUTE_PR, SILKROUTE_REPOSITORY,
 *   SILKROUTE_SOURCE_COMMIT, SILKROUTE_DESTINATION_COMMIT.
 */
export const PR_VARIABLES = {
  pr: "SILKROUTE_PR",
  repository: "SILKROUTE_REPOSITORY",
  sourceCommit: "SILKROUTE_SOURCE_COMMIT",
  destinationCommit: "SILKROUTE_DESTINATION_COMMIT",
} as const;

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}

/** The pull request id: `--pr`, else SILKROUTE_PR, else CODEBUILD_WEBHOOK_TRIGGER=pr/<n>. */
export function pullRequestId(pr: string | undefined, env: NodeJS.ProcessEnv): string {
  const trigger = nonEmpty(env.CODEBUILD_WEBHOOK_TRIGGER);
  const fromTrigger = trigger?.startsWith("pr/") ? trigger.slice("pr/".length) : undefined;
  const id = nonEmpty(pr) ?? nonEmpty(env[PR_VARIABLES.pr]) ?? fromTrigger;
  if (id === undefined) {
    throw new CliError(
      `No pull request to comment on: pass --pr <id>, or set ${PR_VARIABLES.pr} (CodeCommit PR trigger) or CODEBUILD_WEBHOOK_TRIGGER=pr/<n> (CodeBuild webhook).`,
      ExitCode.Usage,
    );
  }
  if (!/^[1-9][0-9]*$/.test(id)) {
    throw new CliError(
      `Pull request id must be a positive number, got "${id}": pass --pr <number>.`,
      ExitCode.Usage,
    );
  }
  return id;
}

/** Host and `owner/repo` of a GitHub clone URL (https, ssh:// or scp-like git@host:owner/repo). */
export function parseGitHubUrl(url: string): { host: string; repository: string } | undefined {
  const scp = /^[\w.-]+@([^:/]+):\/?([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url);
  const [, scpHost, owner, repo] = scp ?? [];
  if (scpHost !== undefined) return { host: scpHost, repository: `${owner}/${repo}` };
  try {
    const parsed = new URL(url);
    const parts = parsed.pathname.replace(/^\/+|\/+$/g, "").split("/");
    const [owner, repo] = parts;
    if (parts.length !== 2 || !owner || !repo) return undefined;
    return { host: parsed.hostname, repository: `${owner}/${repo.replace(/\.git$/, "")}` };
  } catch {
    return undefined;
  }
}

export interface GitHubTarget {
  readonly apiBase: string;
  readonly owner: string;
  readonly repo: string;
  readonly pr: string;
  readonly token: string;
}

/** Where to post on GitHub; a missing token or repository is a usage error saying what to set. */
export function gitHubTarget(pr: string | undefined, env: NodeJS.ProcessEnv): GitHubTarget {
  const token = nonEmpty(env.GITHUB_TOKEN);
  if (token === undefined) {
    throw new CliError(
      "GITHUB_TOKEN is not set: set it to a token allowed to write pull request comments (a fine-grained token for this repository, docs/pr-comments.md).",
      ExitCode.Usage,
    );
  }
  const sourceUrl = nonEmpty(env.CODEBUILD_SOURCE_REPO_URL);
  const fromUrl = sourceUrl === undefined ? undefined : parseGitHubUrl(sourceUrl);
  const repository = nonEmpty(env.GITHUB_REPOSITORY) ?? fromUrl?.repository;
  const [owner, repo, ...rest] = repository?.split("/") ?? [];
  if (!owner || !repo || rest.length > 0) {
    throw new CliError(
      `No GitHub repository to comment on${repository ? ` ("${repository}" is not owner/repo)` : ""}: set GITHUB_REPOSITORY=owner/repo, or build from a GitHub source so CODEBUILD_SOURCE_REPO_URL names it.`,
      ExitCode.Usage,
    );
  }
  // GitHub Enterprise Server serves its API under /api/v3 of the same host.
  const derived =
    fromUrl && fromUrl.host !== "github.com" ? `https://${fromUrl.host}/api/v3` : undefined;
  const apiBase = (nonEmpty(env.GITHUB_API_URL) ?? derived ?? "https://api.github.com").replace(
    /\/+$/,
    "",
  );
  return { apiBase, owner, repo, pr: pullRequestId(pr, env), token };
}

export interface CodeCommitTarget {
  readonly pr: string;
  readonly repositoryName?: string;
  readonly beforeCommitId?: string;
  readonly afterCommitId?: string;
}

/** Repository name from a CodeCommit clone URL (https …/v1/repos/<name> or codecommit::<region>://<name>). */
export function parseCodeCommitUrl(url: string): string | undefined {
  const https = /\/v1\/repos\/([\w.-]+)\/?$/.exec(url);
  if (https) return https[1];
  const grc = /^codecommit(?:::[\w-]+)?:\/\/(?:[\w-]+@)?([\w.-]+)$/.exec(url);
  return grc?.[1];
}

/** Where to post on CodeCommit; commits left undefined are read from GetPullRequest. */
export function codeCommitTarget(pr: string | undefined, env: NodeJS.ProcessEnv): CodeCommitTarget {
  const sourceUrl = nonEmpty(env.CODEBUILD_SOURCE_REPO_URL);
  return {
    pr: pullRequestId(pr, env),
    repositoryName:
      nonEmpty(env[PR_VARIABLES.repository]) ??
      (sourceUrl === undefined ? undefined : parseCodeCommitUrl(sourceUrl)),
    beforeCommitId: nonEmpty(env[PR_VARIABLES.destinationCommit]),
    afterCommitId: nonEmpty(env[PR_VARIABLES.sourceCommit]),
  };
}

/**
 * Checks, before anything runs, that a comment can be posted: a GitHub token
 * and repository, a pull request id (usage errors naming what to set).
 */
export function checkCommentTarget(
  provider: "github" | "codecommit",
  pr: string | undefined,
  env: NodeJS.ProcessEnv,
): void {
  if (provider === "github") gitHubTarget(pr, env);
  else codeCommitTarget(pr, env);
}
