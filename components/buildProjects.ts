import { entryOf, mapValues } from "./lookup";
import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { BuildspecKind, readBuildspec } from "./buildspecs";
import {
  BuildProjectsArgs,
  DeployProjects,
  ProjectMap,
  projectNames,
  validateBuildProjectsArgs,
} from "./buildProjectArgs";
import {
  chinaKeyParameterNames,
  codeBuildCacheFolder,
  codeBuildLogGroup,
  PR_RESULT_ARCHIVE,
  PR_RESULT_FOLDER,
} from "./naming";

export * from "./buildProjectArgs";

type EnvVar = { name: string; value: pulumi.Input<string>; type: "PLAINTEXT" };
const plain = (name: string, value: pulumi.Input<string>): EnvVar => ({
  name,
  value,
  type: "PLAINTEXT",
});

/** `<region>=<bucket>,…` in Region order, the list form the driver reads. */
function bucketList(
  regions: readonly string[],
  buckets: Readonly<Record<string, pulumi.Input<string>>>,
): pulumi.Output<string> {
  return pulumi
    .all(regions.map((r) => buckets[r]))
    .apply((names) => regions.map((r, i) => `${r}=${names[i]}`).join(","));
}

/**
 * The CodeBuild projects of the pipeline: build; per environment a deploy
 * project in each of its global Regions (created with that Region's
 * provider) and one for China, all run by that environment's deploy role;
 * and pr-preview. Each is encrypted with its Region's artifact key, runs
 * unprivileged, logs to its own log group and reads its buildspec from
 * components/buildspecs/. No credential value is ever an environment
 * variable: a China project gets its environment's SSM parameter names only,
 * and pr-preview, which runs pull-request code, no secret at all: it uploads
 * its result to the pipeline Region's artifact bucket, in a folder of its own
 * build id, for the PR comment poster (PrCommenter) to read.
 */
export class BuildProjects extends pulumi.ComponentResource {
  readonly names: pulumi.Output<ProjectMap<string>>;
  readonly projectArns: pulumi.Output<ProjectMap<string>>;
  readonly prPreviewProject: aws.codebuild.Project;

