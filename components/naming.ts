/*
 * Every name that more than one file relies on: SSM parameters, policies,
 * roles, log groups, stacks and the app's physical names. The writer, the IAM
 * grant and the reader of a name all call the function here, so they cannot
 * drift apart. Pure functions only: no Pulumi, no AWS.
 */

/** `dev` → `Dev`, as the seed's SSM names spell environments (`/US/Dev/…`). */
function titleCase(name: string): string {
  return name
    .split("-")
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");
}

/** The name prefix every resource gets when the config sets none. */
export const DEFAULT_PREFIX = "silkroute";

// ---------------------------------------------------------------- SSM names

/** SSM parameter NAMES of one environment's China deploy key and bucket (never values). */
export interface ChinaKeyParameterNames {
  readonly accessKey: string;
  readonly secretKey: string;
  readonly bucket: string;
}

/** Prefix of an environment's China deploy-key parameters: the seed's `/China/Dev`. */
export function defaultChinaParameterPrefix(env: string): string {
  return `/China/${titleCase(env)}`;
}

/**
 * The parameters the china stack writes under an environment's prefix, the
 * deploy identity may read and the driver reads: `/China/Dev/UserAccessKey`,
 * `/China/Dev/UserSecretKey`, `/China/Dev/DeploymentS3Bucket` (the seed's).
 */
export function chinaKeyParameterNames(prefix: string): ChinaKeyParameterNames {
  const base = prefix.replace(/\/+$/, "");
  return {
    accessKey: `${base}/UserAccessKey`,
    secretKey: `${base}/UserSecretKey`,
    bucket: `${base}/DeploymentS3Bucket`,
  };
}

/** The seed's parameter holding a cross-account environment's role ARN. */
export function defaultCrossAccountParameter(env: string): string {
  return `/US/${titleCase(env)}/CrossAccountStageRole`;
}

// ---------------------------------------------------------------- IAM and KMS

/** The app boundary policy both stacks create and every app role carries. */
export function appBoundaryPolicyName(prefix: string): string {
  return `${prefix}-app-boundary`;
}

/** The global stack's KMS aliases (without `alias/`). */
export function keyAliases(prefix: string) {
  return {
    artifacts: `${prefix}-artifacts`,
    state: `${prefix}-pulumi-state`,
    parameters: `${prefix}-parameters`,
  } as const;
}

/** The key of the china stack's own secrets, which no pipeline role may use (without `alias/`). */
export function chinaSecretsKeyAlias(prefix: string): string {
  return `${prefix}-china-secrets`;
}

/**
 * The China deploy user, its group, the group's app policies (generated from
 * the app: `-app-1`, `-app-2`, …) and its artifact key alias, per environment.
 */
export function chinaDeployerNames(appPrefix: string) {
  return {
    user: `${appPrefix}-china-deployer`,
    group: `${appPrefix}-china-deployers`,
    appPolicy: (n: number) => `${appPrefix}-china-deploy-app-${n}`,
    keyAlias: `alias/${appPrefix}-china-artifacts`,
  } as const;
}

// ---------------------------------------------------------------- deploy identities

/**
 * The role every deploy action of one environment runs as:
 * `silkroute-deploy-dev`. At most 24 + 8 + 16 = 48 characters (the prefix
 * and environment limits of the config), within IAM's 64.
 */
export function deployRoleName(prefix: string, env: string): string {
  return `${prefix}-deploy-${env}`;
}

/**
 * The managed policy of what an environment's deploy role reads that holds
 * secrets: its China key parameters and its app stacks' state.
 */
export function deploySecretsPolicyName(prefix: string, env: string): string {
  return `${deployRoleName(prefix, env)}-secrets`;
}

/**
 * The managed policies of an environment's app stacks in the pipeline
 * account, generated from the app: `silkroute-deploy-dev-app-1`, `-app-2`, …
 */
export function deployAppPolicyName(prefix: string, env: string, n: number): string {
  return `${deployRoleName(prefix, env)}-app-${n}`;
}

