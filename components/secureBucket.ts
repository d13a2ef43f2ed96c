import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";

export interface SecureBucketArgs {
  /** ARN of the customer managed KMS key that encrypts every object (SSE-KMS). */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Physical bucket name. @default auto-named from the resource name */
  readonly bucketName?: pulumi.Input<string>;
  /** Days a noncurrent object version is kept before it expires. @default 90 */
  readonly noncurrentVersionDays?: number;
  /**
   * Folders whose objects expire: each a lifecycle rule of its own beside the
   * bucket-wide one (a bucket has one lifecycle configuration).
   * @default none: current objects never expire
   */
  readonly expirations?: readonly PrefixExpiration[];
  /**
   * Statements added to the bucket policy after the deny-non-TLS statement,
   * given the bucket's ARN. @default none
   */
  readonly policyStatements?: (bucketArn: string) => pulumi.Input<pulumi.Input<PolicyStatement>[]>;
  /** Tags for the bucket. @default none */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Where the bucket's server access logs go (FSBP S3.9): a target of the
   * AccessLogBucket of its account and Region. No default: every bucket that
   * holds data says where its requests are logged.
   */
  readonly accessLogs: AccessLogTarget;
}

/** A log bucket and the folder of one bucket's server access logs in it. */
export interface AccessLogTarget {
  /** Name of the log bucket, in the same account and Region. */
  readonly bucket: pulumi.Input<string>;
  /** Folder of this bucket's logs, e.g. `state/` (components/naming.ts). */
  readonly prefix: string;
}

/** What validateSecureBucketArgs checks: the args, with or without the access log target. */
export type SecureBucketSettings = Omit<SecureBucketArgs, "accessLogs"> & {
  readonly accessLogs?: AccessLogTarget;
};

/** Objects under a key prefix expire some days after they were written. */
export interface PrefixExpiration {
  /** Lifecycle rule id, e.g. `expire-pipeline-artifacts`. */
  readonly id: string;
  /** Key prefix, e.g. `silkroute/` (a folder: ends with `/`). */
  readonly prefix: string;
  /** Days after its last write an object becomes noncurrent. */
  readonly days: number;
}

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: unknown;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, unknown>;
}

/** A key prefix that names a folder: `pipeline/`, not `/pipeline` or `pipeline`. */
export function isFolder(prefix: string): boolean {
  return /^[^/].*\/$/.test(prefix);
}

/** Validates SecureBucket args; returns the problem or undefined. */
export function validateSecureBucketArgs(args: SecureBucketSettings): string | undefined {
  const days = args.noncurrentVersionDays;
  if (days !== undefined && (!Number.isInteger(days) || days < 1)) {
    return `noncurrentVersionDays must be a whole number of days >= 1, got ${days}`;
  }
  for (const e of args.expirations ?? []) {
    if (!Number.isInteger(e.days) || e.days < 1) {
      return `expirations ${e.id} must expire after a whole number of days >= 1, got ${e.days}`;
    }
    if (!isFolder(e.prefix)) {
      return `expirations ${e.id} must name a folder such as pipeline/, got ${JSON.stringify(e.prefix)}`;
    }
  }
  if (args.accessLogs !== undefined && !isFolder(args.accessLogs.prefix)) {
    return `accessLogs.prefix must name a folder such as state/, got ${JSON.stringify(args.accessLogs.prefix)}`;
  }
  return undefined;
}

/** The statement that denies every request to a bucket and its objects not made over TLS (FSBP S3.5). */
export function denyInsecureTransport(bucketArn: string): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/**
 * What every bucket of silkroute has beside it, data or log bucket: all four
 * public-access blocks, ACLs disabled (BucketOwnerEnforced), default
 * encryption (bucket keys with SSE-KMS) and versioning, as children of `parent`.
 */
export function bucketBaseline(
  name: string,
  bucket: pulumi.Input<string>,
  parent: pulumi.Resource,
  encryption:
    { sseAlgorithm: "aws:kms"; kmsMasterKeyId: pulumi.Input<string> } | { sseAlgorithm: "AES256" },
): { publicAccess: aws.s3.BucketPublicAccessBlock; versioning: aws.s3.BucketVersioning } {
  const child = { parent };
  const publicAccess = new aws.s3.BucketPublicAccessBlock(
    `${name}-public-access`,
    {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    child,
  );
  new aws.s3.BucketOwnershipControls(
    `${name}-ownership`,
    { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } },
    child,
  );
  new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}-encryption`,
    {
      bucket,
      rules: [
        {
          applyServerSideEncryptionByDefault: encryption,
          ...(encryption.sseAlgorithm === "aws:kms" && { bucketKeyEnabled: true }),
        },
      ],
    },
    child,
  );
  const versioning = new aws.s3.BucketVersioning(
    `${name}-versioning`,
    { bucket, versioningConfiguration: { status: "Enabled" } },
    child,
  );
  return { publicAccess, versioning };
}

/**
 * An S3 bucket hardened per AWS Foundational Security Best Practices: all
 * four public-access blocks, SSE-KMS with a customer key and bucket keys,
 * versioning, TLS-only bucket policy, ACLs disabled (BucketOwnerEnforced),
 * noncurrent versions and incomplete uploads expired, and the objects of the
 * folders given in `expirations` too; its server access logs go to
 * `accessLogs`. Every bucket silkroute creates is one of these, but for the
 * log buckets (AccessLogBucket).
 */
export class SecureBucket extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  readonly bucketName: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;
  readonly accessLogs: AccessLogTarget;

  constructor(name: string, args: SecureBucketArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("silkroute:storage:SecureBucket", name, {}, opts);
    const problem = validateSecureBucketArgs(args);
    if (problem) throw new pulumi.ResourceError(problem, this);
    const child = { parent: this };

    this.bucket = new aws.s3.Bucket(
      name,
      { bucket: args.bucketName, forceDestroy: false, tags: args.tags },
      child,
    );
    const bucket = this.bucket.id;

    const { publicAccess, versioning } = bucketBaseline(name, bucket, this, {
      sseAlgorithm: "aws:kms",
      kmsMasterKeyId: args.kmsKeyArn,
    });
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket,
        rules: [
          {
            id: "expire-noncurrent-versions",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionDays ?? 90 },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
          // An expired object leaves a noncurrent version behind: it goes a
          // day later (the shortest of overlapping rules applies), for these
          // folders hold what can be made again, not what needs a recovery window.
          ...(args.expirations ?? []).map((e) => ({
            id: e.id,
            status: "Enabled",
            filter: { prefix: e.prefix },
            expiration: { days: e.days },
            noncurrentVersionExpiration: { noncurrentDays: 1 },
          })),
        ],
      },
      { parent: this, dependsOn: [versioning] },
    );
    new aws.s3.BucketPolicy(
      `${name}-policy`,
      {
        bucket,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: this.bucket.arn
            .apply((arn) => pulumi.all([arn, args.policyStatements?.(arn) ?? []]))
            .apply(([arn, extra]) => [denyInsecureTransport(arn), ...extra]),
        }),
      },
      // A bucket policy is refused while the public-access block is being set.
      { parent: this, dependsOn: [publicAccess] },
    );

    new aws.s3.BucketLogging(
      `${name}-access-logs`,
      {
        bucket,
        targetBucket: args.accessLogs.bucket,
        targetPrefix: args.accessLogs.prefix,
      },
      child,
    );

    this.bucketName = this.bucket.bucket;
    this.arn = this.bucket.arn;
    this.accessLogs = args.accessLogs;
    this.registerOutputs({ bucketName: this.bucketName, arn: this.arn });
  }
}
