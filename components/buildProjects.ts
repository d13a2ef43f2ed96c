import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { BuildspecKind, readBuildspec } from "../automation/buildspecs";
import {
  BuildProjectsArgs,
  ProjectMap,
  projectNames,
  validateBuildProjectsArgs,
} from "./buildProjectArgs";
import { codeBuildLogGroup } from "./naming";

export * from "./buildProjectArgs";

type EnvVar = {
  name: string;
  value: pulumi.Input<string>;
  type: "PLAINTEXT" | "SECRETS_MANAGER";
};
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
 * The CodeBuild projects of the pipeline: build, deploy-global in each
 * deploy Region (created with that Region's provider), deploy-china and
 * pr-preview. Each is encrypted with its Region's artifact key, runs
 * unprivileged, logs to its own log group and reads its buildspec from
 * automation/buildspecs/. No credential value is ever an environment
 * variable: deploy-china gets SSM parameter names only.
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
    const china = args.chinaParameterNames ?? [];
    const names = projectNames(args.prefix, regions, china.length > 0);
    const common = [
      plain("PIPELINE_REGION", args.pipelineRegion),
      // The names the driver (automation/pulumi/settings.ts) and the Pulumi CLI read.
      plain("PULUMI_BACKEND_URL", args.backendUrl),
      plain("SILKROUTE_SECRETS_PROVIDER", args.secretsProvider),
      plain("PULUMI_VERSION", args.pulumiVersion),
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
      return new aws.codebuild.Project(
        `${name}-${suffix}`,
        {
          name: projectName,
          description: `silkroute ${kind}`,
          serviceRole: spec.roleArn,
          encryptionKey: args.artifactKeyArns[spec.region],
          source: spec.source ?? { type: "CODEPIPELINE", buildspec },
          artifacts: { type: inPipeline ? "CODEPIPELINE" : "NO_ARTIFACTS" },
          cache: { type: "LOCAL", modes: ["LOCAL_CUSTOM_CACHE"] },
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
    const deployGlobal = Object.fromEntries(
      regions.map((region) => [
        region,
        project(`deploy-global-${region}`, names.deployGlobal[region], "deploy-global", {
          region,
          provider: args.regionProviders[region],
          roleArn: args.deployRoleArn,
          // The driver's default bucket for `--target $AWS_REGION` (one Region per project).
          env:
            args.artifactBuckets === undefined
              ? []
              : [plain("SILKROUTE_ARTIFACT_BUCKET", args.artifactBuckets[region])],
        }),
      ]),
    );
    const deployChina =
      names.deployChina === undefined
        ? undefined
        : project("deploy-china", names.deployChina, "deploy-china", {
            region: args.pipelineRegion,
            roleArn: args.deployRoleArn,
            // Defaults only: each pipeline action sets its own environment's names.
            env: [
              plain("USER_ACCESS_KEY_SSM", china[0].accessKey),
              plain("USER_SECRET_KEY_SSM", china[0].secretKey),
              plain("S3_BUCKET_SSM", china[0].bucket),
            ],
          });
    const preview = args.previewSource;
    this.prPreviewProject = project("pr-preview", names.prPreview, "pr-preview", {
      region: args.pipelineRegion,
      roleArn: args.previewRoleArn ?? args.codeBuildRoleArn,
      env: [
        plain("SILKROUTE_ENV", args.previewEnvironment),
        // Every Region's bucket, `<region>=<bucket>,…`: the preview covers several Regions.
        ...(args.artifactBuckets === undefined
          ? []
          : [plain("SILKROUTE_ARTIFACT_BUCKET", bucketList(regions, args.artifactBuckets))]),
        plain("SILKROUTE_COMMENT", preview.type),
        plain("SILKROUTE_PREVIEW_TARGET", args.previewChina === true ? "all" : "global"),
        plain("SILKROUTE_REPOSITORY", preview.repository),
        ...(preview.type === "github" && preview.tokenSecretArn !== undefined
          ? [
              {
                name: "GITHUB_TOKEN",
                value: preview.tokenSecretArn,
                type: "SECRETS_MANAGER" as const,
              },
            ]
          : []),
      ],
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
    ): pulumi.Output<ProjectMap<string>> =>
      pulumi
        .all([
          pick(build),
          pulumi.all(regions.map((r) => pick(deployGlobal[r]))),
          deployChina ? pick(deployChina) : undefined,
          pick(this.prPreviewProject),
        ])
        .apply(([b, globals, c, p]) => ({
          build: b,
          deployGlobal: Object.fromEntries(regions.map((r, i) => [r, globals[i]])),
          ...(c === undefined ? {} : { deployChina: c }),
          prPreview: p,
        }));
    this.names = collect((p) => p.name);
    this.projectArns = collect((p) => p.arn);
    this.registerOutputs({ names: this.names, projectArns: this.projectArns });
  }
}
