import * as aws from "../components/aws";
import * as pulumi from "@pulumi/pulumi";
import { AppBoundary } from "../components/appBoundary";
import { ArtifactStore } from "../components/artifactStore";
import { BuildProjects, chinaParameterNames } from "../components/buildProjects";
import { EncryptionKey } from "../components/encryptionKey";
import { arn, iamArn, partitionOf } from "../components/partition";
import { Pipeline } from "../components/pipeline";
import { PipelinePolicies } from "../components/pipelinePolicies";
import { PipelineRoles } from "../components/pipelineRoles";
import { PipelineSource } from "../components/pipelineSource";
import { PrTrigger, PrTriggerArgs } from "../components/prTrigger";
import { SeedParameters } from "../components/seedParameters";
import { StateBackend } from "../components/stateBackend";
import { appBoundaryPolicyName, codeBuildLogGroupPrefix, keyAliases } from "../components/naming";
import { deployRegions, loadGlobalConfig, ResolvedGlobalConfig } from "./config/global";

/**
 * The `global` stack: the pipeline in the global partition. Reads its config
 * once, wires the components in dependency order (roles → keys and buckets →
 * source and projects → permissions → pipeline) and exports what the china
 * stack and the driver need.
 */
export function globalProgram(): Record<string, unknown> {
  const cfg = loadGlobalConfig();
  const regions = deployRegions(cfg);
  const providers = regionProviders(cfg, regions);
  const home = { provider: providers[cfg.pipelineRegion] };
  const { prefix } = cfg;
  const aliases = keyAliases(prefix);

  const roles = new PipelineRoles("roles", { prefix }, home);
  const artifactUsers = [roles.codePipelineArn, roles.codeBuildArn, roles.deployArn];
  const stores = regions.map(
    (region) =>
      new ArtifactStore(
        `artifacts-${region}`,
        {
          region,
          // pr-preview's project encrypts with the pipeline Region's key too.
          userArns:
            region === cfg.pipelineRegion ? [...artifactUsers, roles.previewArn] : artifactUsers,
          aliasName: aliases.artifacts,
          noncurrentVersionDays: cfg.noncurrentVersionDays,
        },
        { provider: providers[region] },
      ),
  );
  const storeOf = (region: string) => stores[regions.indexOf(region)];
  const state = new StateBackend(
    "state",
    {
      userArns: [roles.deployArn, roles.previewArn],
      // Administrators may read and repair the state (stack export, stuck locks).
      usableThroughIam: true,
      aliasName: aliases.state,
      noncurrentVersionDays: cfg.noncurrentVersionDays,
    },
    home,
  );
  const parameterKey = new EncryptionKey(
    "parameters",
    {
      aliasName: aliases.parameters,
      // Granted by IAM policy only, through SSM (kms:ViaService): the deploy
      // role's, and whoever runs `pulumi up --stack china`.
      userArns: [],
      usableThroughIam: true,
      description: "silkroute: encrypts the China deploy keys in SSM (/China/<Env>/…)",
    },
    home,
  );

  const source = new PipelineSource("source", { source: cfg.source }, home);
  const chinaEnvironments = cfg.environments.filter((e) => e.china);
  const projects = new BuildProjects(
    "projects",
    {
      prefix,
      pipelineRegion: cfg.pipelineRegion,
      regionProviders: providers,
      artifactKeyArns: Object.fromEntries(regions.map((r) => [r, storeOf(r).keyArn])),
      artifactBuckets: Object.fromEntries(regions.map((r) => [r, storeOf(r).bucketName])),
      codeBuildRoleArn: roles.codeBuildArn,
      previewRoleArn: roles.previewArn,
      deployRoleArn: roles.deployArn,
      image: cfg.codeBuildImage,
      pulumiVersion: cfg.pulumiVersion,
      backendUrl: state.backendUrl,
      secretsProvider: state.secretsProvider,
      chinaParameterNames: chinaEnvironments.map(chinaParameterNames),
      previewEnvironment: cfg.environments[0].name,
      previewChina: cfg.previewChina,
      previewSource: previewSource(cfg, source),
      logRetentionDays: cfg.logRetentionDays,
    },
    home,
  );

  const seed = new SeedParameters(
    "seed",
    {
      names: cfg.ssmParameters,
      values: {
        codeBuildRole: roles.codeBuildArn,
        codePipelineRole: roles.codePipelineArn,
        cloudformationRole: roles.deployArn,
        deploymentBucket: storeOf(cfg.pipelineRegion).bucketName,
        codeBuildImage: cfg.codeBuildImage,
      },
      crossAccountRoles: cfg.environments.flatMap((e) => (e.crossAccount ? [e.crossAccount] : [])),
    },
    home,
  );

  // Caps every role the deploy role creates for the app stacks of this account.
  const appBoundary = new AppBoundary(
    "app-boundary",
    { policyName: appBoundaryPolicyName(prefix), regions, namePrefixes: [`${prefix}-`] },
    home,
  );
  // Exactly the deploy key and bucket names: never a path wildcard, which
  // would also match the China bootstrap (administrator) key under the prefix.
  const chinaParameterArns = chinaEnvironments.flatMap((e) => {
    const names = chinaParameterNames(e);
    return [names.accessKey, names.secretKey, names.bucket].map((n) =>
      parameterArn(cfg, home.provider, n),
    );
  });
  const policies = new PipelinePolicies(
    "policies",
    {
      roles,
      artifactBucketArns: stores.map((s) => s.bucketArn),
      artifactKeyArns: stores.map((s) => s.keyArn),
      stateBucketArn: state.bucketArn,
      stateKeyArn: state.keyArn,
      parameterKeyArn: parameterKey.arn,
      sourceArn: source.sourceArn,
      sourceType: cfg.source.type,
      buildProjectArns: projects.projectArns.apply((p) => [
        p.build,
        ...Object.values(p.deployGlobal),
        ...(p.deployChina ? [p.deployChina] : []),
      ]),
      prPreviewProjectArn: projects.projectArns.apply((p) => p.prPreview),
      pipelineName: prefix,
      crossAccountRoleArns: crossAccountRoleArns(cfg),
      chinaParameterArns,
      previewChinaParameterArns: cfg.previewChina ? chinaParameterArns : undefined,
      seedParameterArns: seed.arns.apply((a) => Object.values(a)),
      logGroupPrefix: codeBuildLogGroupPrefix(prefix),
      appPrefix: `${prefix}-`,
      appEnvironments: cfg.environments.filter((e) => !e.crossAccount).map((e) => e.name),
      deployRegions: regions,
      appBoundaryArn: appBoundary.arn,
      githubTokenSecretArn: cfg.source.type === "github" ? cfg.source.tokenSecretArn : undefined,
    },
    home,
  );

  const pipeline = new Pipeline(
    "pipeline",
    {
      pipelineName: prefix,
      roleArn: roles.codePipelineArn,
      artifactStores: stores.map((s) => s.artifactStore),
      sourceAction: source.sourceAction,
      projectNames: projects.names,
      environments: cfg.environments,
      pipelineRegion: cfg.pipelineRegion,
      codeCommitTrigger:
        cfg.source.type === "codecommit"
          ? {
              repositoryArn: source.sourceArn,
              branch: cfg.source.branch,
              eventsRoleArn: roles.eventsArn,
            }
          : undefined,
    },
    { ...home, dependsOn: [policies] },
  );

  // GitHub: no webhook until the connection is approved (source.connectionReady).
  const trigger: PrTriggerArgs | undefined =
    cfg.source.type === "codecommit"
      ? {
          type: "codecommit",
          repositoryArn: source.sourceArn,
          projectArn: projects.projectArns.apply((p) => p.prPreview),
          eventsRoleArn: roles.eventsArn,
        }
      : cfg.source.connectionReady
        ? {
            type: "github",
            projectName: projects.names.apply((n) => n.prPreview),
            baseBranch: cfg.source.branch,
          }
        : undefined;
  if (trigger) new PrTrigger("pr-trigger", trigger, { ...home, dependsOn: [policies] });

  return {
    prefix,
    pipelineRegion: cfg.pipelineRegion,
    chinaRegion: cfg.chinaRegion,
    environments: cfg.environments.map(
      ({ name, globalRegions, china, approval, chinaParameterPrefix }) => ({
        name,
        globalRegions,
        china,
        approval,
        chinaParameterPrefix,
      }),
    ),
    parameterKeyArn: parameterKey.arn,
    artifactBuckets: pulumi
      .all(stores.map((s) => s.bucketName))
      .apply((names) => Object.fromEntries(regions.map((r, i) => [r, names[i]]))),
    backendUrl: state.backendUrl,
    secretsProvider: state.secretsProvider,
    pipelineName: pipeline.pipelineName,
    projectNames: projects.names,
    repositoryCloneUrl: source.cloneUrl,
    roleArns: {
      codeBuild: roles.codeBuildArn,
      codePipeline: roles.codePipelineArn,
      deploy: roles.deployArn,
      preview: roles.previewArn,
    },
  };
}

