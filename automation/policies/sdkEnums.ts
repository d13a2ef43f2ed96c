import SDK_ENUMS from "../../components/sdkEnums.json";
import { Policy } from "./types";
import { isKnown } from "./util";

export { codeBuildEnum, OTHER_ENUMS } from "../../components/codeBuildEnums";

type SdkEnums = typeof SDK_ENUMS;
type Client = keyof SdkEnums;

/** One enum-valued input of a resource type and the SDK enum that lists its values. */
export interface EnumField {
  /** Pulumi type token, e.g. `aws:codebuild/webhook:Webhook`. */
  readonly type: string;
  /** Input path: `.` between keys, `[]` for every element of a list. */
  readonly path: string;
  /** The SDK client package that exports the enum. */
  readonly client: Client;
  readonly enumName: string;
  /** The enum's values, from sdkEnums.json (generated from the client). */
  readonly values: readonly string[];
}

function field<C extends Client>(
  type: string,
  path: string,
  client: C,
  enumName: keyof SdkEnums[C] & string,
): EnumField {
  const values = SDK_ENUMS[client][enumName] as unknown as string[];
  return { type, path, client, enumName, values };
}

const CODEBUILD = "@aws-sdk/client-codebuild";
const PIPELINE = "@aws-sdk/client-codepipeline";
const S3 = "@aws-sdk/client-s3";
const PROJECT = "aws:codebuild/project:Project";
const WEBHOOK = "aws:codebuild/webhook:Webhook";
const FUNCTION = "aws:lambda/function:Function";
const KEY = "aws:kms/key:Key";
const PARAMETER = "aws:ssm/parameter:Parameter";
const CODEPIPELINE = "aws:codepipeline/pipeline:Pipeline";
const SCHEDULE = "aws:scheduler/schedule:Schedule";

/**
 * Every enum-valued input of the resource types silkroute creates (input
 * names from @pulumi/aws's .d.ts), each with the SDK enum of the API field
 * it becomes. Left out: BucketVersioning's status, where Pulumi adds a
 * `Disabled` of its own that never reaches the API.
 */
