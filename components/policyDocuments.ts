import { appManageStatements, AppScope, appReadStatements } from "./appPolicyStatements";
import { deployProjectNames, projectNames } from "./buildProjectArgs";
import {
  appPrefixOf,
  appStackName,
  appStackNames,
  CHINA_TARGET,
  codeBuildLogGroup,
  pipelineArtifactFolder,
} from "./naming";
import { arn, endpointHost, Partition } from "./partition";
import { allow, doc, objects, PolicyDocument, Statement } from "./policyStatements";
import { stateReadStatements, stateRunStatements, StateScope } from "./statePolicyStatements";

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
   * pr-preview previews the preview environment's China target too, so it
   * reads that environment's China key and China app stack. @default false
   */
  readonly previewChina?: boolean;
  readonly seedParameterArns: string[];
  /** The app boundary policy (AppBoundary) every app role must carry. */
  readonly appBoundaryArn: string;
  /**
   * Secrets Manager secret (ARN or name) of the GitHub token pr-preview
   * comments with. @default none
   */
  readonly githubTokenSecretArn?: string;
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

/** A CodeBuild project's own log group, in its Region: exact names, never a prefix. */
interface ProjectLogs {
  readonly region: string;
  readonly project: string;
}

/** CodeBuild's own log groups of the given projects, and no other's. */
function logStatements(p: PolicyInputs, projects: readonly ProjectLogs[]): Statement[] {
  const group = (l: ProjectLogs, suffix: string) =>
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

const inPipelineRegion = (p: PolicyInputs, project: string): ProjectLogs[] => [
  { region: p.region, project },
];

/** Artifact statements over every store: CodePipeline and the build move any artifact. */
function artifactStatements(p: PolicyInputs, bucketActions: string[]): Statement[] {
  const buckets = Object.values(p.artifactBucketArns);
  return [
    allow(
      "ArtifactObjects",
      ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
      objects(buckets),
    ),
    allow("ArtifactBuckets", bucketActions, buckets),
    allow(
      "ArtifactKeys",
      ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"],
      Object.values(p.artifactKeyArns),
    ),
  ];
}

const readParameters = (Sid: string, arns: readonly string[]) =>
  allow(Sid, ["ssm:GetParameter", "ssm:GetParameters"], arns);

/**
 * kms:Decrypt of the China key parameters' key: only when SSM decrypts
 * (kms:ViaService), and only these parameters (the PARAMETER_ARN encryption
 * context SSM sends with every SecureString).
 */
const decryptParameters = (p: PolicyInputs, arns: readonly string[]): Statement | undefined =>
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

const stateScope = (p: PolicyInputs): StateScope => ({
  region: p.region,
  stateBucketArn: p.stateBucketArn,
  stateKeyArn: p.stateKeyArn,
});

/** The app stacks of one in-account environment, in its global Regions. */
const appScope = (p: PolicyInputs, env: DeployEnvironmentInputs): AppScope => ({
  partition: p.partition,
  accountId: p.accountId,
  regions: env.globalRegions,
  appPrefixes: [appPrefixOf(p.prefix, env.name)],
  artifactBucketArns: env.globalRegions.map((r) => p.artifactBucketArns[r]),
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
    ...logStatements(p, inPipelineRegion(p, projectNames(p.prefix, []).build)),
    ...artifactStatements(p, ["s3:GetBucketAcl", "s3:GetBucketLocation"]),
    readParameters("ReadSeedParameters", p.seedParameterArns),
  ]);
}

/**
 * One environment's deploy role, and nothing of another environment: the
 * logs of its own projects; the pipeline's artifacts (read) in the Regions it
 * deploys from; and either its
 * cross-account role or its app stacks in this account (function, role under
 * the app boundary, log group, code under its own `app/<prefix>-<env>/`).
 * Its state and secrets are in deploySecretsPolicy.
 */
