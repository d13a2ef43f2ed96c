import { CliError, ExitCode } from "../../../automation/exitCodes";
import { publishPreviewComment } from "../../../automation/comments/publish";
import { nextLink } from "../../../automation/comments/github";
import { FakeGitHub, creating, startFakeGitHub } from "./fixtures";

const TOKEN = "ghp_s3cr3tT0kenValue000000000000000000";
const MARKER = "<!-- silkroute:preview env=dev -->";

let server: FakeGitHub | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function environment(apiUrl: string): NodeJS.ProcessEnv {
  return {
    GITHUB_TOKEN: TOKEN,
    GITHUB_API_URL: apiUrl,
    CODEBUILD_WEBHOOK_TRIGGER: "pr/7",
    CODEBUILD_SOURCE_REPO_URL: "https://github.com/octo/app.git",
  };
}

function publish(apiUrl: string, env = "dev") {
  return publishPreviewComment({
    provider: "github",
    env,
    previews: [creating("dev-us-east-1"), creating("dev-china")],
    redact: (text) => text,
    environment: environment(apiUrl),
  });
}

async function failure(promise: Promise<unknown>): Promise<CliError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CliError);
  return error as CliError;
}

function others(count: number, from = 1): { id: number; body: string }[] {
  return Array.from({ length: count }, (_, i) => ({ id: from + i, body: `LGTM ${from + i}` }));
}