/**
 * One provider per deploy Region, each with its Region set. The names
 * (`aws-<region>`) must never change: renaming a provider replaces every
 * resource under it.
 */
function regionProviders(
  cfg: ResolvedGlobalConfig,
  regions: string[],
): Record<string, aws.Provider> {
  return Object.fromEntries(
    regions.map((region) => [
      region,
      new aws.Provider(`aws-${region}`, {
        region: region as aws.Region,
        defaultTags: { tags: { "silkroute:stack": "global", "silkroute:prefix": cfg.prefix } },
      }),
    ]),
  );
}

function previewSource(cfg: ResolvedGlobalConfig, source: PipelineSource) {
  const common = { cloneUrl: source.cloneUrl, repository: source.repositoryName };
  if (cfg.source.type === "codecommit") return { ...common, type: "codecommit" as const };
  return {
    ...common,
    type: "github" as const,
    connectionArn: source.connectionArn!,
    tokenSecretArn: cfg.source.tokenSecretArn,
  };
}

/** ARN of an SSM parameter (or `/path/*`) in the pipeline Region and account. */
function parameterArn(cfg: ResolvedGlobalConfig, provider: aws.Provider, name: string) {
  const account = aws.getCallerIdentityOutput({}, { provider }).accountId;
  return account.apply((a) =>
    arn({
      partition: partitionOf(cfg.pipelineRegion),
      service: "ssm",
      region: cfg.pipelineRegion,
      account: a,
      resource: `parameter${name}`,
    }),
  );
}

/** Roles in other accounts the deploy role may assume, one per cross-account environment. */
function crossAccountRoleArns(cfg: ResolvedGlobalConfig): string[] {
  return cfg.environments.flatMap((e) =>
    e.crossAccount
      ? [
          iamArn(
            partitionOf(cfg.pipelineRegion),
            e.crossAccount.accountId,
            `role/${e.crossAccount.roleName}`,
          ),
        ]
      : [],
  );
}
