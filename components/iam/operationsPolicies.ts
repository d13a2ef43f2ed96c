import { appReadStatements } from "./appPolicyStatements";
import {
  appStackNames,
  chinaBootstrapParameterNames,
  checksProjectName,
  PULUMI_META_KEY,
  PULUMI_PROJECT,
  rotationProjectName,
  stackCheckpointPattern,
  stackStatePatterns,
} from "../naming";
import { arn, endpointHost } from "../partition";
import {
  appScope,
  buildCacheStatements,
  decryptParameters,
  inPipelineRegion,
  logStatements,
  PolicyInputs,
  pullSourceStatements,
  readParameters,
  stateScope,
} from "./policyInputs";
import {
  allow,
  doc,
  PolicyDocument,
  RESOURCELESS_READ_ACTIONS,
  Statement,
} from "./policyStatements";
import { CHINA_STACK, stateReadStatements } from "./statePolicyStatements";

/*
 * The least-privilege policies of the day-2 identities (docs/operations.md):
 * the scheduled checks' role reads, the rotation role rotates the China
 * deploy keys, and each schedule's role starts its one project.
 */

/** What the operations policies are built from (resolved values, a part of the pipeline's). */
export type OperationsInputs = Pick<
  PolicyInputs,
  | "partition"
  | "region"
  | "accountId"
  | "prefix"
  | "artifactBucketArns"
  | "stateBucketArn"
  | "stateKeyArn"
  | "parameterKeyArn"
  | "sourceArn"
  | "sourceType"
  | "environments"
  | "appBoundaryArn"
  | "appKinds"
  | "appTransforms"
> & {
  /** The key of the china stack's secrets (`chinaSecretsProvider`). */
  readonly chinaSecretsKeyArn: string;
};

/**
 * One environment's scheduled checks (`silkroute status`, `drift` and `keys`
 * of that environment), read only: its own log group and build cache; the
 * source; its app stacks' checkpoints and secrets, read (a refresh preview
 * writes no state and takes no lock), never the `china` stack's; its China
 * deploy key, decrypted through SSM only (its China target's drift and key
 * age are checked with it); and its app in this account, read as a refresh
 * reads it. Nothing of another environment, and no cross-account role: a
 * cross-account environment's global targets are not checked (its role
 * trusts its deploy role alone).
 */
export function checksPolicy(p: OperationsInputs, envName: string): PolicyDocument {
  const env = p.environments.find((e) => e.name === envName);
  if (env === undefined) throw new Error(`no environment ${envName}`);
  const own = inPipelineRegion(p, checksProjectName(p.prefix, env.name));
  const inAccount = env.crossAccountRoleArn === undefined;
  return doc([
    ...logStatements(p, own),
    ...pullSourceStatements(p),
    ...buildCacheStatements(p, own),
    ...stateReadStatements(stateScope(p), appStackNames(env)),
    readParameters("ReadChinaDeployKey", env.chinaParameterArns),
    decryptParameters(p, env.chinaParameterArns),
    // What a refresh of its app stacks reads: every kind the app manages, as the preview role.
    ...(inAccount ? appReadStatements(appScope(p, env)) : []),
  ]);
}

/** The SSM actions with which the china stack's program writes a deploy key back, and reads it. */
export const DEPLOY_KEY_PARAMETER_ACTIONS = [
  "ssm:AddTagsToResource",
  "ssm:GetParameter",
  "ssm:GetParameters",
  "ssm:ListTagsForResource",
  "ssm:PutParameter",
];

const parameterArn = (p: OperationsInputs, name: string) =>
  arn({
    partition: p.partition,
    service: "ssm",
    region: p.region,
    account: p.accountId,
    resource: `parameter${name}`,
  });

/** Every China environment's bootstrap key parameters (the china stack's provider signs in with them). */
export function bootstrapParameterArns(p: OperationsInputs, prefixes: readonly string[]): string[] {
  return prefixes.flatMap((prefix) => {
    const names = chinaBootstrapParameterNames(prefix);
    return [names.accessKeyId, names.secretAccessKey].map((n) => parameterArn(p, n));
  });
}

/**
 * The scheduled key rotation (`pulumi up --stack china` targeting the deploy
 * keys), and nothing else: its own log group (no build cache: nothing a
 * build leaves may run with these credentials next time); the source; every
 * China environment's bootstrap key, decrypted through SSM only; its deploy
 * key parameters, written and decrypted through SSM only, with the SSM
 * metadata the provider reads after a write; the `china` stack's state
 * (read, write, lock) and its secrets key; the `global` stack's checkpoint,
 * read (the china program reads its outputs). Never an app stack's state, an
 * app, the artifacts or a pipeline project.
 */
export function rotationPolicy(
  p: OperationsInputs,
  chinaParameterPrefixes: readonly string[],
): PolicyDocument {
  const own = inPipelineRegion(p, rotationProjectName(p.prefix));
  const bootstrap = bootstrapParameterArns(p, chinaParameterPrefixes);
  const deployKeys = p.environments.flatMap((e) => e.chinaParameterArns);
  const bucket = p.stateBucketArn;
  return doc([
    ...logStatements(p, own),
    ...pullSourceStatements(p),
    readParameters("ReadBootstrapKeys", bootstrap),
    decryptParameters(p, bootstrap),
    allow("WriteDeployKeys", DEPLOY_KEY_PARAMETER_ACTIONS, deployKeys),
    allow("ParameterMetadata", [...RESOURCELESS_READ_ACTIONS], ["*"]),
    {
      ...allow(
        "EncryptDeployKeys",
        ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
        [p.parameterKeyArn],
      ),
      Condition: {
        StringEquals: {
          "kms:ViaService": endpointHost("ssm", p.region),
          "kms:EncryptionContext:PARAMETER_ARN": deployKeys,
        },
      },
    },
    allow("ListState", ["s3:ListBucket"], [bucket]),
    allow(
      "ReadStateAndGlobalStack",
      ["s3:GetObject"],
      [
        `${bucket}/${PULUMI_META_KEY}`,
        `${bucket}/${stackCheckpointPattern(PULUMI_PROJECT, "global")}`,
      ],
    ),
    allow(
      "ChinaStackState",
      ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
      stackStatePatterns(PULUMI_PROJECT, CHINA_STACK).map((k) => `${bucket}/${k}`),
    ),
    stateKeyThroughS3(p),
    allow("ChinaStackSecrets", ["kms:Decrypt", "kms:Encrypt"], [p.chinaSecretsKeyArn]),
  ]);
}

/** The state bucket's key, used by S3 for the state objects only. */
function stateKeyThroughS3(p: OperationsInputs): Statement {
  const scope = stateScope(p);
  return {
    ...allow("StateKeyThroughS3", ["kms:Decrypt", "kms:GenerateDataKey"], [scope.stateKeyArn]),
    Condition: {
      StringEquals: { "kms:ViaService": endpointHost("s3", scope.region) },
      StringLike: {
        "kms:EncryptionContext:aws:s3:arn": [scope.stateBucketArn, `${scope.stateBucketArn}/*`],
      },
    },
  };
}

/** EventBridge Scheduler's role for one schedule: start that schedule's project, nothing else. */
export function schedulePolicy(projectArn: string): PolicyDocument {
  return doc([allow("StartScheduledBuild", ["codebuild:StartBuild"], [projectArn])]);
}
