import { itemAt } from "./lookup";
import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { appPolicyLayout, MAX_ATTACHED_POLICIES } from "./iam/appPolicyStatements";
import {
  chinaUserAppLayoutScope,
  chinaUserAppStatements,
  chinaUserPolicyDocument,
  ChinaUserPolicyScope,
} from "./iam/chinaUserPolicy";
import { appPrefixOf, chinaDeployerNames, DEFAULT_PREFIX, MAX_APP_PREFIX_LENGTH } from "./naming";
import {
  auditPolicyDocument,
  MAX_MANAGED_POLICY_CHARS,
  packStatements,
} from "./iam/policyStatements";
import { CHINA_REGIONS, isChinaRegion, partitionOf } from "./partition";
import { AccessLogTarget, SecureBucket } from "./secureBucket";

export interface ChinaDeployerArgs {
  /** Environment name (`dev`, `stage`, `prod`); part of every physical name. */
  readonly environment: string;
  /** China Region of the aws-cn provider this component is given (`cn-north-1`). */
  readonly region: string;
  /** Name prefix of the app stack's function, role and log group. @default `silkroute-<environment>` */
  readonly appPrefix?: string;
  /** IAM path of the deploy user and group. @default "/silkroute/" */
  readonly iamPath?: string;
  /** Days noncurrent artifact versions are kept. @default 90 */
  readonly noncurrentVersionDays?: number;
  /** Tags on every taggable child. @default `{ "silkroute:environment": environment }` */
  readonly tags?: Record<string, string>;
  /**
   * ARN of the app boundary policy (AppBoundary) in this China account: the
   * deploy user may create app roles only with it.
   */
  readonly permissionsBoundaryArn: pulumi.Input<string>;
  /**
   * What the app manages (appKinds.ts names) and the CloudFormation
   * transforms its template uses: the group's app statements are generated
   * from them. @default the sample app: its function, role and log group
   */
  readonly app?: { readonly kinds: readonly string[]; readonly transforms: readonly string[] };
  /** Where the artifact bucket's server access logs go: a target of the China account's AccessLogBucket. */
  readonly accessLogs: AccessLogTarget;
}

const ENVIRONMENT = /^[a-z][a-z0-9-]{0,15}$/;
const APP_PREFIX = new RegExp(`^[a-z][a-z0-9-]{1,${MAX_APP_PREFIX_LENGTH - 1}}$`);
const IAM_PATH = /^\/([\w+=,.@-]+\/)*$/;

/** Validates ChinaDeployer args; returns the problem or undefined. */
export function validateChinaDeployerArgs(args: ChinaDeployerArgs): string | undefined {
  if (!isChinaRegion(args.region)) {
    return `region must be a Region of the aws-cn partition, ${CHINA_REGIONS.join(" or ")} (the deploy user lives in China), got ${args.region}`;
  }
  if (!ENVIRONMENT.test(args.environment)) {
    return `environment must be lower-case letters, digits or '-' (at most 16), got ${args.environment}`;
  }
  if (args.appPrefix !== undefined && !APP_PREFIX.test(args.appPrefix)) {
    return `appPrefix must be 2-${MAX_APP_PREFIX_LENGTH} lower-case letters, digits or '-', got ${args.appPrefix}`;
  }
  if (args.iamPath !== undefined && !IAM_PATH.test(args.iamPath)) {
    return `iamPath must start and end with / (e.g. /silkroute/), got ${args.iamPath}`;
  }
  return undefined;
}

/**
 * What one China environment needs to receive deployments from the global
 * pipeline, in the China account: the artifact bucket with its own KMS key,
 * and a programmatic-only deploy user whose only permissions come from its
 * group's least-privilege policy. No IAM role is trusted across the
 * partitions, so the pipeline signs in as this user (its key: DeployKey).
 */
export class ChinaDeployer extends pulumi.ComponentResource {
  readonly key: aws.kms.Key;
  readonly bucket: SecureBucket;
  readonly group: aws.iam.Group;
  readonly user: aws.iam.User;
  readonly bucketName: pulumi.Output<string>;
  readonly bucketArn: pulumi.Output<string>;
  readonly keyArn: pulumi.Output<string>;
  readonly userName: pulumi.Output<string>;
  readonly userArn: pulumi.Output<string>;
  /** The managed policies of the app statements (`<appPrefix>-china-deploy-app-<n>`). */
  readonly appPolicies: aws.iam.Policy[];