/** The managed policies of what the preview role reads of the app stacks: `silkroute-preview-app-1`, … */
export function previewAppPolicyName(prefix: string, n: number): string {
  return `${prefix}-preview-app-${n}`;
}

/**
 * The CodeBuild project deploying one target of one environment:
 * `silkroute-deploy-dev-us-east-1`, `silkroute-deploy-dev-china`. A Region
 * never ends in `china` and never starts with another Region's tail, so two
 * (environment, target) pairs never give one name.
 */
export function deployProjectName(prefix: string, env: string, target: string): string {
  return `${deployRoleName(prefix, env)}-${target}`;
}

// ---------------------------------------------------------------- CodeBuild

/** Folder of every CodeBuild log group: `/silkroute/codebuild/<project name>`. */
export const LOG_GROUP_ROOT = "/silkroute/codebuild/";

/** The log group of a CodeBuild project. */
export function codeBuildLogGroup(projectName: string): string {
  return `${LOG_GROUP_ROOT}${projectName}`;
}

// ---------------------------------------------------------------- artifact buckets

/**
 * The folder CodePipeline keeps a pipeline's artifacts in, in each artifact
 * bucket: the first 20 characters of the pipeline's name.
 */
export function pipelineArtifactFolder(pipelineName: string): string {
  return `${pipelineName.slice(0, 20)}/`;
}

/** The folder of the CodeBuild projects' S3 caches in each artifact bucket. */
export const BUILD_CACHE_FOLDER = "codebuild-cache/";

/**
 * A CodeBuild project's own cache folder, `codebuild-cache/<project>/`: the
 * project's cache location (after `<bucket>/`) and the only objects its role
 * may write there, so a project that runs pull-request code cannot poison
 * another project's cache.
 */
export function codeBuildCacheFolder(projectName: string): string {
  return `${BUILD_CACHE_FOLDER}${projectName}/`;
}

// ---------------------------------------------------------------- app stacks

/**
 * The name prefix of an environment's app resources, `silkroute-dev`: the
 * scope the deploy identities may manage, the driver's and the plan's app
 * stacks, and the china stack's deployer names.
 */
export function appPrefixOf(prefix: string, env: string): string {
  return `${prefix}-${env}`;
}

/**
 * The longest app prefix the app's resources take (the China deployer's
 * names and bucket): `<prefix>-<env>` must fit, so the config refuses a prefix
 * and an environment name that together are longer.
 */
export const MAX_APP_PREFIX_LENGTH = 40;

/** The target name of an environment's China app stack and deploy project. */
export const CHINA_TARGET = "china";

/** The Pulumi stack of one app target: `dev-us-east-1`, `dev-china`. */
export function appStackName(env: string, target: string): string {
  return `${env}-${target}`;
}

/** Every app stack of an environment: its global Regions in order, then China. */
export function appStackNames(env: {
  readonly name: string;
  readonly globalRegions: readonly string[];
  readonly china: boolean;
}): string[] {
  return [
    ...env.globalRegions.map((r) => appStackName(env.name, r)),
    ...(env.china ? [appStackName(env.name, CHINA_TARGET)] : []),
  ];
}

/** The app's function: `<appPrefix>-fn`. */
export function appFunctionName(appPrefix: string): string {
  return `${appPrefix}-fn`;
}

/**
 * The function's role: `<appPrefix>-<target>-fn`. IAM is global, so the app
 * stacks of one environment in several Regions of an account need one role each.
 */
export function appRoleName(appPrefix: string, target: string): string {
  return `${appPrefix}-${target}-fn`;
}

/** The folder of every environment's code zips in each artifact bucket. */
export const APP_CODE_ROOT = "app/";

/** Key of a version's code zip in the artifact bucket: `app/<appPrefix>/<version>.zip`. */
export function appCodeKey(appPrefix: string, version: string): string {
  return `${appCodeFolder(appPrefix)}${version}.zip`;
}

