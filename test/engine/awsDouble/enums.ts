import { reveal, Wire } from "./values";

/**
 * Enum-valued inputs the AWS API checks, with the AWS SDK for JavaScript v3
 * enum that lists the values it takes (the same fields the plan's enum rule
 * checks). Values are read from the installed client packages, never typed
 * here; a field whose client package is not installed is not checked (the
 * project installs @aws-sdk/client-iam and -ssm; more clients, more fields).
 */
interface EnumField {
  readonly type: string;
  /** Input path: `.` between keys, `[]` for every element of a list. */
  readonly path: string;
  readonly client: string;
  readonly enumName: string;
}

const CODEBUILD = "@aws-sdk/client-codebuild";
const PIPELINE = "@aws-sdk/client-codepipeline";
const S3 = "@aws-sdk/client-s3";
const PROJECT = "aws:codebuild/project:Project";
const WEBHOOK = "aws:codebuild/webhook:Webhook";
const CODEPIPELINE = "aws:codepipeline/pipeline:Pipeline";

const f = (type: string, path: string, client: string, enumName: string): EnumField => ({
  type,
  path,
  client,
  enumName,
});

const FIELDS: readonly EnumField[] = [
  f(PROJECT, "environment.computeType", CODEBUILD, "ComputeType"),
  f(PROJECT, "environment.type", CODEBUILD, "EnvironmentType"),
  f(PROJECT, "environment.imagePullCredentialsType", CODEBUILD, "ImagePullCredentialsType"),
  f(PROJECT, "environment.environmentVariables[].type", CODEBUILD, "EnvironmentVariableType"),
  f(PROJECT, "source.type", CODEBUILD, "SourceType"),
  f(PROJECT, "artifacts.type", CODEBUILD, "ArtifactsType"),
  f(PROJECT, "cache.type", CODEBUILD, "CacheType"),
  f(PROJECT, "logsConfig.cloudwatchLogs.status", CODEBUILD, "LogsConfigStatusType"),
  f(PROJECT, "logsConfig.s3Logs.status", CODEBUILD, "LogsConfigStatusType"),
  f(WEBHOOK, "buildType", CODEBUILD, "WebhookBuildType"),
  f(WEBHOOK, "filterGroups[].filters[].type", CODEBUILD, "WebhookFilterType"),
  f("aws:lambda/function:Function", "runtime", "@aws-sdk/client-lambda", "Runtime"),
  f("aws:lambda/function:Function", "architectures[]", "@aws-sdk/client-lambda", "Architecture"),
  f("aws:kms/key:Key", "customerMasterKeySpec", "@aws-sdk/client-kms", "KeySpec"),
  f("aws:kms/key:Key", "keyUsage", "@aws-sdk/client-kms", "KeyUsageType"),
  f("aws:ssm/parameter:Parameter", "type", "@aws-sdk/client-ssm", "ParameterType"),
  f("aws:ssm/parameter:Parameter", "tier", "@aws-sdk/client-ssm", "ParameterTier"),
  f("aws:iam/accessKey:AccessKey", "status", "@aws-sdk/client-iam", "StatusType"),
  f(
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "rules[].applyServerSideEncryptionByDefault.sseAlgorithm",
    S3,
    "ServerSideEncryption",
  ),
  f(
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "rule.objectOwnership",
    S3,
    "ObjectOwnership",
  ),
  f(
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "rules[].status",
    S3,
    "ExpirationStatus",
  ),
  f(CODEPIPELINE, "pipelineType", PIPELINE, "PipelineType"),
  f(CODEPIPELINE, "executionMode", PIPELINE, "ExecutionMode"),
  f(CODEPIPELINE, "stages[].actions[].category", PIPELINE, "ActionCategory"),
  f(CODEPIPELINE, "stages[].actions[].owner", PIPELINE, "ActionOwner"),
  f(CODEPIPELINE, "artifactStores[].type", PIPELINE, "ArtifactStoreType"),
  f(
    "aws:cloudwatch/logGroup:LogGroup",
    "logGroupClass",
    "@aws-sdk/client-cloudwatch-logs",
    "LogGroupClass",
  ),
];

/** The values of an SDK enum, or undefined when its client is not installed. */
function enumValues(client: string, enumName: string): string[] | undefined {
  let mod: Record<string, unknown>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(client) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const e = mod[enumName];
  if (typeof e !== "object" || e === null) {
    throw new Error(`${client} exports no enum ${enumName}`);
  }
  return Object.values(e).filter((v): v is string => typeof v === "string");
}

/** Every value at a path, with where it sits (`stages[1].actions[0].category`). */
function valuesAt(inputs: Wire, path: string): { at: string; value: Wire }[] {
  let found: { at: string; value: Wire }[] = [{ at: "", value: reveal(inputs) }];
  for (const part of path.split(".")) {
    const list = part.endsWith("[]");
    const key = list ? part.slice(0, -2) : part;
    found = found.flatMap(({ at, value }) => {
      if (typeof value !== "object" || value === null) return [];
      const child = (value as Record<string, Wire>)[key];
      const here = at === "" ? key : `${at}.${key}`;
      if (!list) return child === undefined || child === null ? [] : [{ at: here, value: child }];
      return Array.isArray(child) ? child.map((v, i) => ({ at: `${here}[${i}]`, value: v })) : [];
    });
  }
  return found;
}

export interface EnumProblem {
  readonly property: string;
  readonly reason: string;
}

/** Enum fields of installed clients that a value of `type` breaks. */
export function enumProblems(type: string, inputs: Wire, isUnknown: (v: Wire) => boolean) {
  const problems: EnumProblem[] = [];
  for (const field of FIELDS.filter((x) => x.type === type)) {
    const values = enumValues(field.client, field.enumName);
    if (values === undefined) continue;
    for (const { at, value } of valuesAt(inputs, field.path)) {
      if (isUnknown(value) || (typeof value === "string" && values.includes(value))) continue;
      problems.push({
        property: at,
        reason: `${JSON.stringify(value)} is not a ${field.enumName} (${field.client}): expected one of ${values.join(", ")}`,
      });
    }
  }
  return problems;
}