export function deployPolicy(p: PolicyInputs, envName: string): PolicyDocument {
  const env = environmentInputs(p, envName);
  const own = deployProjectNames(p.prefix, env);
  const regions = [...new Set([...env.globalRegions, ...(env.china ? [p.region] : [])])];
  const buckets = regions.map((r) => p.artifactBucketArns[r]);
  const logs = [
    ...Object.entries(own.global).map(([region, project]) => ({ region, project })),
    ...(own.china === undefined ? [] : inPipelineRegion(p, own.china)),
  ];
  return doc([
    ...logStatements(p, logs),
    // What the deploy actions deploy: the pipeline's artifacts (BuildOutput), read only.
    allow(
      "ReadPipelineArtifacts",
      ["s3:GetObject", "s3:GetObjectVersion"],
      objects(buckets, pipelineArtifactFolder(p.pipelineName)),
    ),
    allow("ArtifactBuckets", ["s3:GetBucketAcl", "s3:GetBucketLocation"], buckets),
    allow(
      "ArtifactKeys",
      ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"],
      regions.map((r) => p.artifactKeyArns[r]),
    ),
    env.crossAccountRoleArn === undefined
      ? undefined
      : allow("AssumeOwnCrossAccountRole", ["sts:AssumeRole"], [env.crossAccountRoleArn]),
    ...(env.crossAccountRoleArn === undefined ? appManageStatements(appScope(p, env)) : []),
  ]);
}

/**
 * What one environment's deploy role reads that holds secrets: the seed's
 * parameters and its own China deploy key and bucket, by exact name,
 * decrypted through SSM only; and its own app stacks' state objects and
 * secrets. A managed policy of its own (6,144 characters) beside the inline
 * deploy policy, so the role's inline policies keep their 10,240 for the app
 * statements.
 */
export function deploySecretsPolicy(p: PolicyInputs, envName: string): PolicyDocument {
  const env = environmentInputs(p, envName);
  return doc([
    readParameters("ReadParameters", [...p.seedParameterArns, ...env.chinaParameterArns]),
    decryptParameters(p, env.chinaParameterArns),
    ...stateRunStatements(stateScope(p), appStackNames(env)),
  ]);
}

/**
 * pr-preview runs pull-request code, so this role can change nothing that
 * lasts and reach only the preview environment: its own log group; the
 * checkpoints and secrets of that environment's global app stacks (and its
 * China app stack with previewChina, never the `china` stack); that
 * environment's app stacks in this account, read only; and the pull request.
 * With a GitHub token secret, it reads that one secret (a secret encrypted
 * with a customer managed key also needs kms:Decrypt on that key, granted in
 * the key's policy).
 */
export function previewPolicy(p: PolicyInputs): PolicyDocument {
  const source =
    p.sourceType === "codecommit"
      ? [
          allow("PullSource", ["codecommit:GitPull"], [p.sourceArn]),
          allow(
            "CommentOnPullRequests",
            [
              "codecommit:GetCommentsForPullRequest",
              "codecommit:GetPullRequest",
              "codecommit:PostCommentForPullRequest",
              "codecommit:UpdateComment",
            ],
            [p.sourceArn],
          ),
        ]
      : [
          allow(
            "UseConnection",
            ["GetConnection", "GetConnectionToken"].map(
              (a) => `${connectionService(p.sourceArn)}:${a}`,
            ),
            [p.sourceArn],
          ),
        ];
  const env = environmentInputs(p, p.previewEnvironment);
  const china = p.previewChina === true && env.china;
  const stacks = [
    ...env.globalRegions.map((r) => appStackName(env.name, r)),
    ...(china ? [appStackName(env.name, CHINA_TARGET)] : []),
  ];
  const chinaParameters = china ? env.chinaParameterArns : [];
  const token = p.githubTokenSecretArn;
  return doc([
    ...logStatements(p, inPipelineRegion(p, projectNames(p.prefix, []).prPreview)),
    ...source,
    // The pr-preview project reads the token as a SECRETS_MANAGER variable.
    token === undefined
      ? undefined
      : allow("ReadGitHubToken", ["secretsmanager:GetSecretValue"], [secretResource(p, token)]),
    ...stateReadStatements(stateScope(p), stacks),
    readParameters("ReadChinaParameters", chinaParameters),
    decryptParameters(p, chinaParameters),
    ...(env.crossAccountRoleArn === undefined ? appReadStatements(appScope(p, env)) : []),
  ]);
}

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
