import { entryOf, firstOf } from "../components/lookup";
import * as aws from "../components/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ArtifactStore } from "../components/artifactStore";
import {
  appStackName,
  checksProjectName,
  checksRoleName,
  CHINA_TARGET,
  operationsRolePath,
  prCommenterName,
  rotationProjectName,
  rotationRoleName,
  scheduleRoleName,
} from "../components/naming";
import {
  BUILD_EVENTS,
  Notifications,
  NotificationSource,
  PIPELINE_EVENTS,
} from "../components/notifications";
import { OperationsAccess } from "../components/iam/operationsAccess";
import type { OperationsInputs } from "../components/iam/operationsPolicies";
import { OperationsRoles } from "../components/iam/operationsRoles";
import { Partition } from "../components/partition";
import type { Pipeline } from "../components/pipeline";
import {
  type DeployEnvironmentArgs,
  environmentPolicyArgs,
} from "../components/iam/pipelinePolicies";
import { allRoleNames, PipelineRoleNames } from "../components/iam/pipelineRoles";
import type { PipelineSource } from "../components/pipelineSource";
import type { StateBackend } from "../components/stateBackend";
import { ScheduledBuild, ScheduledBuildArgs } from "../components/scheduledBuild";
import type { Environment, ResolvedGlobalConfig } from "./config/global";
import { previewSource } from "./globalHelpers";

/*
 * The global stack's day-2 operations (docs/operations.md): the
 * notifications topic and its rules, the scheduled checks and the optional
 * scheduled key rotation, each with the policies of its own identity.
 */

type ByRegion = Readonly<Record<string, pulumi.Output<string>>>;

export interface OperationsWiring {
  readonly cfg: ResolvedGlobalConfig;
  readonly opts: pulumi.CustomResourceOptions;
  /** The day-2 roles, when config asks for a scheduled build. */
  readonly roles?: OperationsRoles;
  /** The pipeline's role names: no operations policy may reach them. */
  readonly pipelineRoleNames: PipelineRoleNames;
  readonly source: PipelineSource;
  readonly pipeline: Pick<Pipeline, "arn">;
  /** A value of each Region's artifact store. */
  readonly byRegion: (pick: (s: ArtifactStore) => pulumi.Output<string>) => ByRegion;
  readonly state: Pick<StateBackend, "bucketArn" | "keyArn" | "backendUrl" | "secretsProvider">;
  readonly parameterKeyArn: pulumi.Output<string>;
  readonly chinaSecretsKeyArn: pulumi.Output<string>;
  readonly appBoundaryArn: pulumi.Output<string>;
  readonly environments: readonly DeployEnvironmentArgs[];
  /** What the app manages: the checks read it as a refresh does. */
  readonly app: { readonly kinds: readonly string[]; readonly transforms: readonly string[] };
}

/**
 * What an environment's scheduled checks check, as `<env>,<drift
 * target>,<stack>,<keys>` (components/buildspecs/operations.yml): drift of
 * every target its checks role can read (a cross-account environment's
 * China target only: its global targets are reached through its own role,
 * which trusts its deploy role alone; `-` when nothing is left), the stack
 * whose outputs name the commit it runs (its first target), and `keys` when
 * it has a China deploy key.
 */
export function checkEntry(env: Environment): string {
  const drift = env.crossAccount === undefined ? "all" : env.china ? CHINA_TARGET : "-";
  const first = appStackName(env.name, firstOf(env.globalRegions, `${env.name}'s globalRegions`));
  return `${env.name},${drift},${first},${env.china ? "keys" : "-"}`;
}

/**
 * The day-2 roles, created with the pipeline's (before the keys and buckets
 * whose policies name them), and where they go in those policies.
 */
export function operationsIdentities(
  cfg: ResolvedGlobalConfig,
  opts: pulumi.CustomResourceOptions,
) {
  const ops = cfg.operations;
  const roles =
    ops.checks || ops.rotation
      ? new OperationsRoles(
          "operations-roles",
          {
            prefix: cfg.prefix,
            checks: ops.checks ? cfg.environments.map((e) => e.name) : [],
            rotation: ops.rotation,
          },
          opts,
        )
      : undefined;
  const checks = cfg.environments.flatMap((e) => {
    const role = roles?.checks[e.name];
    return role === undefined ? [] : [{ env: e, arn: role.arn }];
  });
  const rotation = roles?.rotation?.arn;
  const home = (region: string) => region === cfg.pipelineRegion;
  return {
    roles,
    /**
     * Users of a Region's artifact key besides the pipeline's: the projects
     * (encrypted with the pipeline Region's key), and each environment's
     * checks reading its app's code zips where its app is in this account.
     */
    artifactKeyUsers: (region: string): pulumi.Output<string>[] => [
      ...checks
        .filter(
          (c) =>
            home(region) ||
            (c.env.crossAccount === undefined && c.env.globalRegions.includes(region)),
        )
        .map((c) => c.arn),
      ...(rotation && home(region) ? [rotation] : []),
    ],
    /**
     * Denied the china stack's state and secrets with every pipeline role:
     * the checks' roles. The rotation role, which runs that stack, is the one
     * day-2 role that is not.
     */
    deniedChinaStack: checks.map((c) => c.arn),
  };
}

