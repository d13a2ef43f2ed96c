import { CODEBUILD_POLICIES } from "../../automation/policies/codebuild";
import { messages, planned, policyNamed, withInputs } from "../helpers/planned";

const credentials = policyNamed(CODEBUILD_POLICIES, "codebuild-no-plaintext-credentials");
const privileged = policyNamed(CODEBUILD_POLICIES, "codebuild-privileged-mode-off");
const encryption = policyNamed(CODEBUILD_POLICIES, "codebuild-encryption");
const logging = policyNamed(CODEBUILD_POLICIES, "codebuild-logging");

/** A project as components/buildProjects.ts makes the deploy-china one. */
const project = (env: Record<string, unknown>[] = []) =>
  planned("aws:codebuild/project:Project", {
    encryptionKey: "arn:aws:kms:us-east-1:123456789012:key/k",
    source: { type: "CODEPIPELINE", buildspec: "version: 0.2" },
    environment: {
      privilegedMode: false,
      environmentVariables: [
        { name: "USER_ACCESS_KEY_SSM", value: "/China/Dev/UserAccessKey", type: "PLAINTEXT" },
        { name: "USER_SECRET_KEY_SSM", value: "/China/Dev/UserSecretKey", type: "PLAINTEXT" },
        ...env,
      ],
    },
    logsConfig: { cloudwatchLogs: { status: "ENABLED" }, s3Logs: { status: "DISABLED" } },
  });

describe("codebuild-no-plaintext-credentials", () => {
  it("passes parameter names and PARAMETER_STORE variables", () => {
    const p = project([
      { name: "GITHUB_TOKEN", value: "/silkroute/github-token", type: "PARAMETER_STORE" },
    ]);
    expect(messages(credentials, p)).toEqual([]);
  });

  it("passes a variable whose name only contains a credential word", () => {
    const p = project([{ name: "SILKROUTE_SECRETS_PROVIDER", value: "awskms://alias/state" }]);
    expect(messages(credentials, p)).toEqual([]);
  });

  it("flags a credential-named PLAINTEXT variable with a value", () => {
    const p = project([{ name: "AWS_SECRET_ACCESS_KEY", value: "wJalr" }]);
    expect(messages(credentials, p)).toEqual([
      expect.stringContaining("AWS_SECRET_ACCESS_KEY looks like a credential in PLAINTEXT"),
    ]);
  });

  it("flags a source URL with credentials in it", () => {
    const p = withInputs(project(), {
      source: { type: "GITHUB", location: "https://user:ghp_x@github.com/acme/app.git" },
    });
    expect(messages(credentials, p)).toEqual([
      expect.stringContaining("source.location embeds credentials"),
    ]);
  });
});

describe("codebuild-privileged-mode-off", () => {
  it("passes privilegedMode false", () => {
    expect(messages(privileged, project())).toEqual([]);
  });

  it("flags privilegedMode true", () => {
    const p = withInputs(project(), { environment: { privilegedMode: true } });
    expect(messages(privileged, p)).toEqual([expect.stringContaining("privilegedMode is true")]);
  });
});

describe("codebuild-encryption", () => {
  it("passes a customer key", () => {
    expect(messages(encryption, project())).toEqual([]);
  });

  it("flags a missing key, the aws/s3 key and disabled S3 log encryption", () => {
    expect(messages(encryption, withInputs(project(), { encryptionKey: undefined }))).toEqual([
      expect.stringContaining("encryptionKey is not set"),
    ]);
    expect(messages(encryption, withInputs(project(), { encryptionKey: "alias/aws/s3" }))).toEqual([
      expect.stringContaining("AWS managed aws/s3 key"),
    ]);
    const s3Logs = withInputs(project(), {
      logsConfig: { s3Logs: { status: "ENABLED", location: "b/logs", encryptionDisabled: true } },
    });
    expect(messages(encryption, s3Logs)).toEqual(["logsConfig.s3Logs.encryptionDisabled is true"]);
  });
});

describe("codebuild-logging", () => {
  it("passes CloudWatch Logs enabled, and the default (no logsConfig)", () => {
    expect(messages(logging, project())).toEqual([]);
    expect(messages(logging, withInputs(project(), { logsConfig: undefined }))).toEqual([]);
  });

  it("flags both log destinations disabled", () => {
    const p = withInputs(project(), {
      logsConfig: { cloudwatchLogs: { status: "DISABLED" }, s3Logs: { status: "DISABLED" } },
    });
    expect(messages(logging, p)).toEqual([expect.stringContaining("disables both")]);
  });
});
