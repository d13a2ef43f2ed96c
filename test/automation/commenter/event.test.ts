import { commenterConfig } from "../../../automation/commenter/config";
import { parseBuildEnd, resultKeyOf } from "../../../automation/commenter/event";
import { redactCredentialShapes } from "../../../automation/comments/scrub";
import { GITHUB_API } from "../../../components/commenterContract";
import { BUCKET, buildEvent, BUILD_ID, RESULT_KEY, UUID } from "./events";

describe("parseBuildEnd", () => {
  it("reads the build id, status, log link and first failed phase of a real event shape", () => {
    // given / when
    const build = parseBuildEnd(
      buildEvent({ status: "FAILED", failedIn: { phase: "INSTALL", context: ["x"] } }),
    );
    // then
    expect(build).toMatchObject({
      buildId: BUILD_ID,
      status: "FAILED",
      failedPhase: { type: "INSTALL", status: "FAILED", context: ["x"] },
    });
  });
});

describe("resultKeyOf", () => {
  const at = (artifactLocation: string | null) =>
    resultKeyOf(parseBuildEnd(buildEvent({ artifactLocation })), BUCKET);

  it("is the result archive in the build's own folder", () => {
    expect(at(`arn:aws:s3:::${BUCKET}/${RESULT_KEY}`)).toBe(RESULT_KEY);
    expect(at(`arn:aws:s3:::${BUCKET}/pr-preview-results/${BUILD_ID}/preview-result.zip`)).toBe(
      `pr-preview-results/${BUILD_ID}/preview-result.zip`,
    );
  });

  it("is the BUILD_ID namespace's archive when the event names no location", () => {
    expect(at(null)).toBe(RESULT_KEY);
  });

  it.each([
    ["the folder, not the archive", `arn:aws:s3:::${BUCKET}/pr-preview-results/${UUID}`],
    ["an empty folder name", `arn:aws:s3:::${BUCKET}/pr-preview-results/${UUID}//x`],
    ["another bucket", `arn:aws:s3:::other-bucket/${RESULT_KEY}`],
    ["another folder", `arn:aws:s3:::${BUCKET}/app/silkroute-dev/preview-result.zip`],
    [
      "another build's archive",
      `arn:aws:s3:::${BUCKET}/pr-preview-results/0000-other/preview-result.zip`,
    ],
    [
      "a climb out of the folder",
      `arn:aws:s3:::${BUCKET}/pr-preview-results/${UUID}/../x/preview-result.zip`,
    ],
  ])("is undefined for %s", (_what, location) => {
    expect(at(location)).toBeUndefined();
  });
});

describe("parseBuildEnd's artifact hash", () => {
  it("is the sha256sum CodeBuild reports for a ZIP artifact", () => {
    const sha = "6ccc2ae1df9d155ba83c597051611c42d60e09c6329dcb14a312cecc0a8e39ee";
    expect(parseBuildEnd(buildEvent({ artifactSha256: sha })).artifactSha256).toBe(sha);
  });
});

describe("commenterConfig", () => {
  const base = {
    SILKROUTE_ENV: "dev",
    SILKROUTE_PREVIEW_PROJECT: "silkroute-pr-preview",
    SILKROUTE_RESULT_BUCKET: BUCKET,
  };

  it("reads a GitHub configuration, the public API by default", () => {
    expect(
      commenterConfig({
        ...base,
        SILKROUTE_COMMENT: "github",
        SILKROUTE_REPOSITORY: "octo/app",
        SILKROUTE_GITHUB_TOKEN_SECRET: "github-pr-token",
      }),
    ).toMatchObject({ provider: "github", owner: "octo", repo: "app", apiBase: GITHUB_API });
  });

  it.each([
    [{ SILKROUTE_COMMENT: "codecommit" }, "SILKROUTE_REPOSITORY is not set"],
    [{ SILKROUTE_COMMENT: "gitlab", SILKROUTE_REPOSITORY: "a" }, "must be github or codecommit"],
    [{ SILKROUTE_COMMENT: "github", SILKROUTE_REPOSITORY: "app" }, "must be owner/repo"],
    [
      { SILKROUTE_COMMENT: "github", SILKROUTE_REPOSITORY: "octo/app" },
      "SILKROUTE_GITHUB_TOKEN_SECRET is not set",
    ],
  ])("names what is wrong: %j", (vars, said) => {
    expect(() => commenterConfig({ ...base, ...vars })).toThrow(said);
  });
});

describe("redactCredentialShapes", () => {
  it.each([
    ["a GitHub token", `ghp_${"A".repeat(36)}`],
    ["a fine-grained GitHub token", `github_pat_${"a1".repeat(20)}`],
    ["an AWS access key id", "ASIAIOSFODNN7EXAMPLE"],
    ["a PEM private key", "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----"],
  ])("hides %s", (_what, secret) => {
    expect(redactCredentialShapes(`x ${secret} y`)).toBe("x [redacted] y");
  });

  it("hides a secret access key only where a name says what it is", () => {
    // given
    const key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    // when / then
    expect(redactCredentialShapes(`aws_secret_access_key = ${key}`)).toBe(
      "aws_secret_access_key = [redacted]",
    );
    expect(redactCredentialShapes(`sha ${"0".repeat(40)}`)).toBe(`sha ${"0".repeat(40)}`);
  });
});
