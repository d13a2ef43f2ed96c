import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { endpointHost, iamArn, Partition } from "./partition";

export interface EncryptionKeyArgs {
  /** Alias name without the `alias/` prefix, e.g. `silkroute-artifacts-us-east-1`. */
  readonly aliasName: string;
  /** IAM principals (role ARNs) allowed to encrypt and decrypt with the key. */
  readonly userArns: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Let IAM policies of the account grant use of the key too: for a key that
   * people and roles outside this stack use (the SSM parameter key the china
   * stack writes with), and for grants with conditions the key policy cannot
   * name (`kms:ViaService`). @default false: only `userArns` use the key
   */
  readonly usableThroughIam?: boolean;
  /**
   * Statements added to the key policy after the account's and the users'
   * (`Resource: "*"`, which in a key policy means this key): conditioned
   * grants to other accounts, or Denies that hold whatever an IAM policy
   * says. @default none
   */
  readonly policyStatements?: pulumi.Input<pulumi.Input<object>[]>;
  /**
   * `userArns` use the key only on their behalf through S3 in `region` for
   * `bucketArn` (kms:ViaService, and the encryption context S3 sends: the
   * bucket's ARN with S3 Bucket Keys, an object's without), or through
   * CodeBuild in `region` (its own use of a project's key); never by calling
   * KMS themselves. DescribeKey stays unconditioned. @default none: the users
   * call KMS directly
   */
  readonly usersThrough?: { readonly region: string; readonly bucketArn: pulumi.Input<string> };
  /** What the key protects, shown in the KMS console. @default "silkroute <aliasName>" */
  readonly description?: string;
  /** Waiting period before a scheduled deletion, 7 to 30 days. @default 30 */
  readonly deletionWindowInDays?: number;
  /** Tags for the key. @default none */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * Key-administration actions the account keeps. Explicit rather than
 * `kms:Create*`/`kms:*`: no encrypt, decrypt or kms:CreateGrant, so use is
 * granted to `userArns` only (unless usableThroughIam). An administrator can
 * still rewrite the key policy (kms:PutKeyPolicy): that is what keeps a key
 * from becoming unmanageable, and it is audited in CloudTrail.
 */
export const KEY_ADMIN_ACTIONS: readonly string[] = [
  "kms:CancelKeyDeletion",
  "kms:CreateAlias",
  "kms:DeleteAlias",
  "kms:DescribeKey",
  "kms:DisableKey",
  "kms:DisableKeyRotation",
  "kms:EnableKey",
  "kms:EnableKeyRotation",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListGrants",
  "kms:ListKeyPolicies",
  "kms:ListResourceTags",
  "kms:PutKeyPolicy",
  "kms:RevokeGrant",
  "kms:RotateKeyOnDemand",
  "kms:ScheduleKeyDeletion",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateAlias",
  "kms:UpdateKeyDescription",
];

/** What the key's users may do with it: envelope encryption, nothing more. */
export const KEY_USAGE_ACTIONS: readonly string[] = [
  "kms:Decrypt",
  "kms:DescribeKey",
  "kms:Encrypt",
  "kms:GenerateDataKey",
];

/** The actions KEY_USAGE_ACTIONS names that use the key's material. */
const CRYPTO_ACTIONS = KEY_USAGE_ACTIONS.filter((a) => a !== "kms:DescribeKey");

/**
 * The users' statements when they may use the key only through S3 for one
 * bucket, or through CodeBuild (CodeBuild's key policy for a project key
 * grants its service role the key beside the S3 use; a service acting for a
 * caller sets kms:ViaService).
 */
function usageThrough(
  users: readonly string[],
  through: { readonly region: string; readonly bucketArn: string },
): object[] {
  const principal = { AWS: [...users] };
  const via = (service: string) => endpointHost(service, through.region);
  return [
    {
      Sid: "KeyDescription",
      Effect: "Allow",
      Principal: principal,
      Action: ["kms:DescribeKey"],
      Resource: "*",
    },
    {
      Sid: "KeyUsageThroughS3",
      Effect: "Allow",
      Principal: principal,
      Action: [...CRYPTO_ACTIONS],
      Resource: "*",
      Condition: {
        StringEquals: { "kms:ViaService": via("s3") },
        StringLike: {
          "kms:EncryptionContext:aws:s3:arn": [through.bucketArn, `${through.bucketArn}/*`],
        },
      },
    },
    {
      Sid: "KeyUsageThroughCodeBuild",
      Effect: "Allow",
      Principal: principal,
      Action: [...CRYPTO_ACTIONS],
      Resource: "*",
      Condition: { StringEquals: { "kms:ViaService": via("codebuild") } },
    },
  ];
}

/**
 * The key policy: the account administers the key, `userArns` use it
 * (only through S3 for one bucket, or CodeBuild, with `usersThrough`).
 * In a key policy `Resource: "*"` means "this key" (the only form KMS accepts).
 */
export function keyPolicy(
  partition: Partition,
  accountId: string,
  userArns: readonly string[],
  usableThroughIam = false,
  extraStatements: readonly object[] = [],
  usersThrough?: { readonly region: string; readonly bucketArn: string },
) {
  const statements: object[] = [
    {
      Sid: "KeyAdministration",
      Effect: "Allow",
      Principal: { AWS: iamArn(partition, accountId, "root") },
      Action: [...KEY_ADMIN_ACTIONS],
      Resource: "*",
    },
  ];
  if (userArns.length > 0 && usersThrough !== undefined) {
    statements.push(...usageThrough(userArns, usersThrough));
  } else if (userArns.length > 0) {
    statements.push({
      Sid: "KeyUsage",
      Effect: "Allow",
      Principal: { AWS: [...userArns] },
      Action: [...KEY_USAGE_ACTIONS],
      Resource: "*",
    });
  }
  if (usableThroughIam) {
    statements.push({
      Sid: "KeyUsageThroughIam",
      Effect: "Allow",
      Principal: { AWS: iamArn(partition, accountId, "root") },
      Action: [...KEY_USAGE_ACTIONS],
      Resource: "*",
    });
  }
  return { Version: "2012-10-17", Statement: [...statements, ...extraStatements] };
}

const ALIAS_NAME = /^[a-zA-Z0-9/_-]{1,250}$/;

/** Validates EncryptionKey args; returns the problem or undefined. */
export function validateEncryptionKeyArgs(args: EncryptionKeyArgs): string | undefined {
  const alias = args.aliasName;
  if (alias.startsWith("alias/")) {
    return `aliasName is given without the alias/ prefix, got ${alias}: use ${alias.slice(6)}`;
  }
  if (!ALIAS_NAME.test(alias) || alias.startsWith("aws/")) {
    return `aliasName must be 1-250 letters, digits, '/', '_' or '-' and not start with aws/, got ${alias}`;
  }
  const days = args.deletionWindowInDays;
  if (days !== undefined && (!Number.isInteger(days) || days < 7 || days > 30)) {
    return `deletionWindowInDays must be a whole number from 7 to 30, got ${days}`;
  }
  if (Array.isArray(args.userArns) && args.userArns.length === 0 && !args.usableThroughIam) {
    return `userArns must name at least one principal that uses the key ${alias}`;
  }
  return undefined;
}

/**
 * A customer managed KMS key with yearly automatic rotation, a 30-day deletion
 * window, an alias, and a key policy that separates administration (the
 * account) from use (the given roles).
 */
export class EncryptionKey extends pulumi.ComponentResource {
  readonly key: aws.kms.Key;
  readonly arn: pulumi.Output<string>;
  readonly keyId: pulumi.Output<string>;
  /** `alias/<aliasName>`. */
  readonly aliasName: pulumi.Output<string>;
  readonly aliasArn: pulumi.Output<string>;

