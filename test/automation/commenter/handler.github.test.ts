import { CodeCommitClient } from "@aws-sdk/client-codecommit";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { handler } from "../../../automation/commenter/handler";
import { archiveLimit } from "../../../automation/commenter/resultArchive";
import { RESULT_LIMITS, resultDocument } from "../../../automation/comments/result";
import { creating, FakeGitHub, preview, startFakeGitHub } from "../comments/fixtures";
import { outsideFences, withoutCodeSpans } from "../comments/markdown";
import {
  buildEvent,
  BUCKET,
  DEEP_LINK,
  PROJECT,
  RESULT_KEY,
  resultArchive,
  serveObjects,
  serveResult,
  sha256Of,
} from "./events";

const TOKEN = "ghp_R3alT0kenOfThePosterAbcdefghijklmnopq";
const SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:github-pr-token-AbCdEf";
const MARKER = "<!-- silkroute:preview env=dev -->";
const ZWSP = "\u200b";
const ARCHIVE_BYTES = archiveLimit(RESULT_LIMITS.bytes);

const s3 = mockClient(S3Client);
const secrets = mockClient(SecretsManagerClient);
const codecommit = mockClient(CodeCommitClient);
let github: FakeGitHub;
const saved = { ...process.env };
let logged: string[];

beforeEach(async () => {
  s3.reset();
  secrets.reset();
  codecommit.reset();
  secrets.on(GetSecretValueCommand, { SecretId: SECRET }).resolves({ SecretString: `${TOKEN}\n` });
  github = await startFakeGitHub({ repository: "octo/app", pr: 7 });
  Object.assign(process.env, {
    SILKROUTE_COMMENT: "github",
    SILKROUTE_ENV: "dev",
    SILKROUTE_PREVIEW_PROJECT: PROJECT,
    SILKROUTE_RESULT_BUCKET: BUCKET,
    SILKROUTE_REPOSITORY: "octo/app",
    SILKROUTE_GITHUB_TOKEN_SECRET: SECRET,
    GITHUB_API_URL: github.apiUrl,
  });
  logged = [];
  jest.spyOn(console, "log").mockImplementation((line: string) => void logged.push(line));
});

afterEach(async () => {
  await github.close();
  process.env = { ...saved };
  jest.restoreAllMocks();
});

/** The bodies the fake GitHub received, in order. */
function posted(): string[] {
  return github.requests
    .filter((r) => r.method === "POST" || r.method === "PATCH")
    .map((r) => (JSON.parse(r.body) as { body: string }).body);
}

const PR_BUILD = { sourceVersion: "pr/7" };

