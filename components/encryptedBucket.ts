import * as pulumi from "@pulumi/pulumi";
import { EncryptionKey, validateEncryptionKeyArgs } from "./encryptionKey";
import {
  AccessLogTarget,
  PolicyStatement,
  PrefixExpiration,
  SecureBucket,
  validateSecureBucketArgs,
} from "./secureBucket";

export interface EncryptedBucketArgs {
  /** Alias of the bucket's key, without `alias/`. */
  readonly aliasName: string;
  /** What the key protects, shown in the KMS console. @default "silkroute <aliasName>" */
  readonly description?: string;
  /**
   * Roles the key policy lets use the key. @default none: usableThroughIam
   * must be set then
   */
  readonly userArns?: pulumi.Input<pulumi.Input<string>[]>;
  /** Let IAM policies of the account grant use of the key too. @default false */
  readonly usableThroughIam?: boolean;
  /**
   * The Region in which `userArns` use the key only through S3 for this
   * bucket, or through CodeBuild (EncryptionKeyArgs.usersThrough).
   * @default none: they call KMS directly
   */
  readonly usersThroughS3In?: string;
  /** Key policy statements after the account's and the users', given the bucket's ARN. @default none */
  readonly keyPolicyStatements?: (
    bucketArn: pulumi.Output<string>,
  ) => pulumi.Input<pulumi.Input<object>[]>;
  /** Bucket policy statements after the TLS-only one, given the bucket's ARN. @default none */
  readonly bucketPolicyStatements?: (
    bucketArn: string,
  ) => pulumi.Input<pulumi.Input<PolicyStatement>[]>;
  /** Days noncurrent object versions are kept. @default 90 (SecureBucket's) */
  readonly noncurrentVersionDays?: number;
  /** Folders whose objects expire. @default none */
  readonly expirations?: readonly PrefixExpiration[];
  /** Tags for the bucket and the key. @default none */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Where the bucket's server access logs go: a target of its account and Region's AccessLogBucket. */
  readonly accessLogs: AccessLogTarget;
}

/** Validates EncryptedBucket args; returns the problem or undefined. */
export function validateEncryptedBucketArgs(args: EncryptedBucketArgs): string | undefined {
  return (
    validateEncryptionKeyArgs({
      aliasName: args.aliasName,
      userArns: args.userArns ?? [],
      usableThroughIam: args.usableThroughIam,
    }) ??
    validateSecureBucketArgs({
      kmsKeyArn: "",
      noncurrentVersionDays: args.noncurrentVersionDays,
      expirations: args.expirations,
      accessLogs: args.accessLogs,
    })
  );
}

/**
 * A SecureBucket encrypted with a customer managed key of its own
 * (EncryptionKey), whose policy may name the bucket. What the pipeline's
 * artifact stores and the Pulumi state backend are: each extends it under its
 * own type token, so their key and bucket keep the names and URNs
 * `<name>-key` and `<name>-bucket` under that component. A subclass registers
 * the outputs, its own and these.
 */
export abstract class EncryptedBucket extends pulumi.ComponentResource {
  readonly key: EncryptionKey;
  readonly bucket: SecureBucket;
  readonly bucketName: pulumi.Output<string>;
  readonly bucketArn: pulumi.Output<string>;
  readonly keyArn: pulumi.Output<string>;

  /**
   * @param problem what the subclass's validate function found in its own
   * args (covering validateEncryptedBucketArgs), thrown as this component's
   * error before anything is created
   */
  protected constructor(
    type: string,
    name: string,
    args: EncryptedBucketArgs,
    opts: pulumi.ComponentResourceOptions,
    problem: string | undefined,
  ) {
    super(type, name, {}, opts);
    if (problem) throw new pulumi.ResourceError(problem, this);

    // The key's policy may name the bucket, while the bucket needs the key
    // only for its encryption setting: the key is created first, on the
    // bucket's ARN to come.
    const [bucketArn, resolveBucketArn] = pulumi.deferredOutput<string>();
    const through = args.usersThroughS3In;
    this.key = new EncryptionKey(
      `${name}-key`,
      {
        aliasName: args.aliasName,
        description: args.description,
        userArns: args.userArns ?? [],
        usableThroughIam: args.usableThroughIam,
        usersThrough: through === undefined ? undefined : { region: through, bucketArn },
        policyStatements: args.keyPolicyStatements?.(bucketArn),
        tags: args.tags,
      },
      { parent: this },
    );
    this.bucket = new SecureBucket(
      `${name}-bucket`,
      {
        kmsKeyArn: this.key.arn,
        policyStatements: args.bucketPolicyStatements,
        noncurrentVersionDays: args.noncurrentVersionDays,
        expirations: args.expirations,
        tags: args.tags,
        accessLogs: args.accessLogs,
      },
      { parent: this },
    );
    resolveBucketArn(this.bucket.arn);

    this.bucketName = this.bucket.bucketName;
    this.bucketArn = this.bucket.arn;
    this.keyArn = this.key.arn;
  }
}