/** The folder of an environment's code zips: `app/<appPrefix>/`. */
export function appCodeFolder(appPrefix: string): string {
  return `${APP_CODE_ROOT}${appPrefix}/`;
}

// ---------------------------------------------------------------- PR previews

/**
 * Folder of the pipeline Region's artifact bucket where every pr-preview
 * build leaves its result, in a folder of its own build id. The project
 * uploads there, the preview role may write only there, the comment poster
 * reads only there and a lifecycle rule expires it.
 */
export const PR_RESULT_FOLDER = "pr-preview-results/";

/** The result file the pr-preview buildspec writes and the poster reads out of the archive. */
export const PR_RESULT_FILE = "preview-result.json";

/**
 * The zip archive CodeBuild packs the result file into and uploads,
 * `pr-preview-results/<build id>/preview-result.zip`: packed, the build's
 * event carries the archive's SHA-256, which the poster checks before it
 * trusts the object (any pr-preview build may write under the folder).
 */
export const PR_RESULT_ARCHIVE = "preview-result.zip";

/**
 * The PR comment poster's function, role and log group base name:
 * `<prefix>-commenter`. One word after the prefix, so no app name prefix
 * (`<prefix>-<env>-`) can ever match it and the deploy identities that manage
 * app roles never reach the role that reads the GitHub token.
 */
export function prCommenterName(prefix: string): string {
  return `${prefix}-commenter`;
}

// ---------------------------------------------------------------- artifact bucket folders

/**
 * The folders silkroute keeps in the artifact buckets beside the pipeline's
 * own: the app's code zips, the build caches, the PR results. Each has its
 * own grants and expiry. (The access logs go to log buckets of their own.)
 */
export const ARTIFACT_BUCKET_FOLDERS: readonly {
  readonly folder: string;
  readonly holds: string;
}[] = [
  { folder: APP_CODE_ROOT, holds: "the app's code zips" },
  { folder: BUILD_CACHE_FOLDER, holds: "the CodeBuild projects' caches" },
  { folder: PR_RESULT_FOLDER, holds: "the pull requests' preview results" },
];

/**
 * The folder of ARTIFACT_BUCKET_FOLDERS that a pipeline's artifact folder
 * (the first 20 characters of its name) would be, or undefined. A pipeline
 * named `app` would keep its artifacts in `app/`: the build role could write
 * code zips that prod deploys, and the artifacts' expiry would expire them.
 */
export function reservedArtifactFolder(
  pipelineName: string,
): (typeof ARTIFACT_BUCKET_FOLDERS)[number] | undefined {
  return ARTIFACT_BUCKET_FOLDERS.find((f) => f.folder === pipelineArtifactFolder(pipelineName));
}

// ---------------------------------------------------------------- Pulumi state

/** The Pulumi project of the app stacks (and of this repository's global and china stacks). */
export const PULUMI_PROJECT = "silkroute";
/** The organization a DIY (`s3://`, `file://`) backend names every stack with. */
export const DIY_ORGANIZATION = "organization";
/**
 * The backend's metadata (state layout version), read by every CLI that opens
 * the backend; written once, when the bucket is empty.
 */
export const PULUMI_META_KEY = ".pulumi/meta.yaml";

/**
 * One stack's objects in a DIY backend (project layout, as pkg/backend/diy
 * of Pulumi 3.248 writes them), as two IAM resource patterns:
 * - its checkpoint `.pulumi/stacks/<project>/<stack>.json`, with the
 *   compressed (`.json.gz`, `.json.zst`) and backup (`.json.bak`) variants
 *   and the tags file (`.pulumi-tags`): `…/<stack>.*`;
 * - its folders `.pulumi/history/<project>/<stack>/`,
 *   `.pulumi/backups/<project>/<stack>/` and
 *   `.pulumi/locks/organization/<project>/<stack>/`: one pattern whose `*`
 *   after `.pulumi/` spans the folder (and the organization).
 * Exact names, never `dev-*` (which would also match an environment called
 * `dev-eu`); the stack names silkroute makes (`<env>-<target>`, `china`)
 * have no dot, so `<stack>.*` is this stack's files only.
 */
