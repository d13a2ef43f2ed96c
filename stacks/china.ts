import * as aws from "../components/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccessLogBucket } from "../components/accessLogBucket";
import { AppBoundary } from "../components/iam/appBoundary";
import { ChinaDeployer } from "../components/chinaDeployer";
import { DeployKey } from "../components/deployKey";
import { appBoundaryPolicyName, appPrefixOf, chinaAccessLogFolder } from "../components/naming";
import { SecureBucket } from "../components/secureBucket";
import {
  assertAgreesWithGlobal,
  GLOBAL_OUTPUTS_OPTIONAL,
  GLOBAL_OUTPUTS_READ,
  loadChinaConfig,
} from "./config/china";

export interface ChinaProgramOptions {
  /** The moment rotation windows are computed for; default the current time. */
  readonly now?: Date;
}

/**
 * The `china` stack: per China environment, an aws-cn provider signed in with
 * that account's bootstrap key (read from SSM in the global account), the
 * China artifact bucket and deploy user there, and the user's rotated access
 * key written back to SSM in the global account for the deploy-china project.
 * Needs the `global` stack (its parameter KMS key and environments) first:
 * the program reads it before creating anything, and stops with one line per
 * disagreement (environment, Regions, parameter prefix).
 */
export async function chinaProgram(
  options: ChinaProgramOptions = {},
): Promise<Record<string, unknown>> {
  const cfg = loadChinaConfig();
  const now = options.now ?? new Date();

  const globalStack = new pulumi.StackReference(
    `${pulumi.getOrganization()}/${pulumi.getProject()}/${cfg.globalStack}`,
  );
  const read = async (name: string) => [name, await globalStack.getOutputValue(name)] as const;
  const global = assertAgreesWithGlobal(
    cfg,
    Object.fromEntries(
      await Promise.all([...GLOBAL_OUTPUTS_READ, ...GLOBAL_OUTPUTS_OPTIONAL].map(read)),
    ),
  );

  // Never rename: a provider's name is part of every child's URN.
  const globalProvider = new aws.Provider("global", {
    region: cfg.globalRegion as aws.Region,
  });

  // The app stacks' names in China: the global stack's prefix, as the driver names them.
  const appPrefix = (env: string) => appPrefixOf(global.prefix, env);
  const environments: Record<string, unknown> = {};
  // One app boundary per China account: environments that share an account
  // (same accountId) share its boundary, as an IAM policy name is per account.
  const boundaries = new Map<string, AppBoundary>();
  // Likewise one access log bucket per China account (one Region), and the
  // artifact buckets that log into it.
  const logBuckets = new Map<string, { logs: AccessLogBucket; sources: SecureBucket[] }>();
  for (const env of cfg.environments) {
    const bootstrap = (name: string) =>
      pulumi.secret(
        aws.ssm.getParameterOutput({ name, withDecryption: true }, { provider: globalProvider })
          .value,
      );
    const chinaProvider = new aws.Provider(`china-${env.name}`, {
      region: cfg.chinaRegion,
      accessKey: bootstrap(env.bootstrap.accessKeyIdParameter),
      secretKey: bootstrap(env.bootstrap.secretAccessKeyParameter),
      // A bootstrap key of another account fails the update instead of deploying there.
      allowedAccountIds: env.accountId === undefined ? undefined : [env.accountId],
    });

    const account = env.accountId ?? `env:${env.name}`;
    const boundary =
      boundaries.get(account) ??
      new AppBoundary(
        `${env.name}-app-boundary`,
        {
          policyName: appBoundaryPolicyName(global.prefix),
          regions: [cfg.chinaRegion],
          namePrefixes: cfg.environments
            .filter((e) => (e.accountId ?? `env:${e.name}`) === account)
            .map((e) => `${appPrefix(e.name)}-`),
          functionsUse: global.app.functionsUse,
        },
        { provider: chinaProvider },
      );
    boundaries.set(account, boundary);
    const logBucket = logBuckets.get(account) ?? {
      logs: new AccessLogBucket(
        `${env.name}-china-access-logs`,
        {
          retentionDays: cfg.accessLogRetentionDays,
          noncurrentVersionDays: cfg.noncurrentVersionDays,
        },
        { provider: chinaProvider },
      ),
      sources: [],
    };
    logBuckets.set(account, logBucket);
    const deployer = new ChinaDeployer(
      `${env.name}-china`,
      {
        environment: env.name,
        region: cfg.chinaRegion,
        appPrefix: appPrefix(env.name),
        noncurrentVersionDays: cfg.noncurrentVersionDays,
        permissionsBoundaryArn: boundary.arn,
        app: { kinds: global.app.kinds, transforms: global.app.transforms },
        accessLogs: logBucket.logs.target(chinaAccessLogFolder(env.name)),
      },
      { provider: chinaProvider },
    );
    logBucket.sources.push(deployer.bucket);
    const key = new DeployKey(
      `${env.name}-deploy-key`,
      {
        userName: deployer.userName,
        bucketName: deployer.bucketName,
        parameterPrefix: env.parameterPrefix,
        parameterKeyArn: global.parameterKeyArn,
        globalProvider,
        rotationDays: env.keyRotationDays,
        rotationNonce: env.rotationNonce,
        now,
      },
      { provider: chinaProvider },
    );

    environments[env.name] = {
      bucketName: deployer.bucketName,
      accessLogBucket: logBucket.logs.bucketName,
      userArn: deployer.userArn,
      parameters: key.parameterNames,
      keyCreatedAt: key.createDate,
      nextRotation: key.nextRotation,
    };
  }

  for (const { logs, sources } of logBuckets.values()) logs.allowDeliveryFrom(sources);

  return { globalRegion: cfg.globalRegion, chinaRegion: cfg.chinaRegion, environments };
}