describe("GitHub preview comments", () => {
  it("follows Link headers through every page before creating a comment", async () => {
    // given: 5 unrelated comments served 2 per page, so 3 pages
    server = await startFakeGitHub({ comments: others(5), pageSize: 2 });

    // when
    const result = await publish(server.apiUrl);

    // then
    const gets = server.requests.filter((r) => r.method === "GET").map((r) => r.path);
    expect(gets).toEqual([
      "/api/v3/repos/octo/app/issues/7/comments?per_page=100",
      "/api/v3/repos/octo/app/issues/7/comments?per_page=100&page=2",
      "/api/v3/repos/octo/app/issues/7/comments?per_page=100&page=3",
    ]);
    expect(result.action).toBe("created");
  });

  it("creates one comment starting with the environment's marker when none exists", async () => {
    // given
    server = await startFakeGitHub({ comments: others(1) });

    // when
    const result = await publish(server.apiUrl);

    // then
    const posts = server.requests.filter((r) => r.method === "POST");
    expect(posts).toHaveLength(1);
    expect(posts[0].path).toBe("/api/v3/repos/octo/app/issues/7/comments");
    const body = (JSON.parse(posts[0].body) as { body: string }).body;
    expect(body.startsWith(MARKER)).toBe(true);
    expect(result).toEqual({ action: "created", id: "1000" });
  });

  it("updates in place the comment whose marker is on the last page", async () => {
    // given: the marked comment is the 5th of 5, on page 3
    const comments = [...others(4), { id: 42, body: `${MARKER}\nold preview` }];
    server = await startFakeGitHub({ comments, pageSize: 2 });

    // when
    const result = await publish(server.apiUrl);

    // then
    expect(result).toEqual({ action: "updated", id: "42" });
    expect(server.requests.filter((r) => r.method === "POST")).toHaveLength(0);
    const patch = server.requests.filter((r) => r.method === "PATCH");
    expect(patch.map((r) => r.path)).toEqual(["/api/v3/repos/octo/app/issues/comments/42"]);
    expect(server.comments.find((c) => c.id === 42)?.body).toContain("dev-china");
  });

  it("keeps one comment per environment: another environment's comment is left alone", async () => {
    // given
    server = await startFakeGitHub({
      comments: [{ id: 9, body: "<!-- silkroute:preview env=prod -->\nprod" }],
    });

    // when
    const result = await publish(server.apiUrl, "dev");

    // then
    expect(result.action).toBe("created");
    expect(server.comments.find((c) => c.id === 9)?.body).toBe(
      "<!-- silkroute:preview env=prod -->\nprod",
    );
  });

  it("sends the token as a bearer and the GitHub API headers", async () => {
    // given
    server = await startFakeGitHub();

    // when
    await publish(server.apiUrl);

    // then
    const headers = server.requests[0].headers;
    expect(headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(headers.accept).toBe("application/vnd.github+json");
    expect(headers["x-github-api-version"]).toBe("2022-11-28");
    expect(headers["user-agent"]).toBe("silkroute-preview");
  });

  it.each([
    [
      401,
      "Bad credentials",
      ExitCode.Credentials,
      /rejected GITHUB_TOKEN \(401 Unauthorized\).*set GITHUB_TOKEN/,
    ],
    [
      403,
      "Resource not accessible by integration",
      ExitCode.Credentials,
      /refused .*403 Forbidden.*Pull requests/,
    ],
    [
      404,
      "Not Found",
      ExitCode.Usage,
      /404 Not Found.*GITHUB_REPOSITORY \(octo\/app\).*GITHUB_API_URL/,
    ],
  ])(
    "maps HTTP %i (%s) to one line with exit code %i and the fix",
    async (status, message, code, pattern) => {
      // given
      server = await startFakeGitHub({ failWith: { status, message } });

      // when
      const error = await failure(publish(server.apiUrl));

      // then
      expect(error.exitCode).toBe(code);
      expect(error.message).toMatch(pattern);
      expect(error.message).not.toContain("\n");
      expect(error.message).not.toContain(TOKEN);
    },
  );

  it("never puts the token in a message, even when GitHub echoes it", async () => {
    // given
    server = await startFakeGitHub({ failWith: { status: 422, message: `token ${TOKEN} is odd` } });

    // when
    const error = await failure(publish(server.apiUrl));

    // then
    expect(error.exitCode).toBe(ExitCode.Failed);
    expect(error.message).not.toContain(TOKEN);
  });

  it("never puts the token in a message when GITHUB_TOKEN was set with blanks around it", async () => {
    // given: the token is sent trimmed, and GitHub echoes what it was sent
    server = await startFakeGitHub({ failWith: { status: 422, message: `token ${TOKEN} is odd` } });

    // when
    const error = await failure(
      publishPreviewComment({
        provider: "github",
        env: "dev",
        previews: [creating("dev-us-east-1")],
        redact: (text) => text,
        environment: { ...environment(server.apiUrl), GITHUB_TOKEN: `  ${TOKEN}\n` },
      }),
    );

    // then
    expect(error.message).toContain("token [secret] is odd");
    expect(error.message).not.toContain(TOKEN);
  });

  it("on 403, recommends a fine-grained token for the repository with Pull requests write only", async () => {
    // given
    server = await startFakeGitHub({ failWith: { status: 403, message: "Forbidden" } });

    // when
    const error = await failure(publish(server.apiUrl));

    // then
    expect(error.message).toContain(
      'GITHUB_TOKEN needs "Pull requests: read and write" on octo/app: use a fine-grained token limited to that repository with that permission and nothing else',
    );
    expect(error.message).toContain("a token able to push could push anything");
    expect(error.message).not.toMatch(/classic|repo scope|public_repo/);
  });

  it("reports a rate limit as a failure to retry, not as bad credentials", async () => {
    // given
    server = await startFakeGitHub({
      failWith: {
        status: 403,
        message: "API rate limit exceeded",
        headers: { "x-ratelimit-remaining": "0" },
      },
    });

    // when
    const error = await failure(publish(server.apiUrl));

    // then
    expect(error.exitCode).toBe(ExitCode.Failed);
    expect(error.message).toMatch(/rate limit/);
  });

  it("refuses to follow a Link header to another host with the token", async () => {
    // given: a fetch whose first page points elsewhere
    const seen: string[] = [];
    const fetchImpl = (async (url: string | URL | Request) => {
      seen.push(String(url));
      return new Response("[]", {
        status: 200,
        headers: { link: '<https://evil.example/next>; rel="next"' },
      });
    }) as typeof fetch;

    // when
    const error = await failure(
      publishPreviewComment({
        provider: "github",
        env: "dev",
        previews: [creating("dev-us-east-1")],
        redact: (t) => t,
        environment: { ...environment("https://api.github.com") },
        fetchImpl,
      }),
    );

    // then
    expect(seen).toEqual(["https://api.github.com/repos/octo/app/issues/7/comments?per_page=100"]);
    expect(error.message).toMatch(/refusing to send the token/);
  });

  it("says what to set when GITHUB_TOKEN is missing", async () => {
    // given
    const env = { ...environment("http://127.0.0.1:1"), GITHUB_TOKEN: undefined };

    // when
    const error = await failure(
      publishPreviewComment({
        provider: "github",
        env: "dev",
        previews: [],
        redact: (t) => t,
        environment: env,
      }),
    );

    // then
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(error.message).toMatch(/^GITHUB_TOKEN is not set/);
  });
});

describe("nextLink", () => {
  it("finds rel=next among other relations", () => {
    // given
    const link =
      '<https://x/a?page=1>; rel="prev", <https://x/a?page=3>; rel="next", <https://x/a?page=9>; rel="last"';

    // when / then
    expect(nextLink(link)).toBe("https://x/a?page=3");
  });

  it("is undefined on the last page", () => {
    expect(nextLink('<https://x/a?page=1>; rel="first"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
  });
});