  constructor(name: string, args: EncryptionKeyArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("silkroute:security:EncryptionKey", name, {}, opts);
    const problem = validateEncryptionKeyArgs(args);
    if (problem) throw new pulumi.ResourceError(problem, this);

    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const through = args.usersThrough;
    const policy = pulumi
      .all([
        partition,
        accountId,
        args.userArns,
        args.policyStatements ?? [],
        through === undefined ? undefined : pulumi.output(through.bucketArn),
      ])
      .apply(([p, account, users, extra, bucketArn]) =>
        keyPolicy(
          p as Partition,
          account,
          users,
          args.usableThroughIam,
          extra,
          through === undefined || bucketArn === undefined
            ? undefined
            : { region: through.region, bucketArn },
        ),
      );

    this.key = new aws.kms.Key(
      `${name}-key`,
      {
        description: args.description ?? `silkroute ${args.aliasName}`,
        enableKeyRotation: true,
        deletionWindowInDays: args.deletionWindowInDays ?? 30,
        policy: pulumi.jsonStringify(policy),
        tags: args.tags,
      },
      { parent: this },
    );
    const alias = new aws.kms.Alias(
      `${name}-alias`,
      { name: `alias/${args.aliasName}`, targetKeyId: this.key.keyId },
      { parent: this },
    );

    this.arn = this.key.arn;
    this.keyId = this.key.keyId;
    this.aliasName = alias.name;
    this.aliasArn = alias.arn;
    this.registerOutputs({
      arn: this.arn,
      keyId: this.keyId,
      aliasName: this.aliasName,
      aliasArn: this.aliasArn,
    });
  }
}
