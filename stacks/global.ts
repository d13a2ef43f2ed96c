import * as pulumi from "@pulumi/pulumi";
import { entryOf } from "../components/lookup";
import { AppBoundary } from "../components/iam/appBoundary";
import { ArtifactStore } from "../components/artifactStore";
import { allNames, BuildProjects } from "../components/buildProjects";
import { EncryptionKey } from "../components/encryptionKey";
import { Pipeline } from "../components/pipeline";
import { PipelinePolicies } from "../components/iam/pipelinePolicies";
import { PipelineRoles } from "../components/iam/pipelineRoles";
import { PipelineSource } from "../components/pipelineSource";
import { PR_RESULT_EXPIRY, PrCommenter, PrCommenterRole } from "../components/prCommenter";
import { PrTrigger, PrTriggerArgs } from "../components/prTrigger";
import { SeedParameters } from "../components/seedParameters";
import { secretsProviderOf, StateBackend } from "../components/stateBackend";
import {
  ACCESS_LOG_FOLDERS,
  appBoundaryPolicyName,
  appCodeFolder,
  appPrefixOf,
  chinaKeyParameterNames,
  keyAliases,
} from "../components/naming";
import { appPermissionNeeds } from "./config/app";
import { deployRegions, Environment, loadGlobalConfig } from "./config/global";
import {
  accessLogBuckets,
  chinaSecretsKey,
  commenterSource,
  crossAccountRequirements,
  crossAccountRoleArn,
  deploysFrom,
  parameterArn,
  previewSource,
  regionProviders,
} from "./globalHelpers";
import { operationsIdentities, operations } from "./globalOperations";

/**
 * The `global` stack: the pipeline in the global partition. Reads its config
 * once, wires the components in dependency order (roles → keys and buckets →
 * source and projects → permissions → pipeline) and exports what the china
 * stack and the driver need.
 */