export const ENUM_FIELDS: readonly EnumField[] = [
  field(PROJECT, "environment.computeType", CODEBUILD, "ComputeType"),
  field(PROJECT, "environment.type", CODEBUILD, "EnvironmentType"),
  field(PROJECT, "environment.imagePullCredentialsType", CODEBUILD, "ImagePullCredentialsType"),
  field(PROJECT, "environment.environmentVariables[].type", CODEBUILD, "EnvironmentVariableType"),
  field(PROJECT, "source.type", CODEBUILD, "SourceType"),
  field(PROJECT, "source.auth.type", CODEBUILD, "SourceAuthType"),
  field(PROJECT, "artifacts.type", CODEBUILD, "ArtifactsType"),
  field(PROJECT, "cache.type", CODEBUILD, "CacheType"),
  field(PROJECT, "cache.modes[]", CODEBUILD, "CacheMode"),
  field(PROJECT, "logsConfig.cloudwatchLogs.status", CODEBUILD, "LogsConfigStatusType"),
  field(PROJECT, "logsConfig.s3Logs.status", CODEBUILD, "LogsConfigStatusType"),
  field(WEBHOOK, "buildType", CODEBUILD, "WebhookBuildType"),
  field(WEBHOOK, "filterGroups[].filters[].type", CODEBUILD, "WebhookFilterType"),
  field(
    WEBHOOK,
    "pullRequestBuildPolicy.requiresCommentApproval",
    CODEBUILD,
    "PullRequestBuildCommentApproval",
  ),
  field(
    WEBHOOK,
    "pullRequestBuildPolicy.approverRoles[]",
    CODEBUILD,
    "PullRequestBuildApproverRole",
  ),
  // Deprecated runtimes are still values; lambda-supported-runtime judges support.
  field(FUNCTION, "runtime", "@aws-sdk/client-lambda", "Runtime"),
  field(FUNCTION, "architectures[]", "@aws-sdk/client-lambda", "Architecture"),
  field(FUNCTION, "packageType", "@aws-sdk/client-lambda", "PackageType"),
  field(KEY, "customerMasterKeySpec", "@aws-sdk/client-kms", "KeySpec"),
  field(KEY, "keyUsage", "@aws-sdk/client-kms", "KeyUsageType"),
  field(PARAMETER, "type", "@aws-sdk/client-ssm", "ParameterType"),
  field(PARAMETER, "tier", "@aws-sdk/client-ssm", "ParameterTier"),
  field(
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "rule.objectOwnership",
    S3,
    "ObjectOwnership",
  ),
  field(
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "rules[].applyServerSideEncryptionByDefault.sseAlgorithm",
    S3,
    "ServerSideEncryption",
  ),
  field(
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "rules[].status",
    S3,
    "ExpirationStatus",
  ),
  field("aws:s3/bucketObjectv2:BucketObjectv2", "serverSideEncryption", S3, "ServerSideEncryption"),
  field("aws:s3/bucketObjectv2:BucketObjectv2", "storageClass", S3, "StorageClass"),
  field(CODEPIPELINE, "pipelineType", PIPELINE, "PipelineType"),
  field(CODEPIPELINE, "executionMode", PIPELINE, "ExecutionMode"),
  field(CODEPIPELINE, "stages[].actions[].category", PIPELINE, "ActionCategory"),
  field(CODEPIPELINE, "stages[].actions[].owner", PIPELINE, "ActionOwner"),
  field(CODEPIPELINE, "artifactStores[].type", PIPELINE, "ArtifactStoreType"),
  field(CODEPIPELINE, "artifactStores[].encryptionKey.type", PIPELINE, "EncryptionKeyType"),
  field(CODEPIPELINE, "triggers[].providerType", PIPELINE, "PipelineTriggerProviderType"),
  field(
    "aws:cloudwatch/logGroup:LogGroup",
    "logGroupClass",
    "@aws-sdk/client-cloudwatch-logs",
    "LogGroupClass",
  ),
  field("aws:iam/accessKey:AccessKey", "status", "@aws-sdk/client-iam", "StatusType"),
  field(SCHEDULE, "flexibleTimeWindow.mode", "@aws-sdk/client-scheduler", "FlexibleTimeWindowMode"),
  field(SCHEDULE, "state", "@aws-sdk/client-scheduler", "ScheduleState"),
  field(
    "aws:cloudformation/stack:Stack",
    "capabilities[]",
    "@aws-sdk/client-cloudformation",
    "Capability",
  ),
];

/** Every value at a path, with where it sits (`stages[1].actions[0].category`). */
export function valuesAt(inputs: unknown, path: string): { at: string; value: unknown }[] {
  let found: { at: string; value: unknown }[] = [{ at: "", value: inputs }];
  for (const part of path.split(".")) {
    const list = part.endsWith("[]");
    const key = list ? part.slice(0, -2) : part;
    found = found.flatMap(({ at, value }) => {
      if (typeof value !== "object" || value === null) return [];
      const child = (value as Record<string, unknown>)[key];
      const here = at === "" ? key : `${at}.${key}`;
      if (!list) return [{ at: here, value: child }];
      return Array.isArray(child) ? child.map((v, i) => ({ at: `${here}[${i}]`, value: v })) : [];
    });
  }
  return found.filter(({ value }) => isKnown(value));
}

const FIELDS_BY_TYPE = new Map<string, EnumField[]>();
for (const f of ENUM_FIELDS) FIELDS_BY_TYPE.set(f.type, [...(FIELDS_BY_TYPE.get(f.type) ?? []), f]);

export const ENUM_POLICIES: readonly Policy[] = [
  {
    name: "aws-enum-values",
    description:
      "Every enum-valued input is one of the values the AWS API takes (the AWS SDK for JavaScript v3 clients' enums).",
    validateResource: (r) =>
      (FIELDS_BY_TYPE.get(r.type) ?? []).flatMap((f) =>
        valuesAt(r.inputs, f.path)
          .filter(({ value }) => typeof value !== "string" || !f.values.includes(value))
          .map(
            ({ at, value }) =>
              `${at} is ${JSON.stringify(value)}, not a ${f.enumName} of ${f.client}: one of ${f.values.join(", ")}`,
          ),
      ),
  },
];
