import { entryOf } from "../lookup";
import { appManageStatements, appReadStatements } from "./appPolicyStatements";
import { deployProjectNames, projectNames } from "../buildProjectArgs";
import { appStackName, appStackNames, pipelineArtifactFolder, PR_RESULT_FOLDER } from "../naming";
import { arn } from "../partition";
import {
  appScope,
  artifactStatements,
  buildCacheStatements,
  connectionService,
  decryptParameters,
  environmentInputs,
  inPipelineRegion,
  logStatements,
  PolicyInputs,
  pullSourceStatements,
  readParameters,
  stateScope,
} from "./policyInputs";
import { allow, doc, objects, PolicyDocument, Statement } from "./policyStatements";
import {
  noChinaAppStackStatements,
  stateReadStatements,
  stateRunStatements,
} from "./statePolicyStatements";

export {
  connectionService,
  environmentInputs,
  secretResource,
  type DeployEnvironmentInputs,
  type PolicyInputs,
  type SourceType,
} from "./policyInputs";

/** What CodePipeline's CodeCommit source action does with the repository. */
export const CODECOMMIT_SOURCE_ACTIONS = [
  "codecommit:CancelUploadArchive",
  "codecommit:GetBranch",
  "codecommit:GetCommit",
  "codecommit:GetRepository",
  "codecommit:GetUploadArchiveStatus",
  "codecommit:UploadArchive",
];

/** CodePipeline: start and watch the pipeline's builds, move artifacts, read the source. */
export function codePipelinePolicy(p: PolicyInputs): PolicyDocument {
  const source =
    p.sourceType === "codecommit"
      ? allow("ReadSource", CODECOMMIT_SOURCE_ACTIONS, [p.sourceArn])
      : allow("UseConnection", [`${connectionService(p.sourceArn)}:UseConnection`], [p.sourceArn]);
  return doc([
    allow("RunBuilds", ["codebuild:BatchGetBuilds", "codebuild:StartBuild"], p.buildProjectArns),
    ...artifactStatements(p, ["s3:GetBucketLocation", "s3:GetBucketVersioning"], { write: true }),
    source,
  ]);
}

/**
 * The build project: logs, artifacts, seed parameters. Its source comes from
 * the pipeline as a zip, so it reads no repository and comments on nothing.
 */
export function codeBuildPolicy(p: PolicyInputs): PolicyDocument {
  const own = inPipelineRegion(p, projectNames(p.prefix, []).build);
  return doc([
    ...logStatements(p, own),
    ...artifactStatements(p, ["s3:GetBucketAcl", "s3:GetBucketLocation"], { write: false }),
    readParameters("ReadSeedParameters", p.seedParameterArns),
    ...buildCacheStatements(p, own),
  ]);
}

/**
 * One environment's deploy role, and nothing of another environment: the
 * logs of its own projects; the pipeline's artifacts (read) in the Regions it
 * deploys from; and its cross-account role, if it has one. Its state and
 * secrets are in deployRoleSecretsPolicy, its app stacks in this account in
 * deployRoleAppStatements.
 */
export function deployRolePolicy(p: PolicyInputs, envName: string): PolicyDocument {
  const env = environmentInputs(p, envName);
  const own = deployProjectNames(p.prefix, env);
  const regions = [...new Set([...env.globalRegions, ...(env.china ? [p.region] : [])])];
  const buckets = regions.map((r) =>
    entryOf(p.artifactBucketArns, r, "the artifact bucket of Region"),
  );
  const logs = [
    ...Object.entries(own.global).map(([region, project]) => ({ region, project })),
    ...(own.china === undefined ? [] : inPipelineRegion(p, own.china)),
  ];
  return doc([
    ...logStatements(p, logs),
    // What the deploy actions deploy: their execution's source artifact, read only.
    allow(
      "ReadPipelineArtifacts",
      ["s3:GetObject", "s3:GetObjectVersion"],
      objects(buckets, pipelineArtifactFolder(p.pipelineName)),
    ),
    allow("ArtifactBuckets", ["s3:GetBucketAcl", "s3:GetBucketLocation"], buckets),
    allow(
      "ArtifactKeys",
      ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"],
      regions.map((r) => entryOf(p.artifactKeyArns, r, "the artifact key of Region")),
    ),
    env.crossAccountRoleArn === undefined
      ? undefined
      : allow("AssumeOwnCrossAccountRole", ["sts:AssumeRole"], [env.crossAccountRoleArn]),
    ...buildCacheStatements(p, logs),
  ]);
}

