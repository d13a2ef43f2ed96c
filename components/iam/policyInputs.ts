import { entryOf } from "../lookup";
import { AppScope } from "./appPolicyStatements";
import {
  appPrefixOf,
  codeBuildCacheFolder,
  codeBuildLogGroup,
  pipelineArtifactFolder,
} from "../naming";
import { arn, endpointHost, Partition } from "../partition";
import { allow, objects, Statement } from "./policyStatements";
import { StateScope } from "./statePolicyStatements";

/*
 * What the pipeline's policy documents (policyDocuments.ts) are built from,
 * and the statements several of them share.
 */

export type SourceType = "codecommit" | "github";

/** One environment as its deploy role reaches it (resolved values). */
export interface DeployEnvironmentInputs {
  readonly name: string;
  /** Global Regions its deploy projects run in. */
  readonly globalRegions: readonly string[];
  /** It deploys to China: its China project runs in the pipeline Region. */
  readonly china: boolean;
  /** ARNs of its China key parameters, by exact name (empty without China). */
  readonly chinaParameterArns: readonly string[];
  /** Its role in another account; absent when it deploys into the pipeline account. */
  readonly crossAccountRoleArn?: string;
  /** The seed parameter holding that role's ARN: its deploy role's alone. @default none */
  readonly crossAccountParameterArn?: string;
}

/** The resolved values the pipeline's policy documents are built from (no Outputs). */
export interface PolicyInputs {
  readonly partition: Partition;
  /** The pipeline Region: CodeBuild, its logs, SSM and the state bucket. */
  readonly region: string;
  readonly accountId: string;
  /** Prefix of every physical name (`silkroute`): projects, roles, app prefixes. */
  readonly prefix: string;
  /** Artifact bucket ARN per Region (every deploy Region and the pipeline Region). */
  readonly artifactBucketArns: Readonly<Record<string, string>>;
  /** Artifact key ARN per Region. */
  readonly artifactKeyArns: Readonly<Record<string, string>>;
  readonly stateBucketArn: string;
  readonly stateKeyArn: string;
  readonly parameterKeyArn: string;
  readonly sourceArn: string;
  readonly sourceType: SourceType;
  readonly buildProjectArns: string[];
  readonly prPreviewProjectArn: string;
  /** The pipeline's name (in the pipeline Region): EventBridge starts it on pushes. */
  readonly pipelineName: string;
  /** The environments in pipeline order, each with its own deploy role. */
  readonly environments: readonly DeployEnvironmentInputs[];
  /** The environment pr-preview previews. */
  readonly previewEnvironment: string;
  /**
   * pr-preview previews the preview environment's China target too, against
   * an empty stack, so it reads that environment's China key (never a China
   * app stack's state). @default false
   */
  readonly previewChina?: boolean;
  readonly seedParameterArns: string[];
  /** The app boundary policy (AppBoundary) every app role must carry. */
  readonly appBoundaryArn: string;
  /**
   * The bucket (the pipeline Region's artifact bucket) pr-preview uploads its
   * result to, under PR_RESULT_FOLDER. @default none: it uploads no result
   */
  readonly previewResultBucketArn?: string;
  /** What the app manages (appKinds.ts names). @default the base kinds: the sample app */
  readonly appKinds?: readonly string[];
  /** CloudFormation transforms the app's template uses. @default none */
  readonly appTransforms?: readonly string[];
}

/**
 * What CodeBuild needs of its project's connection to clone through it. Both
 * are permissions CodeBuild's service checks; only GetConnection is also an
 * API (the connection's metadata): neither the CodeConnections nor the CodeStar
 * Connections API has a GetConnectionToken operation, so code running with
 * the role cannot ask for a token (docs/security.md).
 */
export const CLONE_ACTIONS = ["GetConnection", "GetConnectionToken"] as const;

/**
 * What CodeBuild needs to clone the project's source with its role: GitPull
 * on the CodeCommit repository, or the connection's CLONE_ACTIONS.
 */
export function pullSourceStatements(
  p: Pick<PolicyInputs, "sourceArn" | "sourceType">,
): Statement[] {
  return p.sourceType === "codecommit"
    ? [allow("PullSource", ["codecommit:GitPull"], [p.sourceArn])]
    : [
        // GetConnectionToken is a permission only: no API hands a token to the
        // build's code (docs/security.md).
        allow(
          "UseConnection",
          CLONE_ACTIONS.map((a) => `${connectionService(p.sourceArn)}:${a}`),
          [p.sourceArn],
        ),
      ];
}

/** `codeconnections` or `codestar-connections`: IAM actions must use the ARN's own prefix. */
export function connectionService(connectionArn: string): string {
  return connectionArn.split(":")[2] ?? "codeconnections";
}

/** The environment named `name`; an error naming the known ones otherwise. */
export function environmentInputs(p: PolicyInputs, name: string): DeployEnvironmentInputs {
  const env = p.environments.find((e) => e.name === name);
  if (env === undefined) {
    throw new Error(
      `no environment ${name}; environments: ${p.environments.map((e) => e.name).join(", ")}`,
    );
  }
  return env;
}

/** A CodeBuild project and its Region: its own log group and cache folder, exact names, never a prefix. */
export interface ProjectPlace {
  readonly region: string;
  readonly project: string;
}

