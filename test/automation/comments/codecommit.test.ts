import {
  CodeCommitClient,
  CommentContentSizeLimitExceededException,
  CommentNotCreatedByCallerException,
  GetCommentsForPullRequestCommand,
  GetPullRequestCommand,
  PostCommentForPullRequestCommand,
  PullRequestDoesNotExistException,
  UpdateCommentCommand,
} from "@aws-sdk/client-codecommit";
import { mockClient } from "aws-sdk-client-mock";
import { CliError, ExitCode } from "../../../automation/exitCodes";
import { publishPreviewComment } from "../../../automation/comments/publish";
import { creating } from "./fixtures";

const MARKER = "<!-- silkroute:preview env=dev -->";
const mock = mockClient(CodeCommitClient);
const client = new CodeCommitClient({ region: "us-east-1" });

const FROM_TRIGGER: NodeJS.ProcessEnv = {
  SILKROUTE_PR: "12",
  SILKROUTE_REPOSITORY: "app",
  SILKROUTE_SOURCE_COMMIT: "a".repeat(40),
  SILKROUTE_DESTINATION_COMMIT: "b".repeat(40),
};

beforeEach(() => mock.reset());

function publish(environment: NodeJS.ProcessEnv = FROM_TRIGGER) {
  return publishPreviewComment({
    provider: "codecommit",
    env: "dev",
    previews: [creating("dev-us-east-1"), creating("dev-china")],
    redact: (t) => t,
    environment,
    codecommitClient: client,
  });
}

function comment(commentId: string, content: string, creationDate = new Date("2026-01-01")) {
  return { commentId, content, creationDate, deleted: false };
}

async function failure(promise: Promise<unknown>): Promise<CliError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CliError);
  return error as CliError;
}

