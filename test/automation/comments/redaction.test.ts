import {
  CodeCommitClient,
  GetCommentsForPullRequestCommand,
  PostCommentForPullRequestCommand,
} from "@aws-sdk/client-codecommit";
import { mockClient } from "aws-sdk-client-mock";
import { CliError } from "../../../automation/exitCodes";
import { publishPreviewComment } from "../../../automation/comments/publish";
import { TargetPreview } from "../../../automation/comments/types";
import { FakeGitHub, creating, preview, startFakeGitHub } from "./fixtures";

const SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYzzSECRET";
/** The driver's value-based redaction, as the CLI passes it. */
const redact = (text: string): string => text.split(SECRET).join("[secret]");

/** One huge line with the secret again and again, so a cut is bound to land inside one. */
const leakyPreviews: readonly TargetPreview[] = [
  creating("dev-us-east-1", 2, `  ~ environment: ${SECRET.repeat(20_000)}`),
  preview("dev-china", {
    status: "failed",
    error: `error: InvalidClientTokenId: ${SECRET} is not valid`,
  }),
];

function leaks(body: string): boolean {
  // Any piece of the secret is a leak: its start (where a cut would land) or any 8 characters.
  const windows = Array.from({ length: SECRET.length - 7 }, (_, i) => SECRET.slice(i, i + 8));
  return body.includes(SECRET.slice(0, 3)) || windows.some((part) => body.includes(part));
}

describe("redaction of comment bodies", () => {
  let server: FakeGitHub | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("never sends a secret from a diff or an error to GitHub", async () => {
    // given
    server = await startFakeGitHub();

    // when
    await publishPreviewComment({
      provider: "github",
      env: "dev",
      previews: leakyPreviews,
      redact,
      environment: {
        GITHUB_TOKEN: "t",
        GITHUB_API_URL: server.apiUrl,
        GITHUB_REPOSITORY: "octo/app",
        SILKROUTE_PR: "7",
      },
    });

    // then
    const body = (
      JSON.parse(server.requests.find((r) => r.method === "POST")?.body ?? "{}") as { body: string }
    ).body;
    expect(body).toContain("[secret]");
    expect(body).toContain("InvalidClientTokenId: [secret] is not valid");
    expect(leaks(body)).toBe(false);
  });

  it("never sends a secret from a diff or an error to CodeCommit", async () => {
    // given
    const mock = mockClient(CodeCommitClient);
    mock.on(GetCommentsForPullRequestCommand).resolves({});
    mock.on(PostCommentForPullRequestCommand).resolves({ comment: { commentId: "c" } });

    // when
    await publishPreviewComment({
      provider: "codecommit",
      env: "dev",
      previews: leakyPreviews,
      redact,
      environment: {
        SILKROUTE_PR: "3",
        SILKROUTE_REPOSITORY: "app",
        SILKROUTE_SOURCE_COMMIT: "a".repeat(40),
        SILKROUTE_DESTINATION_COMMIT: "b".repeat(40),
      },
      codecommitClient: new CodeCommitClient({ region: "us-east-1" }),
    });

    // then
    const content =
      mock.commandCalls(PostCommentForPullRequestCommand)[0].args[0].input.content ?? "";
    expect(content).toContain("InvalidClientTokenId: [secret] is not valid");
    expect(leaks(content)).toBe(false);
    mock.restore();
  });

  it("redacts a secret that a service quotes back in an error message", async () => {
    // given
    server = await startFakeGitHub({
      failWith: { status: 500, message: `upstream said ${SECRET}` },
    });
    const started = Date.now();

    // when
    const error = await publishPreviewComment({
      provider: "github",
      env: "dev",
      previews: leakyPreviews,
      redact,
      environment: {
        GITHUB_TOKEN: "t",
        GITHUB_API_URL: server.apiUrl,
        GITHUB_REPOSITORY: "octo/app",
        SILKROUTE_PR: "7",
      },
    }).catch((e: unknown) => e);

    // then
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).message).not.toContain(SECRET);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
