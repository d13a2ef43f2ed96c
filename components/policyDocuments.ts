import {
  appManageStatements,
  appNamePrefixes,
  AppScope,
  appReadStatements,
} from "./appPolicyStatements";
import { PR_RESULT_FOLDER } from "./naming";
import { arn, endpointHost, Partition } from "./partition";
import { allow, deny, doc, objects, PolicyDocument, Statement } from "./policyStatements";

export type SourceType = "codecommit" | "github";

/** The resolved values the pipeline's policy documents are built from (no Outputs). */
export interface PolicyInputs {
  readonly partition: Partition;
  /** The pipeline Region: CodeBuild, its logs, SSM and the state bucket. */
  readonly region: string;
  readonly accountId: string;
  readonly artifactBucketArns: string[];
  readonly artifactKeyArns: string[];
  readonly stateBucketArn: string;
  readonly stateKeyArn: string;
  readonly parameterKeyArn: string;
  readonly sourceArn: string;
  readonly sourceType: SourceType;
  readonly buildProjectArns: string[];
  readonly prPreviewProjectArn: string;
  /** The pipeline's name (in the pipeline Region): EventBridge starts it on pushes. */
  readonly pipelineName: string;
  readonly crossAccountRoleArns: string[];
  readonly chinaParameterArns: string[];
  /** China key parameters pr-preview may read: empty unless it previews China targets. */
  readonly previewChinaParameterArns: string[];
  readonly seedParameterArns: string[];
  readonly logGroupPrefix: string;
  /** Prefix of the app stacks' names, followed by the environment: `silkroute-`. */
  readonly appPrefix: string;
  /** Environments whose app stacks the deploy role deploys into this account. */
  readonly appEnvironments: string[];
  /** Global Regions those app stacks deploy into. */
  readonly deployRegions: string[];
  /** The app boundary policy (AppBoundary) every app role must carry. */
  readonly appBoundaryArn: string;
  /**
   * The bucket (the pipeline Region's artifact bucket) pr-preview uploads its
   * result to, under PR_RESULT_FOLDER. @default none: it uploads no result
   */
  readonly previewResultBucketArn?: string;
  /** The CodeBuild S3 cache folders of each role's projects. @default none */
  readonly buildCacheArns?: BuildCacheArns;
}

/**
 * Objects of the cache folders (`<artifact bucket ARN>/codebuild-cache/<project>/*`,
 * naming.ts codeBuildCacheFolder) of the projects each role runs.
 */
export interface BuildCacheArns {
  readonly codeBuild: readonly string[];
  readonly deploy: readonly string[];
  readonly preview: readonly string[];
}

/**
 * CodeBuild restores and saves a project's S3 cache with the project's role:
 * each role reads and writes its own projects' cache folders and no other,
 * so pull-request code cannot poison the cache a deploy runs from.
 */
const buildCache = (arns: readonly string[] = []): Statement[] => [
  allow("BuildCache", ["s3:GetObject", "s3:PutObject"], arns),
  allow(
    "BuildCacheBuckets",
    ["s3:GetBucketAcl", "s3:GetBucketLocation"],
    [...new Set(arns.map((a) => a.slice(0, a.indexOf("/"))))],
  ),
];

/** `codeconnections` or `codestar-connections`: IAM actions must use the ARN's own prefix. */
export function connectionService(connectionArn: string): string {
  return connectionArn.split(":")[2] ?? "codeconnections";
}

/**
 * CodeBuild's own log groups. A role whose projects run in several Regions
 * (deploy: one deploy-global project per Region) gets them in each of those
 * Regions: ARNs with the Region `*`, narrowed by aws:RequestedRegion.
 */
