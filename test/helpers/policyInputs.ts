import { keyPolicy } from "../../components/encryptionKey";
import { codeBuildLogGroup } from "../../components/naming";
import type { DeployEnvironmentInputs, PolicyInputs } from "../../components/iam/policyDocuments";
import { crossAccountBucketStatements } from "../../components/artifactStore";
import { chinaStackDenyStatement } from "../../components/stateBackend";
import type { ProbeScope } from "../../automation/policies/probeTypes";

/** Sample inputs of the pipeline's policy documents, and the statements they give. */
export const ACCOUNT = "123456789012";
const parameters = (env: string) =>
  ["UserAccessKey", "UserSecretKey", "DeploymentS3Bucket"].map(
    (n) => `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/China/${env}/${n}`,
  );
/**
 * dev and dev-eu share a name prefix (`dev-*` would match both), prod deploys
 * into another account: the cases exact names must get right.
 */
export const ENVIRONMENTS: DeployEnvironmentInputs[] = [
  {
    name: "dev",
    globalRegions: ["us-east-1", "eu-west-1"],
    china: true,
    chinaParameterArns: parameters("Dev"),
  },
  {
    name: "dev-eu",
    globalRegions: ["eu-west-1"],
    china: true,
    chinaParameterArns: parameters("DevEu"),
  },
  {
    name: "prod",
    globalRegions: ["us-east-1"],
    china: true,
    chinaParameterArns: parameters("Prod"),
    crossAccountRoleArn: "arn:aws:iam::333333333333:role/silkroute-cross-account-deploy",
    crossAccountParameterArn: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/US/Prod/CrossAccountStageRole`,
  },
];
export const P: PolicyInputs = {
  partition: "aws",
  region: "us-east-1",
  accountId: ACCOUNT,
  prefix: "silkroute",
  artifactBucketArns: {
    "us-east-1": "arn:aws:s3:::art-use1",
    "eu-west-1": "arn:aws:s3:::art-euw1",
  },
  artifactKeyArns: {
    "us-east-1": `arn:aws:kms:us-east-1:${ACCOUNT}:key/k1`,
    "eu-west-1": `arn:aws:kms:eu-west-1:${ACCOUNT}:key/k2`,
  },
  stateBucketArn: "arn:aws:s3:::state",
  stateKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/state`,
  parameterKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/params`,
  sourceArn: `arn:aws:codecommit:us-east-1:${ACCOUNT}:silkroute-app`,
  sourceType: "codecommit",
  buildProjectArns: [
    `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/build`,
    `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/silkroute-deploy-dev-us-east-1`,
  ],
  prPreviewProjectArn: `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/pr-preview`,
  pipelineName: "silkroute",
  environments: ENVIRONMENTS,
  previewEnvironment: "dev",
  previewChina: false,
  seedParameterArns: [`arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/US/Dev/CodeBuildImage`],
  appBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/silkroute-app-boundary`,
};
export const APP_SCOPE = {
  partition: "aws" as const,
  accountId: ACCOUNT,
  regions: ["us-east-1", "eu-west-1"],
  appPrefixes: ["silkroute-dev"],
  artifactBucketArns: Object.values(P.artifactBucketArns),
  boundaryArn: P.appBoundaryArn,
};
export const PIPELINE_ROLES = [
  "codebuild",
  "codepipeline",
  "deploy-dev",
  "deploy-dev-eu",
  "deploy-prod",
  "events",
  "preview",
].map((r) => `silkroute-${r}`);
export const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

/** The build project's own log group, and only it. */
export const LOGS = [
  {
    Sid: "CreateLogGroups",
    Effect: "Allow",
    Action: ["logs:CreateLogGroup"],
    Resource: [
      `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${codeBuildLogGroup("silkroute-build")}`,
    ],
  },
  {
    Sid: "WriteLogs",
    Effect: "Allow",
    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
    Resource: [
      `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${codeBuildLogGroup("silkroute-build")}:log-stream:*`,
    ],
  },
];
export const artifacts = (bucketActions: string[], write: boolean) => [
  {
    Sid: "ArtifactObjects",
    Effect: "Allow",
    Action: ["s3:GetObject", "s3:GetObjectVersion", ...(write ? ["s3:PutObject"] : [])],
    Resource: ["arn:aws:s3:::art-use1/silkroute/*", "arn:aws:s3:::art-euw1/silkroute/*"],
  },
  {
    Sid: "ArtifactBuckets",
    Effect: "Allow",
    Action: bucketActions,
    Resource: Object.values(P.artifactBucketArns),
  },
  {
    Sid: "ArtifactKeys",
    Effect: "Allow",
    Action: ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"],
    Resource: Object.values(P.artifactKeyArns),
  },
];
export const GITHUB = {
  sourceType: "github" as const,
  sourceArn: `arn:aws:codeconnections:us-east-1:${ACCOUNT}:connection/abc`,
};

/**
 * The resource policies the global stack writes for P: the state bucket's
 * china-stack Deny, the keys usable through IAM, prod's cross-account role
 * granted its folder in the us-east-1 artifact bucket.
 */
export function probeScope(p: PolicyInputs = P, pipelineRoles = PIPELINE_ROLES): ProbeScope {
  const iamOnlyKey = keyPolicy(p.partition, p.accountId, [], true);
  const writers = p.environments
    .filter((e) => e.crossAccountRoleArn !== undefined)
    .map((e) => ({ roleArn: e.crossAccountRoleArn!, keyPrefix: `app/silkroute-${e.name}/` }));
  const bucketPolicy = (statements: object[]) => ({ Version: "2012-10-17", Statement: statements });
  return {
    partition: p.partition,
    accountId: p.accountId,
    region: p.region,
    prefix: p.prefix,
    environments: p.environments,
    stateBucketArn: p.stateBucketArn,
    stateKeyArn: p.stateKeyArn,
    parameterKeyArn: p.parameterKeyArn,
    artifactBucketArns: p.artifactBucketArns,
    resourcePolicies: {
      [p.stateKeyArn]: iamOnlyKey,
      [p.parameterKeyArn]: iamOnlyKey,
      [p.stateBucketArn]: bucketPolicy([
        chinaStackDenyStatement(p.stateBucketArn, pipelineRoles.map(roleArn)),
      ]),
      ...Object.fromEntries(
        Object.values(p.artifactBucketArns).map((b) => [
          b,
          bucketPolicy(b.endsWith("use1") ? crossAccountBucketStatements(b, writers) : []),
        ]),
      ),
    },
  };
}
