import { Policy, resourcePolicy } from "./types";
import { get } from "./util";

const PROJECT = ["aws:codebuild/project:Project"];

/**
 * Variable names that say they hold a credential, word by word
 * (`AWS_SECRET_ACCESS_KEY`, `GITHUB_TOKEN`, `DB_PASSWORD`), so that
 * `SILKROUTE_SECRETS_PROVIDER` (a KMS key URL) is not one.
 */
export const CREDENTIAL_NAME =
  /(^|[_-])(secret|token|password|passwd|pwd|access[_-]?key|private[_-]?key|api[_-]?key|credentials?)([_-]|$)/i;

/**
 * A PLAINTEXT value that is a pointer, not the credential: an SSM parameter
 * name (`/China/Dev/UserAccessKey`, the seed's USER_ACCESS_KEY_SSM) or ARN.
 */
function isReference(value: unknown): boolean {
  return typeof value === "string" && (value.startsWith("/") || value.startsWith("arn:"));
}

interface EnvironmentVariable {
  readonly name?: unknown;
  readonly value?: unknown;
  readonly type?: unknown;
}

const plaintextCredentials = resourcePolicy({
  name: "codebuild-no-plaintext-credentials",
  description:
    "No CodeBuild variable named like a credential holds a PLAINTEXT value (use PARAMETER_STORE or SECRETS_MANAGER, or pass the parameter name), and no source URL embeds credentials.",
  controls: ["CodeBuild.1", "CodeBuild.2"],
  types: PROJECT,
  check: (r) => {
    const problems: string[] = [];
    const variables = get(r.inputs, "environment", "environmentVariables");
    for (const v of (Array.isArray(variables) ? variables : []) as EnvironmentVariable[]) {
      const type = v.type ?? "PLAINTEXT";
      if (
        typeof v.name === "string" &&
        CREDENTIAL_NAME.test(v.name) &&
        type === "PLAINTEXT" &&
        !isReference(v.value)
      ) {
        problems.push(
          `environment variable ${v.name} looks like a credential in PLAINTEXT: use type PARAMETER_STORE or SECRETS_MANAGER`,
        );
      }
    }
    const location = get(r.inputs, "source", "location");
    if (typeof location === "string" && /^[a-z+]+:\/\/[^/@\s]+@/i.test(location)) {
      problems.push(
        "source.location embeds credentials: use a CodeConnections connection or the service role",
      );
    }
    return problems;
  },
});

const privileged = resourcePolicy({
  name: "codebuild-privileged-mode-off",
  description: "CodeBuild projects do not run in privileged mode.",
  controls: ["CodeBuild.5"],
  types: PROJECT,
  check: (r) =>
    get(r.inputs, "environment", "privilegedMode") === true
      ? [
          "environment.privilegedMode is true: turn it off (nothing silkroute builds needs Docker-in-Docker)",
        ]
      : [],
});

const encryption = resourcePolicy({
  name: "codebuild-encryption",
  description:
    "CodeBuild projects encrypt artifacts with a customer KMS key (encryptionKey) and never disable artifact or S3 log encryption.",
  controls: ["CodeBuild.3"],
  types: PROJECT,
  check: (r) => {
    const problems: string[] = [];
    const key = r.inputs.encryptionKey;
    if (key === undefined || key === null || key === "") {
      problems.push("encryptionKey is not set: give the artifact store's KMS key ARN");
    } else if (typeof key === "string" && /^(alias\/)?aws\/s3$/.test(key.split(":").pop() ?? "")) {
      problems.push("encryptionKey is the AWS managed aws/s3 key: give a customer KMS key");
    }
    if (get(r.inputs, "artifacts", "encryptionDisabled") === true) {
      problems.push("artifacts.encryptionDisabled is true");
    }
    if (get(r.inputs, "logsConfig", "s3Logs", "encryptionDisabled") === true) {
      problems.push("logsConfig.s3Logs.encryptionDisabled is true");
    }
    return problems;
  },
});

const logging = resourcePolicy({
  name: "codebuild-logging",
  description: "CodeBuild projects keep build logs (CloudWatch Logs or S3 not both DISABLED).",
  controls: ["CodeBuild.4"],
  types: PROJECT,
  check: (r) => {
    const cloudwatch = get(r.inputs, "logsConfig", "cloudwatchLogs", "status") ?? "ENABLED";
    const s3 = get(r.inputs, "logsConfig", "s3Logs", "status") ?? "DISABLED";
    return cloudwatch === "DISABLED" && s3 === "DISABLED"
      ? ["logsConfig disables both CloudWatch Logs and S3 logs: enable CloudWatch Logs"]
      : [];
  },
});

export const CODEBUILD_POLICIES: readonly Policy[] = [
  plaintextCredentials,
  privileged,
  encryption,
  logging,
];
