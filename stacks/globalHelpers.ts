import { entryOf } from "../components/lookup";
import * as aws from "../components/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccessLogBucket } from "../components/accessLogBucket";
import { appBoundaryArn, appBoundaryDocument } from "../components/iam/appBoundary";
import { appManageStatements, appPolicyLayout } from "../components/iam/appPolicyStatements";
import { packStatements } from "../components/iam/policyStatements";
import type { AppPermissionNeeds } from "./config/app";
import type { ArtifactStore } from "../components/artifactStore";
import { EncryptionKey } from "../components/encryptionKey";
import {
  appBoundaryPolicyName,
  appCodeFolder,
  appPrefixOf,
  chinaSecretsKeyAlias,
} from "../components/naming";
import { arn, iamArn, partitionOf } from "../components/partition";
import type { PipelineRoles } from "../components/iam/pipelineRoles";
import type { PipelineSource } from "../components/pipelineSource";
import type { CommenterSource } from "../components/prCommenter";
import type { Environment, ResolvedGlobalConfig } from "./config/global";

/*
 * The global stack's helpers: what it derives from its config (Regions,
 * providers, ARNs) and what it tells the owners of cross-account roles.
 */

/**
 * The Regions an environment's deploy projects run in: its global Regions,
 * and the pipeline Region for its China project.
 */
export function deploysFrom(cfg: ResolvedGlobalConfig, env: Environment): string[] {
  return [...new Set([...env.globalRegions, ...(env.china ? [cfg.pipelineRegion] : [])])];
}

/**
 * What each cross-account environment's role needs in its own account, for
 * whoever creates it there (docs/security.md): whom to trust, what it must
 * be allowed in the pipeline account's artifact stores, the app statements
 * generated from the app for that account, and the app boundary policy to
 * create there.
 */
export function crossAccountRequirements(
  cfg: ResolvedGlobalConfig,
  roles: PipelineRoles,
  store: (region: string) => ArtifactStore,
  app: AppPermissionNeeds,
) {
  return Object.fromEntries(
    cfg.environments
      .filter((e) => e.crossAccount)
      .map((e) => {
        const folder = appCodeFolder(appPrefixOf(cfg.prefix, e.name));
        const partition = partitionOf(cfg.pipelineRegion);
        const account = e.crossAccount!.accountId;
        const boundaryName = appBoundaryPolicyName(cfg.prefix);
        const boundaryArn = appBoundaryArn(partition, account, boundaryName);
        // The cross-account environments whose app roles take that account's boundary.
        const sharing = cfg.environments.filter((s) => s.crossAccount?.accountId === account);
        return [
          e.name,
          {
            roleArn: crossAccountRoleArn(cfg, e),
            trustedDeployRoleArn: entryOf(
              roles.deployArns,
              e.name,
              "the deploy role of environment",
            ),
            permissionsBoundaryName: appBoundaryPolicyName(cfg.prefix),
            codeObjects: e.globalRegions.map((r) =>
              store(r).bucketArn.apply((b) => `${b}/${folder}*`),
            ),
            codeKeyArns: e.globalRegions.map((r) => store(r).keyArn),
            // The app statements of its account, generated from the app: one
            // managed policy each (6,144 characters at most).
            appPolicies: pulumi
              .all(e.globalRegions.map((r) => store(r).bucketArn))
              .apply((buckets) => {
                const scope = {
                  regions: e.globalRegions,
                  appPrefixes: [appPrefixOf(cfg.prefix, e.name)],
                  kinds: app.kinds,
                  transforms: app.transforms,
                };
                return packStatements(
                  appManageStatements({
                    ...scope,
                    partition,
                    accountId: account,
                    artifactBucketArns: buckets,
                    boundaryArn,
                  }),
                  appPolicyLayout({ ...scope, buckets: buckets.length }),
                );
              }),
            // The policy `permissionsBoundaryName` to create in that account: one
            // document for every environment deploying there, each reaching its own.
            boundaryPolicy: appBoundaryDocument(partition, account, {
              regions: [...new Set(sharing.flatMap((s) => s.globalRegions))],
              namePrefixes: sharing.map((s) => `${appPrefixOf(cfg.prefix, s.name)}-`),
              functionsUse: app.functionsUse,
            }),
          },
        ];
      }),
  );
}

/**
 * One provider per deploy Region, each with its Region set. The names
 * (`aws-<region>`) must never change: renaming a provider replaces every
 * resource under it.
 */
export function regionProviders(
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

export function previewSource(cfg: ResolvedGlobalConfig, source: PipelineSource) {
  const common = { cloneUrl: source.cloneUrl, repository: source.repositoryName };
  if (cfg.source.type === "codecommit") return { ...common, type: "codecommit" as const };
  return { ...common, type: "github" as const, connectionArn: source.connectionArn! };
}

/** Where the PR comment poster comments: the CodeCommit repository, or GitHub with the token's secret. */
export function commenterSource(
  cfg: ResolvedGlobalConfig,
  source: PipelineSource,
): CommenterSource {
  if (cfg.source.type === "github") {
    return {
      type: "github",
      repository: cfg.source.repository,
      tokenSecret: cfg.source.tokenSecretArn!,
    };
  }
  return {
    type: "codecommit",
    repositoryName: source.repositoryName,
    repositoryArn: source.sourceArn,
  };
}

/** ARN of an SSM parameter (or `/path/*`) in the pipeline Region and account. */
export function parameterArn(cfg: ResolvedGlobalConfig, provider: aws.Provider, name: string) {
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

/** The role in another account an environment's deploy role assumes, if it has one. */
export function crossAccountRoleArn(cfg: ResolvedGlobalConfig, e: Environment): string | undefined {
  return e.crossAccount
    ? iamArn(
        partitionOf(cfg.pipelineRegion),
        e.crossAccount.accountId,
        `role/${e.crossAccount.roleName}`,
      )
    : undefined;
}

/**
 * One server access log bucket per Region, each with its Region's provider: S3
 * delivers a bucket's access logs only into a bucket of its own Region and
 * account. The names (`access-logs-<region>`) must never change.
 */
export function accessLogBuckets(
  cfg: ResolvedGlobalConfig,
  regions: string[],
  providers: Record<string, aws.Provider>,
): Record<string, AccessLogBucket> {
  return Object.fromEntries(
    regions.map((region) => [
      region,
      new AccessLogBucket(
        `access-logs-${region}`,
        {
          retentionDays: cfg.accessLogRetentionDays,
          noncurrentVersionDays: cfg.noncurrentVersionDays,
        },
        { provider: providers[region] },
      ),
    ]),
  );
}

/**
 * The key of the china stack's own secrets (its state holds the China
 * bootstrap keys): administrators only, `deniedRoleArns` (every pipeline
 * role) explicitly denied in its key policy.
 */
export function chinaSecretsKey(
  prefix: string,
  deniedRoleArns: pulumi.Input<string>[],
  opts: pulumi.ComponentResourceOptions,
): EncryptionKey {
  return new EncryptionKey(
    "china-secrets",
    {
      aliasName: chinaSecretsKeyAlias(prefix),
      userArns: [],
      usableThroughIam: true,
      description: "silkroute: the china stack's secrets (administrators only)",
      policyStatements: pulumi.all(deniedRoleArns).apply((arns) => [
        {
          Sid: "NoPipelineRole",
          Effect: "Deny",
          Principal: "*",
          Action: "kms:*",
          Resource: "*",
          Condition: { ArnEquals: { "aws:PrincipalArn": arns } },
        },
      ]),
    },
    opts,
  );
}