function logStatements(p: PolicyInputs, regions: readonly string[] = [p.region]): Statement[] {
  const many = regions.length > 1;
  const group = (suffix: string) =>
    arn({
      partition: p.partition,
      service: "logs",
      region: many ? "*" : regions[0],
      account: p.accountId,
      resource: `log-group:${p.logGroupPrefix}*${suffix}`,
    });
  const inRegions = (s: Statement): Statement =>
    many ? { ...s, Condition: { StringEquals: { "aws:RequestedRegion": [...regions] } } } : s;
  return [
    inRegions(allow("CreateLogGroups", ["logs:CreateLogGroup"], [group("")])),
    inRegions(
      allow("WriteLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], [group(":log-stream:*")]),
    ),
  ];
}

function artifactStatements(p: PolicyInputs, bucketActions: string[]): Statement[] {
  return [
    allow(
      "ArtifactObjects",
      ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
      objects(p.artifactBucketArns),
    ),
    allow("ArtifactBuckets", bucketActions, p.artifactBucketArns),
    allow(
      "ArtifactKeys",
      ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"],
      p.artifactKeyArns,
    ),
  ];
}

const readParameters = (Sid: string, arns: readonly string[]) =>
  allow(Sid, ["ssm:GetParameter", "ssm:GetParameters"], arns);

/** kms:Decrypt of the China key parameters' key, only when SSM decrypts them, never directly. */
const decryptParameters = (p: PolicyInputs): Statement => ({
  ...allow("DecryptChinaParameters", ["kms:Decrypt"], [p.parameterKeyArn]),
  Condition: { StringEquals: { "kms:ViaService": endpointHost("ssm", p.region) } },
});

const appScope = (p: PolicyInputs): AppScope => ({
  partition: p.partition,
  accountId: p.accountId,
  regions: p.deployRegions,
  namePrefixes: appNamePrefixes(p.appPrefix, p.appEnvironments),
  artifactBucketArns: p.artifactBucketArns,
  boundaryArn: p.appBoundaryArn,
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

/** CodePipeline: start and watch the pipeline's builds, move artifacts, read the source. */
export function codePipelinePolicy(p: PolicyInputs): PolicyDocument {
  const source =
    p.sourceType === "codecommit"
      ? allow(
          "ReadSource",
          [
            "codecommit:CancelUploadArchive",
            "codecommit:GetBranch",
            "codecommit:GetCommit",
            "codecommit:GetRepository",
            "codecommit:GetUploadArchiveStatus",
            "codecommit:UploadArchive",
          ],
          [p.sourceArn],
        )
      : allow("UseConnection", [`${connectionService(p.sourceArn)}:UseConnection`], [p.sourceArn]);
  return doc([
    allow("RunBuilds", ["codebuild:BatchGetBuilds", "codebuild:StartBuild"], p.buildProjectArns),
    ...artifactStatements(p, ["s3:GetBucketLocation", "s3:GetBucketVersioning"]),
    source,
  ]);
}

/**
 * The build project: logs, artifacts, seed parameters. Its source comes from
 * the pipeline as a zip, so it reads no repository and comments on nothing.
 */
export function codeBuildPolicy(p: PolicyInputs): PolicyDocument {
  return doc([
    ...logStatements(p),
    ...artifactStatements(p, ["s3:GetBucketAcl", "s3:GetBucketLocation"]),
    readParameters("ReadSeedParameters", p.seedParameterArns),
    ...buildCache(p.buildCacheArns?.codeBuild),
  ]);
}

/**
 * The deploy projects: the driver's DIY state backend (List, Get, Put and
 * Delete: locks under `.pulumi/locks/`, checkpoints, history and backups),
 * its `awskms://` secrets provider, the China keys, cross-account roles, and
 * the app stacks it deploys into this account's global Regions.
 */
export function deployPolicy(p: PolicyInputs): PolicyDocument {
  return doc([
    ...logStatements(p, [...new Set([p.region, ...p.deployRegions])]),
    ...artifactStatements(p, ["s3:GetBucketAcl", "s3:GetBucketLocation"]),
    allow("ListState", ["s3:ListBucket"], [p.stateBucketArn]),
    allow(
      "ReadWriteState",
      ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
      objects([p.stateBucketArn]),
    ),
    allow("UseStateKey", ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], [p.stateKeyArn]),
    allow("AssumeCrossAccountRoles", ["sts:AssumeRole"], p.crossAccountRoleArns),
    ...appManageStatements(appScope(p)),
    ...buildCache(p.buildCacheArns?.deploy),
  ]);
}

/**
 * The deploy role's parameters: the seed's and each China environment's
 * deploy key and bucket, by exact name, decrypted through SSM only. A managed
 * policy of its own (6,144 characters) beside the inline deploy policy: the
 * exact names grow with the environments, and a role's inline policies share
 * 10,240 characters.
 */
export function deployParametersPolicy(p: PolicyInputs): PolicyDocument {
  return doc([
    readParameters("ReadParameters", [...p.seedParameterArns, ...p.chinaParameterArns]),
    decryptParameters(p),
  ]);
}

/**
 * pr-preview runs pull-request code, so this role can change nothing that
 * lasts and holds no token: it reads the state and the app stacks and writes
 * its result (data, not a comment) to its own folder; the PR comment poster,
 * a separate identity, comments (components/prCommenter.ts). No secret, no
 * comment action. No Put or Delete on the state: a DIY backend's preview
 * takes no lock (pulumi/pulumi#8642 made it lock-free, as on Pulumi Cloud) and
 * writes no history or backup on a dry run; stacks it has never seen are for
 * the deploy role to create. kms:Encrypt stays because the `awskms://`
 * provider wraps a fresh data key for a workspace without a saved `encryptedkey`.
 */
export function previewPolicy(p: PolicyInputs): PolicyDocument {
  const source =
    p.sourceType === "codecommit"
      ? [allow("PullSource", ["codecommit:GitPull"], [p.sourceArn])]
      : [
          allow(
            "UseConnection",
            ["GetConnection", "GetConnectionToken"].map(
              (a) => `${connectionService(p.sourceArn)}:${a}`,
            ),
            [p.sourceArn],
          ),
        ];
  const china = p.previewChinaParameterArns;
  const results = p.previewResultBucketArn;
  return doc([
    ...logStatements(p),
    ...source,
    // CodeBuild uploads the build's result (its artifact) with this role,
    // after checking the bucket's owner and Region.
    results === undefined
      ? undefined
      : allow("WritePreviewResult", ["s3:PutObject"], [`${results}/${PR_RESULT_FOLDER}*`]),
    results === undefined
      ? undefined
      : allow("CheckResultBucket", ["s3:GetBucketAcl", "s3:GetBucketLocation"], [results]),
    allow("ListState", ["s3:ListBucket"], [p.stateBucketArn]),
    allow("ReadState", ["s3:GetObject"], objects([p.stateBucketArn])),
    // The China app stacks' state holds the China deploy key (their provider's
    // secret inputs, decryptable with the state key): without China previews,
    // pull-request code may not read it.
    china.length > 0
      ? undefined
      : deny("NoChinaStackState", ["s3:GetObject"], [`${p.stateBucketArn}/${CHINA_STATE_OBJECTS}`]),
    allow("UseStateKey", ["kms:Decrypt", "kms:Encrypt"], [p.stateKeyArn]),
    readParameters("ReadChinaParameters", china),
    china.length > 0 ? decryptParameters(p) : undefined,
    ...appReadStatements(appScope(p)),
    ...buildCache(p.buildCacheArns?.preview),
  ]);
}

/**
 * Every state object of a China app stack (`<env>-china`) in a DIY backend,
 * and of the `china` stack itself should it be kept there too:
 * `.pulumi/stacks/silkroute/dev-china.json`, `…/china.json`, history, backups.
 */
export const CHINA_STATE_OBJECTS = ".pulumi/*china*";

/** EventBridge: start the pr-preview build, nothing else. */
export function eventsPolicy(
  p: Pick<
    PolicyInputs,
    "prPreviewProjectArn" | "pipelineName" | "partition" | "region" | "accountId"
  >,
): PolicyDocument {
  const pipeline = arn({
    partition: p.partition,
    service: "codepipeline",
    region: p.region,
    account: p.accountId,
    resource: p.pipelineName,
  });
  return doc([
    allow("StartPrPreview", ["codebuild:StartBuild"], [p.prPreviewProjectArn]),
    // The CodeCommit source does not poll: an EventBridge rule on pushes starts the pipeline.
    allow("StartPipeline", ["codepipeline:StartPipelineExecution"], [pipeline]),
  ]);
}