  constructor(name: string, args: BuildProjectsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("silkroute:pipeline:BuildProjects", name, {}, opts);
    const problem = validateBuildProjectsArgs(args);
    if (problem) throw new pulumi.ResourceError(problem, this);

    const regions = Object.keys(args.regionProviders);
    const names = projectNames(args.prefix, args.environments);
    const common = [
      plain("PIPELINE_REGION", args.pipelineRegion),
      // The names the driver (automation/pulumi/settings.ts) and the Pulumi CLI read.
      plain("PULUMI_BACKEND_URL", args.backendUrl),
      plain("SILKROUTE_SECRETS_PROVIDER", args.secretsProvider),
      plain("PULUMI_VERSION", args.pulumiVersion),
      plain("PULUMI_SHA256", args.pulumiSha256),
    ];

    const project = (
      suffix: string,
      projectName: string,
      kind: BuildspecKind,
      spec: {
        region: string;
        provider?: aws.Provider;
        roleArn: pulumi.Input<string>;
        env: EnvVar[];
        source?: aws.types.input.codebuild.ProjectSource;
        artifacts?: aws.types.input.codebuild.ProjectArtifacts;
      },
    ) => {
      const childOpts = { parent: this, ...(spec.provider ? { provider: spec.provider } : {}) };
      const logGroup = new aws.cloudwatch.LogGroup(
        `${name}-${suffix}-logs`,
        {
          name: codeBuildLogGroup(projectName),
          retentionInDays: args.logRetentionDays ?? 365,
          kmsKeyId: args.logKmsKeyArns?.[spec.region],
          tags: args.tags,
        },
        childOpts,
      );
      const buildspec = readBuildspec(kind);
      const inPipeline = spec.source === undefined;
      // The buildspecs' cache paths (npm, the verified CLI archive, Pulumi's
      // plugins) go to the project's own folder of its Region's artifact bucket.
      // pr-preview keeps none: what one pull request's code left in a cache
      // would run in the next pull request's preview and could falsify it.
      const cacheBucket = args.artifactBuckets?.[spec.region];
      const cache: aws.types.input.codebuild.ProjectCache =
        kind === "pr-preview"
          ? { type: "NO_CACHE" }
          : cacheBucket === undefined
            ? { type: "LOCAL", modes: ["LOCAL_CUSTOM_CACHE"] }
            : {
                type: "S3",
                location: pulumi.interpolate`${cacheBucket}/${codeBuildCacheFolder(projectName).slice(0, -1)}`,
              };
      return new aws.codebuild.Project(
        `${name}-${suffix}`,
        {
          name: projectName,
          description: `silkroute ${kind}`,
          serviceRole: spec.roleArn,
          encryptionKey: args.artifactKeyArns[spec.region],
          source: spec.source ?? { type: "CODEPIPELINE", buildspec },
          artifacts: spec.artifacts ?? { type: inPipeline ? "CODEPIPELINE" : "NO_ARTIFACTS" },
          cache,
          environment: {
            type: "LINUX_CONTAINER",
            computeType: "BUILD_GENERAL1_SMALL",
            image: args.image,
            privilegedMode: false,
            environmentVariables: [...common, ...spec.env],
          },
          logsConfig: {
            cloudwatchLogs: { status: "ENABLED", groupName: logGroup.name },
            s3Logs: { status: "DISABLED" },
          },
          tags: args.tags,
        },
        childOpts,
      );
    };

    const build = project("build", names.build, "build", {
      region: args.pipelineRegion,
      roleArn: args.codeBuildRoleArn,
      env: [],
    });
    const deploy: Record<string, DeployProjects<aws.codebuild.Project>> = {};
    for (const env of args.environments) {
      const own = entryOf(names.deploy, env.name, "the deploy projects of environment");
      const roleArn = entryOf(args.deployRoleArns, env.name, "the deploy role of environment");
      const global = Object.fromEntries(
        env.globalRegions.map((region) => [
          region,
          project(
            `deploy-${env.name}-${region}`,
            entryOf(own.global, region, `${env.name}'s deploy project of Region`),
            "deploy-global",
            {
              region,
              provider: args.regionProviders[region],
              roleArn,
              env: [
                plain("SILKROUTE_ENV", env.name),
                // The driver's default bucket for `--target $AWS_REGION` (one Region per project).
                ...(args.artifactBuckets === undefined
                  ? []
                  : [
                      plain(
                        "SILKROUTE_ARTIFACT_BUCKET",
                        entryOf(args.artifactBuckets, region, "the artifact bucket of Region"),
                      ),
                    ]),
              ],
            },
          ),
        ]),
      );
      const china = chinaKeyParameterNames(env.chinaParameterPrefix);
      deploy[env.name] = {
        global,
        ...(own.china === undefined
          ? {}
          : {
              china: project(`deploy-${env.name}-china`, own.china, "deploy-china", {
                region: args.pipelineRegion,
                roleArn,
                env: [
                  plain("SILKROUTE_ENV", env.name),
                  plain("USER_ACCESS_KEY_SSM", china.accessKey),
                  plain("USER_SECRET_KEY_SSM", china.secretKey),
                  plain("S3_BUCKET_SSM", china.bucket),
                ],
              }),
            }),
      };
    }
    const preview = args.previewSource;
    const resultBucket = args.artifactBuckets?.[args.pipelineRegion];
    this.prPreviewProject = project("pr-preview", names.prPreview, "pr-preview", {
      region: args.pipelineRegion,
      roleArn: args.previewRoleArn ?? args.codeBuildRoleArn,
      env: [
        plain("SILKROUTE_ENV", args.previewEnvironment),
        // Every Region's bucket, `<region>=<bucket>,…`: the preview covers several Regions.
        ...(args.artifactBuckets === undefined
          ? []
          : [plain("SILKROUTE_ARTIFACT_BUCKET", bucketList(regions, args.artifactBuckets))]),
        plain("SILKROUTE_PREVIEW_TARGET", args.previewChina === true ? "all" : "global"),
        plain("SILKROUTE_REPOSITORY", preview.repository),
      ],
      // `<folder>/<build id>/preview-result.zip`, encrypted with the project's key.
      // Zipped, so that the build's event carries the archive's SHA-256: any
      // pr-preview build may write under the folder (build ids are public), so
      // the poster trusts only the object whose hash CodeBuild reported.
      artifacts:
        resultBucket === undefined
          ? undefined
          : {
              type: "S3",
              location: resultBucket,
              path: PR_RESULT_FOLDER.replace(/\/$/, ""),
              namespaceType: "BUILD_ID",
              name: PR_RESULT_ARCHIVE,
              packaging: "ZIP",
              encryptionDisabled: false,
            },
      source: {
        type: preview.type === "codecommit" ? "CODECOMMIT" : "GITHUB",
        location: preview.cloneUrl,
        gitCloneDepth: 1,
        buildspec: readBuildspec("pr-preview"),
        ...(preview.type === "github"
          ? {
              reportBuildStatus: true,
              auth: { type: "CODECONNECTIONS", resource: preview.connectionArn },
            }
          : {}),
      },
    });

    const collect = (
      pick: (p: aws.codebuild.Project) => pulumi.Output<string>,
    ): pulumi.Output<ProjectMap<string>> => {
      const picked = (p: DeployProjects<aws.codebuild.Project>) => ({
        global: mapValues(p.global, pick),
        ...(p.china === undefined ? {} : { china: pick(p.china) }),
      });
      return pulumi.output({
        build: pick(build),
        deploy: mapValues(deploy, picked),
        prPreview: pick(this.prPreviewProject),
      });
    };
    this.names = collect((p) => p.name);
    this.projectArns = collect((p) => p.arn);
    this.registerOutputs({ names: this.names, projectArns: this.projectArns });
  }
}
