import { CliError, ExitCode } from "../exitCodes";
import { GitHubTarget } from "./source";

/** Pages of 100 comments; a PR with more than 10,000 comments is not worth following further. */
const MAX_PAGES = 100;
const RETRY_DELAYS_MS = [500, 2000];

interface IssueComment {
  readonly id: number;
  readonly body?: string | null;
}

/** The URL of the `rel="next"` entry of a Link header, if any. */
export function nextLink(link: string | null): string | undefined {
  for (const part of (link ?? "").split(",")) {
    const match = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    const [, url, rel = ""] = match ?? [];
    if (rel.split(/\s+/).includes("next")) return url;
  }
  return undefined;
}

class GitHub {
  constructor(
    private readonly t: GitHubTarget,
    private readonly fetchImpl: typeof fetch,
  ) {}

  private get where(): string {
    return `pull request #${this.t.pr} of ${this.t.owner}/${this.t.repo}`;
  }

  async request(
    method: "GET" | "POST" | "PATCH",
    url: string,
    what: string,
    body?: unknown,
  ): Promise<Response> {
    // Never send the token to another host, whatever a Link header says.
    if (new URL(url).origin !== new URL(this.t.apiBase).origin) {
      throw new CliError(
        `GitHub pointed ${what} at ${new URL(url).origin}, outside GITHUB_API_URL (${this.t.apiBase}): refusing to send the token there. Check GITHUB_API_URL.`,
        ExitCode.Failed,
      );
    }
    const idempotent = method !== "POST";
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await this.fetchImpl(url, {
          method,
          headers: {
            Accept: "application/vnd.github+json",
            Authorization: `Bearer ${this.t.token}`,
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": "silkroute-preview",
            ...(body === undefined ? {} : { "Content-Type": "application/json" }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (error) {
        if (idempotent && attempt < RETRY_DELAYS_MS.length) {
          await sleep(RETRY_DELAYS_MS[attempt]!);
          continue;
        }
        const reason =
          error instanceof Error
            ? error.cause instanceof Error
              ? error.cause.message
              : error.message
            : "";
        throw new CliError(
          `Could not reach GitHub at ${this.t.apiBase} to ${what} (${reason}): check GITHUB_API_URL and the build's network access.`,
          ExitCode.Failed,
        );
      }
      if (response.ok) return response;
      if (response.status >= 500 && idempotent && attempt < RETRY_DELAYS_MS.length) {
        await sleep(RETRY_DELAYS_MS[attempt]!);
        continue;
      }
      throw await this.failure(response, what);
    }
  }

  private async failure(response: Response, what: string): Promise<CliError> {
    const detail = await response
      .json()
      .then((j: unknown) => {
        const message = (j as { message?: unknown } | null)?.message;
        return typeof message === "string" ? message : "";
      })
      .catch(() => "");
    const said = detail ? `: "${detail.replace(/\s+/g, " ").slice(0, 200)}"` : "";
    switch (response.status) {
      case 401:
        return new CliError(
          `GitHub rejected GITHUB_TOKEN (401 Unauthorized) when trying to ${what}: the token is invalid or expired; set GITHUB_TOKEN to a valid token.`,
          ExitCode.Credentials,
        );
      case 403:
        if (response.headers.get("x-ratelimit-remaining") === "0" || /rate limit/i.test(detail)) {
          return new CliError(
            `GitHub's rate limit stopped us when trying to ${what} (403)${said}: retry after the reset time.`,
            ExitCode.Failed,
          );
        }
        return new CliError(
          `GitHub refused to ${what} (403 Forbidden)${said}: GITHUB_TOKEN needs "Pull requests: read and write" on ${this.t.owner}/${this.t.repo}: use a fine-grained token limited to that repository with that permission and nothing else: a token able to push could push anything.`,
          ExitCode.Credentials,
        );
      case 404:
        return new CliError(
          `GitHub found nothing when trying to ${what} (404 Not Found): check the pull request number (--pr or CODEBUILD_WEBHOOK_TRIGGER), GITHUB_REPOSITORY (${this.t.owner}/${this.t.repo}) and GITHUB_API_URL (${this.t.apiBase}); a private repository also answers 404 to a token that cannot read it.`,
          ExitCode.Usage,
        );
      default:
        return new CliError(
          `GitHub answered ${response.status} when trying to ${what}${said}: retry, or see the GitHub status page.`,
          ExitCode.Failed,
        );
    }
  }

  /** The first comment whose body starts with `marker`, looking through every page. */
  async find(marker: string): Promise<IssueComment | undefined> {
    const base = `${this.t.apiBase}/repos/${this.t.owner}/${this.t.repo}/issues/${this.t.pr}/comments`;
    let url: string | undefined = `${base}?per_page=100`;
    for (let page = 1; url !== undefined && page <= MAX_PAGES; page++) {
      const response = await this.request("GET", url, `list the comments of ${this.where}`);
      const comments = (await response.json()) as IssueComment[];
      const found = comments.find((c) => (c.body ?? "").trimStart().startsWith(marker));
      if (found) return found;
      url = nextLink(response.headers.get("link"));
    }
    return undefined;
  }

  async create(body: string): Promise<IssueComment> {
    const url = `${this.t.apiBase}/repos/${this.t.owner}/${this.t.repo}/issues/${this.t.pr}/comments`;
    const response = await this.request("POST", url, `comment on ${this.where}`, { body });
    return (await response.json()) as IssueComment;
  }

  async update(id: number, body: string): Promise<IssueComment> {
    const url = `${this.t.apiBase}/repos/${this.t.owner}/${this.t.repo}/issues/comments/${id}`;
    const response = await this.request("PATCH", url, `update comment ${id} on ${this.where}`, {
      body,
    });
    return (await response.json()) as IssueComment;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Creates the comment carrying `marker`, or updates it in place when one exists. */
export async function upsertGitHubComment(
  target: GitHubTarget,
  marker: string,
  body: string,
  fetchImpl: typeof fetch,
): Promise<{ action: "created" | "updated"; id: string }> {
  const github = new GitHub(target, fetchImpl);
  const existing = await github.find(marker);
  if (existing) {
    const updated = await github.update(existing.id, body);
    return { action: "updated", id: String(updated.id ?? existing.id) };
  }
  const created = await github.create(body);
  return { action: "created", id: String(created.id) };
}