export function globalProgram(
  options: { readonly projectDir?: string } = {},
): Record<string, unknown> {
  const cfg = loadGlobalConfig();
  const regions = deployRegions(cfg);
  const providers = regionProviders(cfg, regions);
  const providerOf = (region: string) => entryOf(providers, region, "the provider of Region");
  const home = { provider: providerOf(cfg.pipelineRegion) };
  const { prefix } = cfg;
  const aliases = keyAliases(prefix);
  // What the app manages: the deploy identities' app statements and the
  // app boundary are generated from it (a template is read from here).
  const app = appPermissionNeeds(cfg.app, options.projectDir ?? process.cwd());

  const roles = new PipelineRoles(
    "roles",
    { prefix, environments: cfg.environments.map((e) => e.name) },
    home,
  );
  // The PR comment poster (GitHub needs a token to comment with); its role comes before the keys.
  const comments = cfg.source.type === "codecommit" || cfg.source.tokenSecretArn !== undefined;
  const commenterRole = comments
    ? new PrCommenterRole("pr-commenter", { prefix }, home)
    : undefined;
  // The day-2 identities (docs/operations.md), when config asks for them.
  const dayTwo = operationsIdentities(cfg, home);
  const accessLogs = accessLogBuckets(cfg, regions, providers);
  const logsOf = (region: string) => entryOf(accessLogs, region, "the access log bucket of Region");
  const deployArnOf = (e: Environment) =>
    entryOf(roles.deployArns, e.name, "the deploy role of environment");
  const storesByRegion = Object.fromEntries(
    regions.map((region) => [
      region,
      new ArtifactStore(
        `artifacts-${region}`,
        {
          region,
          userArns: [
            roles.codePipelineArn,
            roles.codeBuildArn,
            // The deploy roles of the environments with a deploy project here.
            ...cfg.environments
              .filter((e) => deploysFrom(cfg, e).includes(region))
              .map(deployArnOf),
            // pr-preview's project encrypts its results with the pipeline
            // Region's key; the poster reads them.
            ...(region === cfg.pipelineRegion ? [roles.previewArn] : []),
            ...(region === cfg.pipelineRegion && commenterRole ? [commenterRole.arn] : []),
            ...dayTwo.artifactKeyUsers(region),
          ],
          // A cross-account environment's role writes its code zips here, under its own folder.
          crossAccountWriters: cfg.environments
            .filter((e) => e.crossAccount && e.globalRegions.includes(region))
            .map((e) => ({
              roleArn: crossAccountRoleArn(cfg, e)!,
              keyPrefix: appCodeFolder(appPrefixOf(prefix, e.name)),
            })),
          aliasName: aliases.artifacts,
          noncurrentVersionDays: cfg.noncurrentVersionDays,
          accessLogs: logsOf(region).target(ACCESS_LOG_FOLDERS.artifacts),
          pipelineName: prefix,
          artifactRetentionDays: cfg.artifactRetentionDays,
          expirations: region === cfg.pipelineRegion ? [PR_RESULT_EXPIRY] : undefined,
        },
        { provider: providerOf(region) },
      ),
    ]),
  );
  const storeOf = (region: string) =>
    entryOf(storesByRegion, region, "the artifact store of Region");
  const stores = regions.map(storeOf);
  const pipelineRoleArns = [
    roles.codeBuildArn,
    roles.codePipelineArn,
    ...Object.values(roles.deployArns),
    roles.eventsArn,
    roles.previewArn,
    ...(commenterRole ? [commenterRole.arn] : []),
    ...dayTwo.deniedChinaStack,
  ];
  const state = new StateBackend(
    "state",
    {
      // No role in the key policy: the deploy and preview roles' IAM policies
      // grant the key per stack (encryption context), and administrators may
      // read and repair the state (stack export, stuck locks).
      usableThroughIam: true,
      deniedChinaStackRoleArns: pipelineRoleArns,
      aliasName: aliases.state,
      noncurrentVersionDays: cfg.noncurrentVersionDays,
      accessLogs: logsOf(cfg.pipelineRegion).target(ACCESS_LOG_FOLDERS.state),
    },
    home,
  );
  for (const region of regions) {
    const sources = region === cfg.pipelineRegion ? [state.bucket] : [];
    logsOf(region).allowDeliveryFrom([storeOf(region).bucket, ...sources]);
  }
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

  // The china stack's own secrets provider (its state holds the China
  // bootstrap keys): administrators only, denied to every pipeline role.
  const chinaSecrets = chinaSecretsKey(prefix, pipelineRoleArns, home);

  const source = new PipelineSource("source", { source: cfg.source }, home);
  const projects = new BuildProjects(
    "projects",
    {
      prefix,
      pipelineRegion: cfg.pipelineRegion,
      regionProviders: providers,
      environments: cfg.environments,
      artifactKeyArns: Object.fromEntries(regions.map((r) => [r, storeOf(r).keyArn])),
      artifactBuckets: Object.fromEntries(regions.map((r) => [r, storeOf(r).bucketName])),
      codeBuildRoleArn: roles.codeBuildArn,
      previewRoleArn: roles.previewArn,
      deployRoleArns: roles.deployArns,
      image: cfg.codeBuildImage,
      pulumiVersion: cfg.pulumiVersion,
      pulumiSha256: cfg.pulumiSha256,
      backendUrl: state.backendUrl,
      secretsProvider: state.secretsProvider,
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
        // The seed's names are the first environment's (/US/Dev/…).
        cloudformationRole: deployArnOf(cfg.environments[0]),
        deploymentBucket: storeOf(cfg.pipelineRegion).bucketName,
        codeBuildImage: cfg.codeBuildImage,
      },
      crossAccountRoles: cfg.environments.flatMap((e) => (e.crossAccount ? [e.crossAccount] : [])),
    },
    home,
  );

  // Caps every role the deploy roles create for the app stacks of this account:
  // each environment deploying here writes its own app's logs and uses its own
  // app's resources only (never another environment's, nor the PR comment
  // poster's `<prefix>-commenter` logs).
  const appBoundary = new AppBoundary(
    "app-boundary",
    {
      policyName: appBoundaryPolicyName(prefix),
      regions,
      namePrefixes: cfg.environments
        .filter((e) => e.crossAccount === undefined)
        .map((e) => `${appPrefixOf(prefix, e.name)}-`),
      functionsUse: app.functionsUse,
    },
    home,
  );
  // Exactly the deploy key and bucket names: never a path wildcard, which
  // would also match the China bootstrap (administrator) key under the prefix.
  const chinaParameterArns = (e: Environment) => {
    if (!e.china) return [];
    const names = chinaKeyParameterNames(e.chinaParameterPrefix);
    return [names.accessKey, names.secretKey, names.bucket].map((n) =>
      parameterArn(cfg, home.provider, n),
    );
  };
  const policyEnvironments = cfg.environments.map((e) => ({
    name: e.name,
    globalRegions: e.globalRegions,
    china: e.china,
    chinaParameterArns: chinaParameterArns(e),
    crossAccountRoleArn: crossAccountRoleArn(cfg, e),
    crossAccountParameterArn: e.crossAccount
      ? parameterArn(cfg, home.provider, e.crossAccount.parameterName)
      : undefined,
  }));
  const byRegion = (pick: (s: ArtifactStore) => pulumi.Output<string>) =>
    Object.fromEntries(regions.map((r) => [r, pick(storeOf(r))]));
  const policies = new PipelinePolicies(
    "policies",
    {
      roles,
      prefix,
      artifactBucketArns: byRegion((s) => s.bucketArn),
      artifactKeyArns: byRegion((s) => s.keyArn),
      stateBucketArn: state.bucketArn,
      stateKeyArn: state.keyArn,
      parameterKeyArn: parameterKey.arn,
      sourceArn: source.sourceArn,
      sourceType: cfg.source.type,
      buildProjectArns: projects.projectArns.apply((p) =>
        allNames(p).filter((arn) => arn !== p.prPreview),
      ),
      prPreviewProjectArn: projects.projectArns.apply((p) => p.prPreview),
      pipelineName: prefix,
      environments: policyEnvironments,
      previewEnvironment: cfg.environments[0].name,
      previewChina: cfg.previewChina,
      seedParameterArns: seed.seedArns,
      appBoundaryArn: appBoundary.arn,
      previewResultBucketArn: storeOf(cfg.pipelineRegion).bucketArn,
      app: { kinds: app.kinds, transforms: app.transforms },
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
  if (commenterRole) {
    new PrCommenter(
      "pr-commenter",
      {
        prefix,
        role: commenterRole,
        projectName: projects.names.apply((n) => n.prPreview),
        env: cfg.environments[0].name,
        resultBucket: storeOf(cfg.pipelineRegion).bucketName,
        resultBucketArn: storeOf(cfg.pipelineRegion).bucketArn,
        source: commenterSource(cfg, source),
        logRetentionDays: cfg.logRetentionDays,
      },
      home,
    );
  }

  const notificationsTopicArn = operations({
    cfg,
    opts: home,
    roles: dayTwo.roles,
    pipelineRoleNames: roles.names,
    source,
    pipeline,
    byRegion,
    state,
    parameterKeyArn: parameterKey.arn,
    chinaSecretsKeyArn: chinaSecrets.arn,
    appBoundaryArn: appBoundary.arn,
    environments: policyEnvironments,
    app: { kinds: app.kinds, transforms: app.transforms },
  });

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
    accessLogBuckets: pulumi
      .all(regions.map((r) => logsOf(r).bucketName))
      .apply((names) => Object.fromEntries(regions.map((r, i) => [r, names[i]]))),
    backendUrl: state.backendUrl,
    secretsProvider: state.secretsProvider,
    // `pulumi stack change-secrets-provider --stack china <this>`: see docs/security.md.
    chinaSecretsProvider: pulumi
      .all([chinaSecrets.aliasName, cfg.pipelineRegion])
      .apply(([alias, region]) => secretsProviderOf(alias.replace(/^alias\//, ""), region)),
    pipelineName: pipeline.pipelineName,
    projectNames: projects.names,
    repositoryCloneUrl: source.cloneUrl,
    roleArns: {
      codeBuild: roles.codeBuildArn,
      codePipeline: roles.codePipelineArn,
      deploy: roles.deployArns,
      preview: roles.previewArn,
    },
    crossAccountRoles: crossAccountRequirements(cfg, roles, storeOf, app),
    // What the china stack generates the China deploy groups' app policies and boundary from.
    app,
    // Subscribe more endpoints, or publish a test message: docs/operations.md.
    notificationsTopicArn,
    // The china stack checks that its bootstrap keys are where the rotation role may read them.
    scheduledRotation: cfg.operations.rotation,
  };
}
