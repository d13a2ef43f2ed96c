import type * as aws from "./aws";
import type * as pulumi from "@pulumi/pulumi";
import { logRetentionProblem } from "./logRetention";
import { chinaKeyParameterNames, CHINA_TARGET, deployProjectName } from "./naming";
import { partitionOf } from "./partition";

/*
 * BuildProjects' arguments, names and validation, kept apart from the
 * component so the pipeline, the stacks and the tests can use them without
 * creating resources.
 */

/** Something per deploy project of one environment: one per global Region, one for China. */
export interface DeployProjects<T> {
  readonly global: Readonly<Record<string, T>>;
  /** Absent when the environment does not deploy to China. */
  readonly china?: T;
}

/** Something per project: build, each environment's deploy projects, pr-preview. */
export interface ProjectMap<T> {
  readonly build: T;
  /** Per environment: its own projects, run by its own deploy role. */
  readonly deploy: Readonly<Record<string, DeployProjects<T>>>;
  readonly prPreview: T;
}

/** What names an environment's deploy projects: its name, global Regions and China. */
export interface ProjectEnvironment {
  readonly name: string;
  readonly globalRegions: readonly string[];
  readonly china: boolean;
}

/** The projects of one environment (naming.ts deployProjectName). */
export function deployProjectNames(
  prefix: string,
  env: ProjectEnvironment,
): DeployProjects<string> {
  return {
    global: Object.fromEntries(
      env.globalRegions.map((r) => [r, deployProjectName(prefix, env.name, r)]),
    ),
    ...(env.china ? { china: deployProjectName(prefix, env.name, CHINA_TARGET) } : {}),
  };
}

/** The stable physical project names the pipeline refers to. */
export function projectNames(
  prefix: string,
  environments: readonly ProjectEnvironment[],
): ProjectMap<string> {
  return {
    build: `${prefix}-build`,
    deploy: Object.fromEntries(environments.map((e) => [e.name, deployProjectNames(prefix, e)])),
    prPreview: `${prefix}-pr-preview`,
  };
}

/** Every deploy project of one environment: its global Regions in order, then China. */
export function deployNames<T>(projects: DeployProjects<T>): T[] {
  return [
    ...Object.values(projects.global),
    ...(projects.china === undefined ? [] : [projects.china]),
  ];
}

/** Every value of a ProjectMap, build first. */
export function allNames<T>(map: ProjectMap<T>): T[] {
  return [map.build, ...Object.values(map.deploy).flatMap(deployNames), map.prPreview];
}

/** Where pr-preview checks the code out (it runs outside the pipeline). */
export type PreviewSource = {
  readonly cloneUrl: pulumi.Input<string>;
  /** CodeCommit repository name or GitHub `owner/repo` the preview is of. */
  readonly repository: pulumi.Input<string>;
} & (
  | { readonly type: "codecommit" }
  | {
      readonly type: "github";
      /** The CodeConnections connection CodeBuild authenticates with. */
      readonly connectionArn: pulumi.Input<string>;
    }
);

/** One environment's deploy projects. */
export interface DeployEnvironment extends ProjectEnvironment {
  /** China environments: the SSM names its China project reads. */
  readonly chinaParameterPrefix: string;
}