export function stackStatePatterns(project: string, stack: string): [string, string] {
  return [stackCheckpointPattern(project, stack), `.pulumi/*/${project}/${stack}/*`];
}

/** The checkpoint files of one stack (what a preview reads): `.pulumi/stacks/<project>/<stack>.*`. */
export function stackCheckpointPattern(project: string, stack: string): string {
  return `.pulumi/stacks/${project}/${stack}.*`;
}

/**
 * The encryption context key the driver's `awskms://` secrets provider sends
 * with each app stack's data key (`?context_silkroute-stack=<stack>`), and
 * the IAM conditions check as `kms:EncryptionContext:silkroute-stack`.
 */
export const SECRETS_CONTEXT_KEY = "silkroute-stack";

// ---------------------------------------------------------------- access logs

/**
 * The tag that marks an S3 server access log bucket (AccessLogBucket). The
 * policy rules hold a bucket with it, when other buckets log into it, to a log
 * bucket's rules instead of a data bucket's.
 */
export const ACCESS_LOG_BUCKET_TAG = { key: "silkroute:purpose", value: "access-logs" } as const;

/**
 * The folders of the global account's buckets' server access logs, in the log
 * bucket of their Region: each bucket's logging writes there, the log bucket's
 * policy lets only that bucket write there, and docs/audit.md points there.
 */
export const ACCESS_LOG_FOLDERS = { state: "state/", artifacts: "artifacts/" } as const;

/**
 * The folder of a China environment's artifact bucket's server access logs, in
 * the log bucket of its China account: `artifacts-dev/`. Environments of one
 * account share that bucket.
 */
export function chinaAccessLogFolder(env: string): string {
  return `artifacts-${env}/`;
}

// ---------------------------------------------------------------- day-2 operations

/**
 * The IAM path of every day-2 role (`role/silkroute-operations/<name>`): an
 * environment's deploy identity manages the roles `role/<prefix>-<env>-*`,
 * which no role under a path can fall under, whatever the environments are
 * called.
 */
export function operationsRolePath(prefix: string): string {
  return `/${prefix}-operations/`;
}

/** One environment's scheduled checks (`silkroute drift`, `status`, `keys`): its role, read only. */
export function checksRoleName(prefix: string, env: string): string {
  return `${prefix}-checks-${env}`;
}

/** The CodeBuild project of one environment's scheduled checks. */
export function checksProjectName(prefix: string, env: string): string {
  return `${prefix}-checks-${env}`;
}

/** The role of the scheduled key rotation: the one pipeline identity that reads the bootstrap keys. */
export function rotationRoleName(prefix: string): string {
  return `${prefix}-rotation`;
}

/** The CodeBuild project of the scheduled key rotation. */
export function rotationProjectName(prefix: string): string {
  return `${prefix}-rotation`;
}

/** The role EventBridge Scheduler starts one project with: `silkroute-rotationschedule`. */
export function scheduleRoleName(projectName: string): string {
  return `${projectName}schedule`;
}

/** The SNS topic of failed runs, drift and old keys, and its KMS alias (without `alias/`). */
export function notificationsName(prefix: string): string {
  return `${prefix}-notifications`;
}

/**
 * The China account's bootstrap key in SSM: `<chinaParameterPrefix>/Bootstrap/AccessKeyId`
 * and `/SecretAccessKey` (docs/china.md). The scheduled rotation reads these names.
 */
export function chinaBootstrapParameterNames(chinaParameterPrefix: string) {
  return {
    accessKeyId: `${chinaParameterPrefix}/Bootstrap/AccessKeyId`,
    secretAccessKey: `${chinaParameterPrefix}/Bootstrap/SecretAccessKey`,
  } as const;
}