/** CodeBuild's own log groups of the given projects, and no other's. */
export function logStatements(
  p: Pick<PolicyInputs, "partition" | "accountId">,
  projects: readonly ProjectPlace[],
): Statement[] {
  const group = (l: ProjectPlace, suffix: string) =>
    arn({
      partition: p.partition,
      service: "logs",
      region: l.region,
      account: p.accountId,
      resource: `log-group:${codeBuildLogGroup(l.project)}${suffix}`,
    });
  return [
    allow(
      "CreateLogGroups",
      ["logs:CreateLogGroup"],
      projects.map((l) => group(l, "")),
    ),
    allow(
      "WriteLogs",
      ["logs:CreateLogStream", "logs:PutLogEvents"],
      projects.map((l) => group(l, ":log-stream:*")),
    ),
  ];
}

/**
 * CodeBuild restores and saves a project's S3 cache (its folder of its
 * Region's artifact bucket) with the project's role: each role reads and
 * writes its own projects' cache folders and no other, so pull-request code
 * cannot poison the cache a deploy runs from.
 */
export function buildCacheStatements(
  p: Pick<PolicyInputs, "artifactBucketArns">,
  projects: readonly ProjectPlace[],
): Statement[] {
  const bucket = (l: ProjectPlace) =>
    entryOf(p.artifactBucketArns, l.region, "the artifact bucket of Region");
  return [
    allow(
      "BuildCache",
      ["s3:GetObject", "s3:PutObject"],
      projects.map((l) => `${bucket(l)}/${codeBuildCacheFolder(l.project)}*`),
    ),
    allow(
      "BuildCacheBuckets",
      ["s3:GetBucketAcl", "s3:GetBucketLocation"],
      [...new Set(projects.map(bucket))],
    ),
  ];
}

export const inPipelineRegion = (
  p: Pick<PolicyInputs, "region">,
  project: string,
): ProjectPlace[] => [{ region: p.region, project }];

/**
 * Artifact statements over every store, in the pipeline's own folder only,
 * never the app's code zips, the build caches or the PR results beside it.
 * CodePipeline writes the source artifacts there (`write`); the build only
 * reads them: it runs the branch's code before the approval that gates prod,
 * and the deploy actions deploy the source artifact of their own execution,
 * which it may therefore not overwrite.
 */
export function artifactStatements(
  p: PolicyInputs,
  bucketActions: string[],
  access: { readonly write: boolean },
): Statement[] {
  const buckets = Object.values(p.artifactBucketArns);
  return [
    allow(
      "ArtifactObjects",
      ["s3:GetObject", "s3:GetObjectVersion", ...(access.write ? ["s3:PutObject"] : [])],
      objects(buckets, pipelineArtifactFolder(p.pipelineName)),
    ),
    allow("ArtifactBuckets", bucketActions, buckets),
    allow(
      "ArtifactKeys",
      ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"],
      Object.values(p.artifactKeyArns),
    ),
  ];
}

export const readParameters = (Sid: string, arns: readonly string[]) =>
  allow(Sid, ["ssm:GetParameter", "ssm:GetParameters"], arns);

/**
 * kms:Decrypt of the China key parameters' key: only when SSM decrypts
 * (kms:ViaService), and only these parameters (the PARAMETER_ARN encryption
 * context SSM sends with every SecureString).
 */
export const decryptParameters = (
  p: Pick<PolicyInputs, "parameterKeyArn" | "region">,
  arns: readonly string[],
): Statement | undefined =>
  arns.length === 0
    ? undefined
    : {
        ...allow("DecryptChinaParameters", ["kms:Decrypt"], [p.parameterKeyArn]),
        Condition: {
          StringEquals: {
            "kms:ViaService": endpointHost("ssm", p.region),
            "kms:EncryptionContext:PARAMETER_ARN": [...arns],
          },
        },
      };

export const stateScope = (
  p: Pick<PolicyInputs, "region" | "stateBucketArn" | "stateKeyArn">,
): StateScope => ({
  region: p.region,
  stateBucketArn: p.stateBucketArn,
  stateKeyArn: p.stateKeyArn,
});

/** The app stacks of one in-account environment, in its global Regions. */
export const appScope = (
  p: Pick<
    PolicyInputs,
    | "partition"
    | "accountId"
    | "prefix"
    | "artifactBucketArns"
    | "appBoundaryArn"
    | "appKinds"
    | "appTransforms"
  >,
  env: Pick<DeployEnvironmentInputs, "name" | "globalRegions">,
): AppScope => ({
  partition: p.partition,
  accountId: p.accountId,
  regions: env.globalRegions,
  appPrefixes: [appPrefixOf(p.prefix, env.name)],
  artifactBucketArns: env.globalRegions.map((r) =>
    entryOf(p.artifactBucketArns, r, "the artifact bucket of Region"),
  ),
  boundaryArn: p.appBoundaryArn,
  kinds: p.appKinds,
  transforms: p.appTransforms,
});

/**
 * The secret's ARN for a policy. A name becomes `secret:<name>-??????`: a
 * secret's ARN ends in six random characters, and the wildcard matches only
 * those.
 */
export function secretResource(
  p: Pick<PolicyInputs, "partition" | "region" | "accountId">,
  secret: string,
): string {
  if (secret.startsWith("arn:")) return secret;
  return arn({
    partition: p.partition,
    service: "secretsmanager",
    region: p.region,
    account: p.accountId,
    resource: `secret:${secret}-??????`,
  });
}