export interface BuildProjectsArgs {
  /** Prefix of every project name (`<prefix>-build`, …). */
  readonly prefix: string;
  /** Region of the pipeline: build, the China deploy projects and pr-preview run there. */
  readonly pipelineRegion: string;
  /** A provider per global deploy Region (the pipeline Region's too). */
  readonly regionProviders: Readonly<Record<string, aws.Provider>>;
  /**
   * The environments in pipeline order: each gets a deploy project per global
   * Region (with that Region's provider) and one for China, run by its own role.
   */
  readonly environments: readonly DeployEnvironment[];
  /** KMS key ARN of each Region's artifact store (the pipeline Region's too). */
  readonly artifactKeyArns: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * Artifact bucket name of each global deploy Region (that Region's
   * ArtifactStore); each deploy-global project gets its own Region's as
   * SILKROUTE_ARTIFACT_BUCKET, since Lambda reads code only from a bucket in
   * its Region. Each project also keeps its S3 build cache there, in its own
   * folder (naming.ts codeBuildCacheFolder), and pr-preview uploads its result
   * to the pipeline Region's, under PR_RESULT_FOLDER.
   * @default none: the driver falls back to the SSM parameter, which holds
   * the pipeline Region's bucket only (a deploy in another Region then fails
   * naming --artifact-bucket), and builds cache on their host only
   */
  readonly artifactBuckets?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Service role of build and pr-preview. */
  readonly codeBuildRoleArn: pulumi.Input<string>;
  /**
   * Service role of pr-preview, which runs pull-request code: a role apart
   * from the build role keeps it away from the pipeline's artifacts.
   * @default codeBuildRoleArn
   */
  readonly previewRoleArn?: pulumi.Input<string>;
  /** Service role of each environment's deploy projects, by environment. */
  readonly deployRoleArns: Readonly<Record<string, pulumi.Input<string>>>;
  /** CodeBuild image (config codeBuildImage). */
  readonly image: pulumi.Input<string>;
  /** Pulumi CLI version the buildspecs install (config pulumiVersion). */
  readonly pulumiVersion: string;
  /**
   * SHA-256 of that version's linux-x64 release archive (config
   * pulumiSha256): the buildspecs install nothing else, cached or downloaded.
   */
  readonly pulumiSha256: string;
  /** URL of the driver's Pulumi state backend (`s3://…`). */
  readonly backendUrl: pulumi.Input<string>;
  /** The driver's secrets provider (`awskms://…`). */
  readonly secretsProvider: pulumi.Input<string>;
  /** The environment pr-preview previews. */
  readonly previewEnvironment: string;
  /**
   * Preview the China target in pull requests too. The preview then runs
   * pull-request code with the China deploy key, so it is a choice, not a
   * default. @default false: pull requests preview the global targets
   */
  readonly previewChina?: boolean;
  /** The repository pr-preview checks out. */
  readonly previewSource: PreviewSource;
  /** Days CodeBuild logs are kept (a CloudWatch Logs retention value). @default 365 */
  readonly logRetentionDays?: number;
  /**
   * KMS key ARN per Region for the log groups; its key policy must allow the
   * Region's CloudWatch Logs principal (`regionalServicePrincipal("logs", region)`).
   * @default none: CloudWatch Logs' own encryption
   */
  readonly logKmsKeyArns?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Tags for every project and log group. @default none */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

const PROJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{1,254}$/;
const SSM_NAME = /^\/[\w.\-/]+$/;

/** Validates BuildProjects args; returns the problem or undefined. */
export function validateBuildProjectsArgs(args: BuildProjectsArgs): string | undefined {
  const regions = Object.keys(args.regionProviders);
  if (regions.length === 0) return "regionProviders must hold at least one deploy Region";
  for (const region of regions) {
    if (partitionOf(region) !== "aws") {
      return `regionProviders must hold global Regions only, got ${region} (China deploys through the China deploy projects)`;
    }
  }
  if (args.environments.length === 0) return "environments must list at least one environment";
  for (const env of args.environments) {
    const missing = env.globalRegions.find((r) => !regions.includes(r));
    if (missing !== undefined) {
      return `environment ${env.name} deploys to ${missing} but regionProviders has no provider there`;
    }
    if (args.deployRoleArns[env.name] === undefined) {
      return `deployRoleArns has no role for environment ${env.name}: every environment deploys as its own role`;
    }
  }
  for (const region of [args.pipelineRegion, ...regions]) {
    if (args.artifactKeyArns[region] === undefined) {
      return `artifactKeyArns has no key for ${region}: every deploy Region and the pipeline Region need their artifact store's key`;
    }
  }
  if (args.artifactBuckets !== undefined) {
    if (args.artifactBuckets[args.pipelineRegion] === undefined) {
      return `artifactBuckets has no bucket for the pipeline Region ${args.pipelineRegion}: the build and China deploy projects cache there and pr-preview uploads its result there`;
    }
    for (const region of regions) {
      if (args.artifactBuckets[region] === undefined) {
        return `artifactBuckets has no bucket for ${region}: every deploy Region needs its artifact store's bucket`;
      }
    }
  }
  for (const name of allNames(projectNames(args.prefix, args.environments))) {
    if (!PROJECT_NAME.test(name)) {
      return `prefix ${JSON.stringify(args.prefix)} gives an invalid CodeBuild project name ${name}`;
    }
  }
  if (!/^\d+\.\d+\.\d+$/.test(args.pulumiVersion)) {
    return `pulumiVersion must be a version such as 3.248.0, got ${JSON.stringify(args.pulumiVersion)}`;
  }
  if (!/^[0-9a-f]{64}$/.test(args.pulumiSha256)) {
    return `pulumiSha256 must be a SHA-256 in lower-case hex (64 characters), got ${JSON.stringify(args.pulumiSha256)}`;
  }
  const days = args.logRetentionDays;
  const retentionProblem = logRetentionProblem(days);
  if (retentionProblem) return retentionProblem;
  for (const env of args.environments.filter((e) => e.china)) {
    const names = chinaKeyParameterNames(env.chinaParameterPrefix);
    for (const value of [names.accessKey, names.secretKey, names.bucket]) {
      if (!SSM_NAME.test(value)) {
        return `chinaParameterPrefix of ${env.name} must give SSM parameter names such as /China/Dev/UserAccessKey, got ${JSON.stringify(value)}`;
      }
    }
  }
  return undefined;
}