/**
 * What one environment's deploy role may do to its app stacks in this
 * account (appPolicyStatements.ts: every kind the app manages, its roles
 * under the app boundary, its code under `app/<prefix>-<env>/`), generated
 * from the app; none for an environment that deploys through its
 * cross-account role. Managed policies of their own (PipelinePolicies), as
 * many as the app's kinds need.
 */
export function deployRoleAppStatements(p: PolicyInputs, envName: string): Statement[] {
  const env = environmentInputs(p, envName);
  return env.crossAccountRoleArn === undefined ? appManageStatements(appScope(p, env)) : [];
}

/**
 * What one environment's deploy role reads that holds secrets: the seed's
 * parameters, its own cross-account role parameter, and its own China deploy
 * key and bucket, by exact name,
 * decrypted through SSM only; and its own app stacks' state objects and
 * secrets. A managed policy of its own (6,144 characters) beside the inline
 * deploy policy, so the role's inline policies keep their 10,240 for the app
 * statements.
 */
export function deployRoleSecretsPolicy(p: PolicyInputs, envName: string): PolicyDocument {
  const env = environmentInputs(p, envName);
  return doc([
    readParameters("ReadParameters", [
      ...p.seedParameterArns,
      ...(env.crossAccountParameterArn === undefined ? [] : [env.crossAccountParameterArn]),
      ...env.chinaParameterArns,
    ]),
    decryptParameters(p, env.chinaParameterArns),
    ...stateRunStatements(stateScope(p), appStackNames(env)),
  ]);
}

/**
 * pr-preview runs pull-request code, so this role can change nothing that
 * lasts, holds no token and reaches only the preview environment: its own
 * log group (it keeps no build cache: see BuildProjects); the checkpoints and
 * secrets of that environment's global app stacks, and explicitly never a
 * China app stack's nor the `china` stack's (with previewChina it reads that
 * environment's China deploy key and previews China from an empty stack);
 * that environment's app stacks in
 * this account, read only; the pull request's source; and the results folder,
 * where it leaves the previews as data for the PR comment poster, a separate
 * identity (components/prCommenter.ts). Every pr-preview build shares that
 * folder (IAM cannot tell builds apart), so the poster trusts only the
 * archive whose SHA-256 CodeBuild reported for the build. No secret, no
 * comment action.
 */
export function previewPolicy(p: PolicyInputs): PolicyDocument {
  // The pr-code-holds-no-secret rule allows the connection nothing else.
  const source = pullSourceStatements(p);
  const env = environmentInputs(p, p.previewEnvironment);
  // With previewChina the China target is previewed against an empty throwaway
  // stack (`preview --fresh-china`): the role gets the China deploy key, the
  // documented opt-in, and never a China app stack's state or secrets.
  const chinaParameters = p.previewChina === true && env.china ? env.chinaParameterArns : [];
  const stacks = env.globalRegions.map((r) => appStackName(env.name, r));
  const results = p.previewResultBucketArn;
  const own = inPipelineRegion(p, projectNames(p.prefix, []).prPreview);
  return doc([
    ...logStatements(p, own),
    ...source,
    // CodeBuild uploads the build's result (its artifact) with this role,
    // after checking the bucket's owner and Region.
    results === undefined
      ? undefined
      : allow("WritePreviewResult", ["s3:PutObject"], [`${results}/${PR_RESULT_FOLDER}*`]),
    results === undefined
      ? undefined
      : allow("CheckResultBucket", ["s3:GetBucketAcl", "s3:GetBucketLocation"], [results]),
    ...stateReadStatements(stateScope(p), stacks),
    ...noChinaAppStackStatements(stateScope(p)),
    readParameters("ReadChinaParameters", chinaParameters),
    decryptParameters(p, chinaParameters),
  ]);
}

/**
 * What the preview role reads of the preview environment's app stacks in
 * this account (appReadStatements, generated from the app): managed
 * policies of their own (PipelinePolicies), as many as the app's kinds fill;
 * none when the environment deploys through its cross-account role.
 */
export function previewAppStatements(p: PolicyInputs): Statement[] {
  const env = environmentInputs(p, p.previewEnvironment);
  return env.crossAccountRoleArn === undefined ? appReadStatements(appScope(p, env)) : [];
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
