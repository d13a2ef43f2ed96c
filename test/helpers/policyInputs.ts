import { codeBuildLogGroupPrefix } from "../../components/naming";
import type { PolicyInputs } from "../../components/policyDocuments";

const LOG_GROUPS = codeBuildLogGroupPrefix("silkroute");

/** Sample inputs of the pipeline's policy documents, and the statements they give. */
export const ACCOUNT = "123456789012";
export const P: PolicyInputs = {
  partition: "aws",
  region: "us-east-1",
  accountId: ACCOUNT,
  artifactBucketArns: ["arn:aws:s3:::art-use1", "arn:aws:s3:::art-euw1"],
  artifactKeyArns: [
    `arn:aws:kms:us-east-1:${ACCOUNT}:key/k1`,
    `arn:aws:kms:eu-west-1:${ACCOUNT}:key/k2`,
  ],
  stateBucketArn: "arn:aws:s3:::state",
  stateKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/state`,
  parameterKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/params`,
  sourceArn: `arn:aws:codecommit:us-east-1:${ACCOUNT}:silkroute-app`,
  sourceType: "codecommit",
  buildProjectArns: [
    `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/build`,
    `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/deploy-global`,
  ],
  prPreviewProjectArn: `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/pr-preview`,
  pipelineName: "silkroute",
  crossAccountRoleArns: ["arn:aws:iam::222222222222:role/CrossAccountStageRole"],
  chinaParameterArns: [
    `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/China/Dev/UserAccessKey`,
    `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/China/Dev/UserSecretKey`,
    `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/China/Dev/DeploymentS3Bucket`,
  ],
  previewChinaParameterArns: [],
  seedParameterArns: [`arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/US/Dev/CodeBuildImage`],
  logGroupPrefix: LOG_GROUPS,
  appPrefix: "silkroute-",
  appEnvironments: ["dev"],
  deployRegions: ["us-east-1", "eu-west-1"],
  appBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/silkroute-app-boundary`,
};
export const APP_SCOPE = {
  partition: "aws" as const,
  accountId: ACCOUNT,
  regions: ["us-east-1", "eu-west-1"],
  namePrefixes: ["silkroute-dev-"],
  artifactBucketArns: P.artifactBucketArns,
  boundaryArn: P.appBoundaryArn,
};
export const PIPELINE_ROLES = ["codebuild", "codepipeline", "deploy", "events", "preview"].map(
  (r) => `silkroute-${r}`,
);

export const LOGS = [
  {
    Sid: "CreateLogGroups",
    Effect: "Allow",
    Action: ["logs:CreateLogGroup"],
    Resource: [`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${LOG_GROUPS}*`],
  },
  {
    Sid: "WriteLogs",
    Effect: "Allow",
    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
    Resource: [`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${LOG_GROUPS}*:log-stream:*`],
  },
];
/** The deploy role's: its projects run in every deploy Region (P: us-east-1, eu-west-1). */
export const DEPLOY_LOGS = [
  {
    Sid: "CreateLogGroups",
    Effect: "Allow",
    Action: ["logs:CreateLogGroup"],
    Resource: [`arn:aws:logs:*:${ACCOUNT}:log-group:${LOG_GROUPS}*`],
    Condition: { StringEquals: { "aws:RequestedRegion": ["us-east-1", "eu-west-1"] } },
  },
  {
    Sid: "WriteLogs",
    Effect: "Allow",
    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
    Resource: [`arn:aws:logs:*:${ACCOUNT}:log-group:${LOG_GROUPS}*:log-stream:*`],
    Condition: { StringEquals: { "aws:RequestedRegion": ["us-east-1", "eu-west-1"] } },
  },
];
export const artifacts = (bucketActions: string[]) => [
  {
    Sid: "ArtifactObjects",
    Effect: "Allow",
    Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"],
    Resource: ["arn:aws:s3:::art-use1/*", "arn:aws:s3:::art-euw1/*"],
  },
  {
    Sid: "ArtifactBuckets",
    Effect: "Allow",
    Action: bucketActions,
    Resource: P.artifactBucketArns,
  },
  {
    Sid: "ArtifactKeys",
    Effect: "Allow",
    Action: ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"],
    Resource: P.artifactKeyArns,
  },
];
export const LIST_STATE = {
  Sid: "ListState",
  Effect: "Allow",
  Action: ["s3:ListBucket"],
  Resource: [P.stateBucketArn],
};
export const DECRYPT_CHINA_PARAMETERS = {
  Sid: "DecryptChinaParameters",
  Effect: "Allow",
  Action: ["kms:Decrypt"],
  Resource: [P.parameterKeyArn],
  Condition: { StringEquals: { "kms:ViaService": "ssm.us-east-1.amazonaws.com" } },
};
export const GITHUB = {
  sourceType: "github" as const,
  sourceArn: `arn:aws:codeconnections:us-east-1:${ACCOUNT}:connection/abc`,
};