describe("the PR comment poster on GitHub", () => {
  it("comments a succeeded build's previews on the pull request of its webhook, with the token from Secrets Manager", async () => {
    // given
    const served = serveResult(s3, resultDocument("dev", [creating("dev-us-east-1")]));
    // when
    const outcome = await handler(buildEvent({ ...PR_BUILD, ...served }));
    // then
    expect(outcome).toEqual({ posted: "preview", action: "created", id: "1000" });
    const [body] = posted();
    expect(body.startsWith(MARKER)).toBe(true);
    expect(body).toContain("| `dev-us-east-1` | ✅ | 2 | 0 | 0 | 0 | 3 | 0 |");
    const post = github.requests.find((r) => r.method === "POST");
    expect(post?.path).toBe("/api/v3/repos/octo/app/issues/7/comments");
    expect(post?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(s3.commandCalls(GetObjectCommand)[0].args[0].input).toEqual({
      Bucket: BUCKET,
      Key: RESULT_KEY,
      Range: `bytes=0-${ARCHIVE_BYTES}`,
    });
  });

  it("updates the comment of an earlier revision instead of adding one", async () => {
    // given
    await github.close();
    github = await startFakeGitHub({ comments: [{ id: 55, body: `${MARKER}\nold` }] });
    process.env.GITHUB_API_URL = github.apiUrl;
    const served = serveResult(s3, resultDocument("dev", [creating("dev-us-east-1")]));
    // when
    const outcome = await handler(buildEvent({ ...PR_BUILD, ...served }));
    // then
    expect(outcome).toMatchObject({ action: "updated", id: "55" });
    expect(github.comments).toHaveLength(1);
  });

  it("comments a failed preview of a FAILED build from its result, error included", async () => {
    // given
    const failed = preview("dev-china", { status: "failed", error: "AccessDenied on cn-north-1" });
    const served = serveResult(s3, resultDocument("dev", [creating("dev-us-east-1"), failed]));
    // when
    await handler(
      buildEvent({ ...PR_BUILD, ...served, status: "FAILED", failedIn: { phase: "BUILD" } }),
    );
    // then
    const [body] = posted();
    expect(body).toContain("2 targets, 1 failed");
    expect(body).toContain("AccessDenied on cn-north-1");
  });

  it("renders a result that tries Markdown injection as inert text", async () => {
    // given
    const attack = "[click](https://evil.example) @octocat <img src=x onerror=alert(1)> `x`";
    const served = serveResult(
      s3,
      resultDocument("dev", [
        preview(attack, {
          violations: [attack],
          changes: { create: 1, update: 0, replace: 0, delete: 0, same: 0 },
        }),
      ]),
    );
    // when
    await handler(buildEvent({ ...PR_BUILD, ...served }));
    // then
    const prose = outsideFences(posted()[0]).map(withoutCodeSpans).join("\n");
    expect(prose).not.toMatch(/(?<!\\)\]\((?!https:\/\/console)/);
    expect(prose).not.toMatch(/(?<!\\)<img/);
    expect(prose).not.toMatch(new RegExp(`@(?!${ZWSP})`));
    expect(prose).toContain(`\\[click\\]\\(https\\:${ZWSP}\\/\\/evil\\.example\\)`);
  });

  it("posts a failure comment, and reads no more than its limit, when the archive is too large", async () => {
    // given: S3 ignores the range, so only the poster's own bound holds
    const archive = Buffer.alloc(ARCHIVE_BYTES * 4, "x");
    const served = serveObjects(s3, { [RESULT_KEY]: archive }, { ignoreRange: true });
    // when
    const outcome = await handler(buildEvent({ ...PR_BUILD, artifactSha256: sha256Of(archive) }));
    // then
    expect(outcome).toMatchObject({ posted: "failure" });
    expect(served.bytesSent()).toBeLessThanOrEqual(ARCHIVE_BYTES + 65_536);
    const [body] = posted();
    expect(body).toContain(
      `the result archive is larger than the ${ARCHIVE_BYTES.toLocaleString("en-US")} bytes the poster reads`,
    );
    expect(body).toContain(`[the build log](${DEEP_LINK})`);
  });

  it("says how large the archive is when S3 reports its size", async () => {
    // given
    serveObjects(s3, { [RESULT_KEY]: Buffer.alloc(ARCHIVE_BYTES + 1, "x") });
    // when
    await handler(buildEvent(PR_BUILD));
    // then
    expect(posted()[0]).toContain(`(${(ARCHIVE_BYTES + 1).toLocaleString("en-US")} bytes)`);
  });

  it("inflates no more than the result's limit from a small archive of a huge result", async () => {
    // given: 4 MiB of one character deflates to a few KiB
    const served = serveResult(s3, Buffer.alloc(RESULT_LIMITS.bytes * 4, "x"));
    // when
    await handler(buildEvent({ ...PR_BUILD, ...served }));
    // then
    expect(posted()[0]).toContain("the result is larger than the 1,048,576 bytes the poster reads");
  });

  it("refuses a result another build replaced after this one uploaded it, and logs both hashes", async () => {
    // given: a build's archive as CodeBuild reported it, then another pr-preview build's
    // PutObject of a forged result over the same key
    const uploaded = resultArchive(resultDocument("dev", [creating("dev-us-east-1")]));
    const forged = resultArchive(resultDocument("dev", [preview("dev-us-east-1")]));
    serveObjects(s3, { [RESULT_KEY]: forged });
    // when
    const outcome = await handler(buildEvent({ ...PR_BUILD, artifactSha256: sha256Of(uploaded) }));
    // then: no preview from the forged object, a failure comment saying why
    expect(outcome).toMatchObject({ posted: "failure" });
    const [body] = posted();
    expect(body).toContain(
      "the result archive is not the one the build uploaded (its SHA-256 differs from the build's event)",
    );
    expect(body).not.toContain("dev-us-east-1");
    expect(logged.join("\n")).toContain(
      `SHA-256 ${sha256Of(forged)}, the event says ${sha256Of(uploaded)}`,
    );
  });

  it("refuses a result whose build event carries no SHA-256", async () => {
    // given
    serveObjects(s3, {
      [RESULT_KEY]: resultArchive(resultDocument("dev", [creating("dev-us-east-1")])),
    });
    // when
    await handler(buildEvent(PR_BUILD));
    // then
    expect(posted()[0]).toContain("carries no SHA-256 of its result archive");
  });

  it.each([
    [
      "no zip archive",
      Buffer.from(resultDocument("dev", [creating("dev-us-east-1")])),
      "is not a zip archive",
    ],
    [
      "an archive without the result file",
      resultArchive({ "other.json": "{}" }),
      "holds no preview-result.json",
    ],
  ])("refuses %s even when its SHA-256 matches", async (_what, archive, said) => {
    // given
    serveObjects(s3, { [RESULT_KEY]: archive });
    // when
    await handler(buildEvent({ ...PR_BUILD, artifactSha256: sha256Of(archive) }));
    // then
    expect(posted()[0]).toContain(said);
  });

  it("names the phase and links the log when the build died in INSTALL before writing a result", async () => {
    // given
    serveObjects(s3, {});
    const context = [
      "COMMAND_EXECUTION_ERROR: Error while executing command: npm ci. Reason: exit status 1",
    ];
    // when
    const outcome = await handler(
      buildEvent({ ...PR_BUILD, status: "FAILED", failedIn: { phase: "INSTALL", context } }),
    );
    // then
    expect(outcome).toMatchObject({ posted: "failure", action: "created" });
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
    const [body] = posted();
    expect(body.startsWith(MARKER)).toBe(true);
    expect(body).toContain(
      "ended `FAILED` in the `INSTALL` phase (`FAILED`): the build left no result",
    );
    expect(body).toContain(`\`\`\`\n${context[0]}\n\`\`\``);
    expect(body).toContain(`[the build log](${DEEP_LINK})`);
  });

  it.each([
    ["TIMED_OUT", "BUILD"],
    ["STOPPED", "PROVISIONING"],
    ["FAULT", "DOWNLOAD_SOURCE"],
  ] as const)("names a %s build's phase when it left no artifact", async (status, phase) => {
    // given
    serveObjects(s3, {});
    // when
    await handler(
      buildEvent({ ...PR_BUILD, status, failedIn: { phase, status }, artifactLocation: null }),
    );
    // then
    expect(posted()[0]).toContain(`ended \`${status}\` in the \`${phase}\` phase (\`${status}\`)`);
  });

  it("asks S3 nothing when the build never uploaded its artifacts", async () => {
    // given
    serveObjects(s3, {});
    const context = ["CLIENT_ERROR: no matching artifact paths found"];
    // when
    await handler(
      buildEvent({
        ...PR_BUILD,
        status: "FAILED",
        failedIn: { phase: "UPLOAD_ARTIFACTS", context },
      }),
    );
    // then
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
    expect(posted()[0]).toContain(
      "in the `UPLOAD_ARTIFACTS` phase (`FAILED`): the build left no result",
    );
  });

  it("says it could not read an uploaded result S3 refuses, and logs where", async () => {
    // given
    s3.on(GetObjectCommand).rejects(
      Object.assign(new Error("Access Denied"), { name: "AccessDenied" }),
    );
    // when
    await handler(buildEvent(PR_BUILD));
    // then
    expect(posted()[0]).toContain(
      "the poster could not read the result (S3 answered AccessDenied)",
    );
    expect(logged.join("\n")).toContain(
      `S3 answered AccessDenied for s3://${BUCKET}/${RESULT_KEY}`,
    );
  });

  it("takes the pull request from the event: a result naming another is refused by its schema", async () => {
    // given
    const doc = JSON.parse(resultDocument("dev", [creating("dev-us-east-1")]));
    const served = serveResult(s3, JSON.stringify({ ...doc, pr: 99, repository: "evil/repo" }));
    // when
    await handler(buildEvent({ ...PR_BUILD, ...served }));
    // then: the failure comment goes to pull request 7 of octo/app
    expect(github.requests.map((r) => r.path)).toContain(
      "/api/v3/repos/octo/app/issues/7/comments",
    );
    expect(posted()[0]).toContain("the result fails its schema at the document: unrecognized keys");
  });

  it("refuses a result for another environment", async () => {
    // given
    const served = serveResult(s3, resultDocument("prod", [creating("prod-us-east-1")]));
    // when
    await handler(buildEvent({ ...PR_BUILD, ...served }));
    // then
    expect(posted()[0]).toContain("the result is not for the dev environment");
  });

  it("redacts its own token and credential-shaped text in the result", async () => {
    // given
    const leaked = preview("dev-us-east-1", {
      status: "failed",
      error: `token ${TOKEN} key AKIAIOSFODNN7EXAMPLE other ghp_${"z".repeat(36)}`,
    });
    const served = serveResult(s3, resultDocument("dev", [leaked]));
    // when
    await handler(buildEvent({ ...PR_BUILD, ...served }));
    // then
    const [body] = posted();
    expect(body).not.toContain(TOKEN);
    expect(body).not.toContain("AKIAIOSFODNN7EXAMPLE");
    expect(body).not.toContain(`ghp_${"z".repeat(36)}`);
    expect(body).toContain("token [redacted] key [redacted] other [redacted]");
  });

  it("never shows the token in its error when GitHub quotes it back", async () => {
    // given
    await github.close();
    github = await startFakeGitHub({ failWith: { status: 403, message: `bad token ${TOKEN}` } });
    process.env.GITHUB_API_URL = github.apiUrl;
    const served = serveResult(s3, resultDocument("dev", [creating("dev-us-east-1")]));
    // when
    const error = await handler(buildEvent({ ...PR_BUILD, ...served })).then(
      () => undefined,
      (e: Error) => e,
    );
    // then
    expect(error?.message).toContain(
      `commenting failed (the token is the secret ${SECRET}): GitHub refused`,
    );
    expect(error?.message).not.toContain(TOKEN);
    expect(logged.join("\n")).not.toContain(TOKEN);
  });

  it.each([
    ["a branch build", { sourceVersion: "main" }],
    ["no source version", {}],
    ["another project's build", { ...PR_BUILD, project: "silkroute-build" }],
  ])("does nothing for %s: no secret read, no request", async (_what, options) => {
    // when
    const outcome = await handler(buildEvent(options));
    // then
    expect(outcome).toHaveProperty("skipped");
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
    expect(github.requests).toHaveLength(0);
  });

  it("reads nothing outside its result folder, whatever the artifact location says", async () => {
    // given
    serveObjects(s3, { "app/silkroute-dev/1.0.0.zip": "code" });
    // when
    await handler(
      buildEvent({ ...PR_BUILD, artifactLocation: `arn:aws:s3:::${BUCKET}/app/silkroute-dev` }),
    );
    // then
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
    expect(posted()[0]).toContain("the build left no result");
  });

  it("fails loudly on an event that is not a CodeBuild build state change", async () => {
    await expect(handler({ source: "aws.codecommit", detail: {} })).rejects.toThrow(
      "not a CodeBuild Build State Change event from aws.codebuild",
    );
  });
});