  constructor(name: string, args: ChinaDeployerArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("silkroute:china:ChinaDeployer", name, {}, opts);
    const problem = validateChinaDeployerArgs(args);
    if (problem) throw new pulumi.ResourceError(problem, this);
    const env = args.environment;
    const partition = partitionOf(args.region);
    const appPrefix = args.appPrefix ?? appPrefixOf(DEFAULT_PREFIX, env);
    const names = chinaDeployerNames(appPrefix);
    const path = args.iamPath ?? "/silkroute/";
    const tags = args.tags ?? { "silkroute:environment": env };
    const child = { parent: this };

    // The key policy is left to KMS's default (the China account's root), so
    // only IAM policies in that account grant use of it.
    this.key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `silkroute ${env}: China artifact bucket`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        tags,
      },
      child,
    );
    new aws.kms.Alias(
      `${name}-key-alias`,
      { name: names.keyAlias, targetKeyId: this.key.keyId },
      child,
    );
    this.bucket = new SecureBucket(
      `${name}-artifacts`,
      {
        kmsKeyArn: this.key.arn,
        noncurrentVersionDays: args.noncurrentVersionDays,
        tags,
        accessLogs: args.accessLogs,
      },
      child,
    );

    this.group = new aws.iam.Group(`${name}-group`, { name: names.group, path }, child);
    // Programmatic only: no login profile, no MFA device, no policy of its own
    // (FSBP IAM.2: permissions come through the group).
    this.user = new aws.iam.User(
      `${name}-user`,
      { name: names.user, path, forceDestroy: false, tags },
      child,
    );
    // Exclusive membership: anyone else added to the group by hand is removed.
    new aws.iam.GroupMembership(
      `${name}-membership`,
      { group: this.group.name, users: [this.user.name] },
      child,
    );

    const account = aws.getCallerIdentityOutput({}, child).accountId;
    const scope: pulumi.Output<ChinaUserPolicyScope> = pulumi
      .all([account, this.bucket.arn, this.key.arn, this.user.arn, args.permissionsBoundaryArn])
      .apply(([accountId, bucketArn, keyArn, userArn, boundaryArn]) => ({
        partition,
        region: args.region,
        account: accountId,
        appPrefix,
        bucketArn,
        keyArn,
        userArn,
        boundaryArn,
        kinds: args.app?.kinds,
        transforms: args.app?.transforms,
      }));
    new aws.iam.GroupPolicy(
      `${name}-deploy-policy`,
      {
        group: this.group.name,
        name: "silkroute-deploy",
        policy: scope.apply((s) => JSON.stringify(chinaUserPolicyDocument(s))),
      },
      child,
    );
    // The app statements, laid out before the ARNs are known.
    const layout = appPolicyLayout(
      chinaUserAppLayoutScope({ region: args.region, appPrefix, ...args.app }),
    );
    if (layout.length > MAX_ATTACHED_POLICIES) {
      throw new pulumi.ResourceError(
        `the app's kinds need ${layout.length} managed policies, more than IAM attaches to a group (${MAX_ATTACHED_POLICIES}): manage fewer kinds`,
        this,
      );
    }
    this.appPolicies = layout.map((_, i) => {
      const policy = new aws.iam.Policy(
        `${name}-deploy-app-${i + 1}`,
        {
          name: names.appPolicy(i + 1),
          path,
          description: `silkroute ${env}: the China deploy group's app stacks (${i + 1} of ${layout.length}), generated from the app`,
          policy: scope.apply((s) => {
            const document = itemAt(
              packStatements(chinaUserAppStatements(s), layout),
              i,
              "China app policy",
            );
            const problems = auditPolicyDocument(document, [], MAX_MANAGED_POLICY_CHARS);
            if (problems.length > 0) {
              throw new pulumi.ResourceError(
                `the China deploy group's app policy ${i + 1} fails the audit: ${problems.join("; ")}`,
                this,
              );
            }
            return JSON.stringify(document);
          }),
        },
        child,
      );
      new aws.iam.GroupPolicyAttachment(
        `${name}-deploy-app-${i + 1}`,
        { group: this.group.name, policyArn: policy.arn },
        child,
      );
      return policy;
    });

    this.bucketName = this.bucket.bucketName;
    this.bucketArn = this.bucket.arn;
    this.keyArn = this.key.arn;
    this.userName = this.user.name;
    this.userArn = this.user.arn;
    this.registerOutputs({
      bucketName: this.bucketName,
      bucketArn: this.bucketArn,
      keyArn: this.keyArn,
      userName: this.userName,
      userArn: this.userArn,
    });
  }
}
