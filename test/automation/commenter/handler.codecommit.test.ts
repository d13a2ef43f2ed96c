import {
  CodeCommitClient,
  GetCommentsForPullRequestCommand,
  GetPullRequestCommand,
  PostCommentForPullRequestCommand,
  UpdateCommentCommand,
} from "@aws-sdk/client-codecommit";
import { S3Client } from "@aws-sdk/client-s3";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { handler } from "../../../automation/commenter/handler";
import { COMMENT_LIMITS } from "../../../automation/comments/text";
import { resultDocument } from "../../../automation/comments/result";
import { creating } from "../comments/fixtures";
import {
  buildEvent,
  BUCKET,
  codeCommitTriggerVariables,
  DEEP_LINK,
  DESTINATION_COMMIT,
  PROJECT,
  serveObjects,
  serveResult,
  SOURCE_COMMIT,
} from "./events";

const MARKER = "<!-- silkroute:preview env=dev -->";
const s3 = mockClient(S3Client);
const secrets = mockClient(SecretsManagerClient);
const codecommit = mockClient(CodeCommitClient);
const saved = { ...process.env };

beforeEach(() => {
  s3.reset();
  secrets.reset();
  codecommit.reset();
  codecommit.on(GetCommentsForPullRequestCommand).resolves({ commentsForPullRequestData: [] });
  codecommit
    .on(PostCommentForPullRequestCommand)
    .resolves({ comment: { commentId: "c-1", content: "" } });
  Object.assign(process.env, {
    SILKROUTE_COMMENT: "codecommit",
    SILKROUTE_ENV: "dev",
    SILKROUTE_PREVIEW_PROJECT: PROJECT,
    SILKROUTE_RESULT_BUCKET: BUCKET,
    SILKROUTE_REPOSITORY: "silkroute-app",
  });
  jest.spyOn(console, "log").mockImplementation(() => undefined);
});

afterEach(() => {
  process.env = { ...saved };
  jest.restoreAllMocks();
});

const fromTrigger = (more = {}) => buildEvent({ variables: codeCommitTriggerVariables(), ...more });
const postedContent = () =>
  codecommit.commandCalls(PostCommentForPullRequestCommand).map((c) => c.args[0].input);

describe("the PR comment poster on CodeCommit", () => {
  it("posts on the pull request, repository and commits the PR trigger set on the build", async () => {
    // given
    const served = serveResult(s3, resultDocument("dev", [creating("dev-us-east-1")]));
    // when
    const outcome = await handler(fromTrigger(served));
    // then
    expect(outcome).toEqual({ posted: "preview", action: "created", id: "c-1" });
    const [input] = postedContent();
    expect(input).toMatchObject({
      pullRequestId: "12",
      repositoryName: "silkroute-app",
      afterCommitId: SOURCE_COMMIT,
      beforeCommitId: DESTINATION_COMMIT,
    });
    expect(input.content?.startsWith(MARKER)).toBe(true);
    expect(input.content).toContain(`at \`${SOURCE_COMMIT.slice(0, 12)}\``);
    // The commits came from the event: the poster never asks CodeCommit, and reads no secret.
    expect(codecommit.commandCalls(GetPullRequestCommand)).toHaveLength(0);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it("updates its own comment of an earlier revision", async () => {
    // given
    codecommit.on(GetCommentsForPullRequestCommand).resolves({
      commentsForPullRequestData: [
        { comments: [{ commentId: "c-0", content: `${MARKER}\nold`, deleted: false }] },
      ],
    });
    codecommit.on(UpdateCommentCommand).resolves({ comment: { commentId: "c-0" } });
    const served = serveResult(s3, resultDocument("dev", [creating("dev-us-east-1")]));
    // when
    const outcome = await handler(fromTrigger(served));
    // then
    expect(outcome).toMatchObject({ action: "updated", id: "c-0" });
    expect(postedContent()).toHaveLength(0);
  });

  it("keeps a result full of long diffs within CodeCommit's 10,240 characters", async () => {
    // given
    const previews = Array.from({ length: 20 }, (_, i) =>
      creating(`dev-r${i}`, 200, "+ 变更 ".repeat(8_000)),
    );
    const served = serveResult(s3, resultDocument("dev", previews));
    // when
    await handler(fromTrigger(served));
    // then
    const content = postedContent()[0].content ?? "";
    expect(Buffer.byteLength(content, "utf8")).toBeLessThanOrEqual(
      COMMENT_LIMITS.codecommit.budget,
    );
    expect(content).toContain("Cut to fit CodeCommit's 10,240-character comment limit");
  });

  it("posts a failure comment naming INSTALL when the build died before writing a result", async () => {
    // given
    serveObjects(s3, {});
    // when
    const outcome = await handler(
      fromTrigger({
        status: "FAILED",
        failedIn: { phase: "INSTALL", context: ["COMMAND_EXECUTION_ERROR: npm ci failed"] },
      }),
    );
    // then
    expect(outcome).toMatchObject({ posted: "failure" });
    const content = postedContent()[0].content ?? "";
    expect(content).toContain("in the `INSTALL` phase (`FAILED`): the build left no result");
    expect(content).toContain(`[the build log](${DEEP_LINK})`);
  });

  it.each([
    ["another repository", codeCommitTriggerVariables("12", "other-repo")],
    ["no pull request id", codeCommitTriggerVariables("").slice(1)],
    ["a pull request id that is no number", codeCommitTriggerVariables("12; rm -rf /")],
    ["no commits", codeCommitTriggerVariables().slice(0, 2)],
  ])("comments on nothing for a build with %s", async (_what, variables) => {
    // given
    const served = serveResult(s3, resultDocument("dev", [creating("dev-us-east-1")]));
    // when
    const outcome = await handler(buildEvent({ variables, ...served }));
    // then
    expect(outcome).toHaveProperty("skipped");
    expect(codecommit.calls()).toHaveLength(0);
  });

  it("ignores a trigger variable overridden as a secret reference", async () => {
    // given: SILKROUTE_PR only as a PARAMETER_STORE variable (its value is a parameter name)
    const variables = codeCommitTriggerVariables().map((v) =>
      v.name === "SILKROUTE_PR" ? { ...v, type: "PARAMETER_STORE", value: "12" } : v,
    );
    // when
    const outcome = await handler(buildEvent({ variables }));
    // then
    expect(outcome).toHaveProperty("skipped");
  });
});