/** `<region>=<bucket>,…`: the list form of SILKROUTE_ARTIFACT_BUCKET the driver reads. */
function bucketList(buckets: ByRegion): pulumi.Output<string> {
  const regions = Object.keys(buckets);
  return pulumi
    .all(regions.map((r) => buckets[r]))
    .apply((names) => regions.map((r, i) => `${r}=${names[i]}`).join(","));
}

/** The notifications, and the scheduled builds config asks for; returns the topic's ARN. */
export function operations(w: OperationsWiring): pulumi.Output<string> {
  const { cfg, opts } = w;
  const prefix = cfg.prefix;
  const ops = cfg.operations;
  const region = cfg.pipelineRegion;
  const chinaPrefixes = cfg.environments.filter((e) => e.china).map((e) => e.chinaParameterPrefix);
  const artifactBuckets = w.byRegion((s) => s.bucketName);
  if (w.roles !== undefined) {
    const inputs = pulumi.output({
      partition: aws.getPartitionOutput({}, opts).partition as pulumi.Output<Partition>,
      region,
      accountId: aws.getCallerIdentityOutput({}, opts).accountId,
      prefix,
      artifactBucketArns: w.byRegion((s) => s.bucketArn),
      stateBucketArn: w.state.bucketArn,
      stateKeyArn: w.state.keyArn,
      parameterKeyArn: w.parameterKeyArn,
      chinaSecretsKeyArn: w.chinaSecretsKeyArn,
      sourceArn: w.source.sourceArn,
      sourceType: cfg.source.type,
      appBoundaryArn: w.appBoundaryArn,
      appKinds: w.app.kinds,
      appTransforms: w.app.transforms,
      environments: w.environments.map(environmentPolicyArgs),
    }) as pulumi.Output<OperationsInputs>;
    new OperationsAccess(
      "operations-access",
      {
        roles: w.roles,
        inputs,
        chinaParameterPrefixes: chinaPrefixes,
        protectedRoleNames: [
          ...allRoleNames(w.pipelineRoleNames),
          prCommenterName(prefix),
          rotationRoleName(prefix),
          scheduleRoleName(rotationProjectName(prefix)),
          ...cfg.environments.flatMap((e) => [
            checksRoleName(prefix, e.name),
            scheduleRoleName(checksProjectName(prefix, e.name)),
          ]),
        ],
      },
      opts,
    );
  }
  const common = {
    PULUMI_VERSION: cfg.pulumiVersion,
    PULUMI_SHA256: cfg.pulumiSha256,
    PULUMI_BACKEND_URL: w.state.backendUrl,
  };
  type Spec = Pick<
    ScheduledBuildArgs,
    "projectName" | "description" | "scheduleExpression" | "variables" | "cacheBucket"
  >;
  const build = (name: string, kind: "operations" | "rotation", role: aws.iam.Role, spec: Spec) =>
    new ScheduledBuild(
      name,
      {
        ...spec,
        buildspec: kind,
        rolePath: operationsRolePath(prefix),
        roleArn: role.arn,
        source: previewSource(cfg, w.source),
        sourceVersion: `refs/heads/${cfg.source.branch}`,
        encryptionKeyArn: entryOf(
          w.byRegion((s) => s.keyArn),
          region,
          "the artifact key of Region",
        ),
        image: cfg.codeBuildImage,
        logRetentionDays: cfg.logRetentionDays,
      },
      opts,
    );
  const sources: NotificationSource[] = [
    { name: "pipeline", resourceArn: w.pipeline.arn, eventTypeIds: PIPELINE_EVENTS },
  ];
  for (const env of cfg.environments) {
    const role = w.roles?.checks[env.name];
    if (!ops.checks || role === undefined) continue;
    const checks = build(`checks-${env.name}`, "operations", role, {
      projectName: checksProjectName(prefix, env.name),
      description: `silkroute scheduled checks of ${env.name}: drift, targets in sync, China deploy key age`,
      scheduleExpression: ops.schedule,
      cacheBucket: artifactBuckets[region],
      variables: {
        ...common,
        SILKROUTE_SECRETS_PROVIDER: w.state.secretsProvider,
        SILKROUTE_ARTIFACT_BUCKET: bucketList(artifactBuckets),
        SILKROUTE_CHECKS: checkEntry(env),
        SILKROUTE_KEY_MAX_AGE_DAYS: String(ops.keyMaxAgeDays),
      },
    });
    sources.push({
      name: `checks-${env.name}`,
      resourceArn: checks.projectArn,
      eventTypeIds: BUILD_EVENTS,
    });
  }
  if (ops.rotation && w.roles?.rotation) {
    const rotation = build("rotation", "rotation", w.roles.rotation, {
      projectName: rotationProjectName(prefix),
      description:
        "silkroute scheduled rotation of the China deploy keys (pulumi up --stack china)",
      scheduleExpression: ops.rotationSchedule,
      variables: common,
    });
    sources.push({
      name: "rotation",
      resourceArn: rotation.projectArn,
      eventTypeIds: BUILD_EVENTS,
    });
  }
  const notifications = new Notifications(
    "notifications",
    {
      prefix,
      emails: cfg.notifications.emails,
      httpsEndpoints: cfg.notifications.httpsEndpoints,
      sources,
    },
    opts,
  );
  return notifications.topicArn;
}
