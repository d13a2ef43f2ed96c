import type * as aws from "./aws";
import type * as pulumi from "@pulumi/pulumi";
import { logRetentionProblem } from "./logRetention";
import { ChinaKeyParameterNames, chinaKeyParameterNames } from "./naming";
import { partitionOf } from "./partition";

/*
 * BuildProjects' arguments, names and validation, kept apart from the
 * component so the pipeline, the stacks and the tests can use them without
 * creating resources.
 */

/** SSM parameter NAMES of one environment's China deploy key and bucket (never values). */
export interface ChinaParameterNames extends ChinaKeyParameterNames {
  readonly env: string;
}

/** An environment's China key parameters (naming.ts), labelled with the environment. */
export function chinaParameterNames(env: {
  readonly name: string;
  readonly chinaParameterPrefix: string;
}): ChinaParameterNames {
  return { env: env.name, ...chinaKeyParameterNames(env.chinaParameterPrefix) };
}

/** Something per project: build, one deploy-global per Region, deploy-china, pr-preview. */
export interface ProjectMap<T> {
  readonly build: T;
  readonly deployGlobal: Readonly<Record<string, T>>;
  /** Absent when no environment deploys to China. */
  readonly deployChina?: T;
  readonly prPreview: T;
}

/** The stable physical project names the pipeline refers to. */
export function projectNames(
  prefix: string,
  regions: readonly string[],
  china = true,
): ProjectMap<string> {
  return {
    build: `${prefix}-build`,
    deployGlobal: Object.fromEntries(regions.map((r) => [r, `${prefix}-deploy-global-${r}`])),
    ...(china ? { deployChina: `${prefix}-deploy-china` } : {}),
    prPreview: `${prefix}-pr-preview`,
  };
}

/** Every value of a ProjectMap, build first. */
export function allNames<T>(map: ProjectMap<T>): T[] {
  return [
    map.build,
    ...Object.values(map.deployGlobal),
    ...(map.deployChina === undefined ? [] : [map.deployChina]),
    map.prPreview,
  ];
}

/** Where pr-preview checks the code out (it runs outside the pipeline). */
export type PreviewSource = {
  readonly cloneUrl: pulumi.Input<string>;
  /** CodeCommit repository name or GitHub `owner/repo` the preview comments on. */
  readonly repository: pulumi.Input<string>;
} & (
  | { readonly type: "codecommit" }
  | {
      readonly type: "github";
      /** The CodeConnections connection CodeBuild authenticates with. */
      readonly connectionArn: pulumi.Input<string>;
      /**
       * Secrets Manager secret (ARN) holding a GitHub token allowed to write
       * pull-request comments; CodeBuild resolves it into GITHUB_TOKEN at
       * build start, so the value is never in state or in the project.
       * @default none: the preview runs, posting the comment fails naming GITHUB_TOKEN
       */
      readonly tokenSecretArn?: pulumi.Input<string>;
    }
);

export interface BuildProjectsArgs {
  /** Prefix of every project name (`<prefix>-build`, …). */
  readonly prefix: string;
  /** Region of the pipeline: build, deploy-china and pr-preview run there. */
  readonly pipelineRegion: string;
  /** A provider per global deploy Region (each gets a deploy-global project). */
  readonly regionProviders: Readonly<Record<string, aws.Provider>>;
  /** KMS key ARN of each Region's artifact store (the pipeline Region's too). */
  readonly artifactKeyArns: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * Artifact bucket name of each global deploy Region (that Region's
   * ArtifactStore); each deploy-global project gets its own Region's as
   * SILKROUTE_ARTIFACT_BUCKET, since Lambda reads code only from a bucket in
   * its Region.
   * @default none: the driver falls back to the SSM parameter, which holds
   * the pipeline Region's bucket only (a deploy in another Region then fails
   * naming --artifact-bucket)
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
  /** Service role of the deploy projects. */
  readonly deployRoleArn: pulumi.Input<string>;
  /** CodeBuild image (config codeBuildImage). */
  readonly image: pulumi.Input<string>;
  /** Pulumi CLI version the buildspecs install (config pulumiVersion). */
  readonly pulumiVersion: string;
  /** URL of the driver's Pulumi state backend (`s3://…`). */
  readonly backendUrl: pulumi.Input<string>;
  /** The driver's secrets provider (`awskms://…`). */
  readonly secretsProvider: pulumi.Input<string>;
  /**
   * SSM names per China environment, in pipeline order; the first are the
   * deploy-china project's defaults (each pipeline action overrides them).
   * @default none: no deploy-china project
   */
  readonly chinaParameterNames?: readonly ChinaParameterNames[];
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
      return `regionProviders must hold global Regions only, got ${region} (China deploys through deploy-china)`;
    }
  }
  for (const region of [args.pipelineRegion, ...regions]) {
    if (args.artifactKeyArns[region] === undefined) {
      return `artifactKeyArns has no key for ${region}: every deploy Region and the pipeline Region need their artifact store's key`;
    }
  }
  if (args.artifactBuckets !== undefined) {
    for (const region of regions) {
      if (args.artifactBuckets[region] === undefined) {
        return `artifactBuckets has no bucket for ${region}: every deploy Region needs its artifact store's bucket`;
      }
    }
  }
  for (const name of allNames(projectNames(args.prefix, regions))) {
    if (!PROJECT_NAME.test(name)) {
      return `prefix ${JSON.stringify(args.prefix)} gives an invalid CodeBuild project name ${name}`;
    }
  }
  if (!/^\d+\.\d+\.\d+$/.test(args.pulumiVersion)) {
    return `pulumiVersion must be a version such as 3.248.0, got ${JSON.stringify(args.pulumiVersion)}`;
  }
  const days = args.logRetentionDays;
  const retentionProblem = logRetentionProblem(days);
  if (retentionProblem) return retentionProblem;
  for (const names of args.chinaParameterNames ?? []) {
    for (const value of [names.accessKey, names.secretKey, names.bucket]) {
      if (!SSM_NAME.test(value)) {
        return `chinaParameterNames of ${names.env} must be SSM parameter names such as /China/Dev/UserAccessKey, got ${JSON.stringify(value)}`;
      }
    }
  }
  return undefined;
}