describe("CodeCommit preview comments", () => {
  it("pages through GetCommentsForPullRequest with NextToken and updates the marked comment in place", async () => {
    // given: the marked comment is on the third page
    mock
      .on(GetCommentsForPullRequestCommand, { nextToken: undefined })
      .resolves({
        commentsForPullRequestData: [{ comments: [comment("c1", "looks good")] }],
        nextToken: "p2",
      })
      .on(GetCommentsForPullRequestCommand, { nextToken: "p2" })
      .resolves({
        commentsForPullRequestData: [{ comments: [comment("c2", "nit")] }],
        nextToken: "p3",
      })
      .on(GetCommentsForPullRequestCommand, { nextToken: "p3" })
      .resolves({ commentsForPullRequestData: [{ comments: [comment("c3", `${MARKER}\nold`)] }] });
    mock.on(UpdateCommentCommand).resolves({});

    // when
    const result = await publish();

    // then
    const pages = mock.commandCalls(GetCommentsForPullRequestCommand).map((c) => c.args[0].input);
    expect(pages.map((p) => p.nextToken)).toEqual([undefined, "p2", "p3"]);
    expect(pages.every((p) => p.pullRequestId === "12")).toBe(true);
    const updates = mock.commandCalls(UpdateCommentCommand).map((c) => c.args[0].input);
    expect(updates).toHaveLength(1);
    expect(updates[0].commentId).toBe("c3");
    expect(updates[0].content?.startsWith(MARKER)).toBe(true);
    expect(mock.commandCalls(PostCommentForPullRequestCommand)).toHaveLength(0);
    expect(result).toEqual({ action: "updated", id: "c3" });
  });

  it("creates the comment on the PR trigger's repository and commits when none is marked", async () => {
    // given
    mock.on(GetCommentsForPullRequestCommand).resolves({ commentsForPullRequestData: [] });
    mock.on(PostCommentForPullRequestCommand).resolves({ comment: { commentId: "new-1" } });

    // when
    const result = await publish();

    // then
    const posts = mock.commandCalls(PostCommentForPullRequestCommand).map((c) => c.args[0].input);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({
      pullRequestId: "12",
      repositoryName: "app",
      afterCommitId: "a".repeat(40),
      beforeCommitId: "b".repeat(40),
    });
    expect(posts[0].content?.startsWith(MARKER)).toBe(true);
    expect(posts[0].clientRequestToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(mock.commandCalls(GetPullRequestCommand)).toHaveLength(0);
    expect(result).toEqual({ action: "created", id: "new-1" });
  });

  it("reads the repository and commits from GetPullRequest when the build was not given them", async () => {
    // given
    mock.on(GetCommentsForPullRequestCommand).resolves({});
    mock.on(GetPullRequestCommand, { pullRequestId: "12" }).resolves({
      pullRequest: {
        pullRequestTargets: [
          {
            repositoryName: "app",
            sourceCommit: "s".repeat(40),
            destinationCommit: "d".repeat(40),
          },
        ],
      },
    });
    mock.on(PostCommentForPullRequestCommand).resolves({ comment: { commentId: "new-2" } });

    // when
    await publish({ SILKROUTE_PR: "12" });

    // then
    const post = mock.commandCalls(PostCommentForPullRequestCommand)[0].args[0].input;
    expect(post).toMatchObject({
      repositoryName: "app",
      afterCommitId: "s".repeat(40),
      beforeCommitId: "d".repeat(40),
    });
  });

  it("skips a marked comment another identity wrote and updates its own", async () => {
    // given: a newer copy of the marker by someone else, and our own older comment
    mock.on(GetCommentsForPullRequestCommand).resolves({
      commentsForPullRequestData: [
        {
          comments: [
            comment("ours", `${MARKER}\nold`, new Date("2026-01-01")),
            comment("theirs", `${MARKER}\ncopied`, new Date("2026-02-01")),
          ],
        },
      ],
    });
    mock
      .on(UpdateCommentCommand, { commentId: "theirs" })
      .rejects(new CommentNotCreatedByCallerException({ message: "not yours", $metadata: {} }))
      .on(UpdateCommentCommand, { commentId: "ours" })
      .resolves({});

    // when
    const result = await publish();

    // then
    expect(result).toEqual({ action: "updated", id: "ours" });
  });

  it("maps the size-limit error to one clear line", async () => {
    // given
    mock.on(GetCommentsForPullRequestCommand).resolves({});
    mock
      .on(PostCommentForPullRequestCommand)
      .rejects(
        new CommentContentSizeLimitExceededException({ message: "too long", $metadata: {} }),
      );

    // when
    const error = await failure(publish());

    // then
    expect(error.exitCode).toBe(ExitCode.Failed);
    expect(error.message).toMatch(
      /too large \(CommentContentSizeLimitExceededException, limit 10,240 characters\)/,
    );
    expect(error.message).toMatch(/build log/);
    expect(error.message).not.toContain("\n");
  });

  it("maps AccessDenied to exit code 3 naming the actions the CodeBuild role needs", async () => {
    // given
    const denied = Object.assign(new Error("not authorized"), {
      name: "AccessDeniedException",
      $metadata: { httpStatusCode: 400 },
    });
    mock.on(GetCommentsForPullRequestCommand).rejects(denied);

    // when
    const error = await failure(publish());

    // then
    expect(error.exitCode).toBe(ExitCode.Credentials);
    expect(error.message).toMatch(/codecommit:GetCommentsForPullRequest.*codecommit:UpdateComment/);
  });

  it("maps an unknown pull request to a usage error saying what to set", async () => {
    // given
    mock
      .on(GetCommentsForPullRequestCommand)
      .rejects(new PullRequestDoesNotExistException({ message: "no such PR", $metadata: {} }));

    // when
    const error = await failure(publish());

    // then
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(error.message).toMatch(/SILKROUTE_PR/);
  });

  it("says what to set when no pull request id is known", async () => {
    // when
    const error = await failure(publish({}));

    // then
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(error.message).toMatch(/--pr <id>.*SILKROUTE_PR/);
    expect(mock.calls()).toHaveLength(0);
  });
});
