import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { ACCESS_LOG_BUCKET_TAG } from "./naming";
import { Partition, S3_LOG_DELIVERY, servicePrincipal } from "./partition";
import {
  AccessLogTarget,
  bucketBaseline,
  denyInsecureTransport,
  isFolder,
  PolicyStatement,
  SecureBucket,
} from "./secureBucket";

export interface AccessLogBucketArgs {
  /** Days a log object is kept before it expires. @default 365 */
  readonly retentionDays?: number;
  /** Days the noncurrent version a deleted or expired log object leaves is kept. @default 90 */
  readonly noncurrentVersionDays?: number;
}

export const DEFAULT_ACCESS_LOG_RETENTION_DAYS = 365;

/** Validates AccessLogBucket args; returns the problem or undefined. */
export function validateAccessLogBucketArgs(args: AccessLogBucketArgs): string | undefined {
  for (const key of ["retentionDays", "noncurrentVersionDays"] as const) {
    const days = args[key];
    if (days !== undefined && (!Number.isInteger(days) || days < 1)) {
      return `${key} must be a whole number of days >= 1, got ${days}`;
    }
  }
  return undefined;
}

/** A bucket whose server access logs are delivered into a log bucket, under its own folder. */
export interface AccessLogSource {
  /** The folder its logs go to, e.g. `state/`. */
  readonly prefix: string;
  /** The ARN of the bucket whose requests are logged. */
  readonly bucketArn: string;
}

/**
 * A log bucket's policy: TLS only, and per source one statement that lets the
 * S3 log delivery service of the partition put objects into that source's
 * folder only, for that source bucket (`aws:SourceArn`) of this account
 * (`aws:SourceAccount`) only. No one else is allowed anything.
 */
export function accessLogBucketPolicy(args: {
  partition: Partition;
  bucketArn: string;
  account: string;
  sources: readonly AccessLogSource[];
}): { Version: string; Statement: PolicyStatement[] } {
  return {
    Version: "2012-10-17",
    Statement: [
      denyInsecureTransport(args.bucketArn),
      ...args.sources.map((source, i): PolicyStatement => ({
        Sid: `S3ServerAccessLogs${i}`,
        Effect: "Allow",
        Principal: { Service: servicePrincipal(S3_LOG_DELIVERY, args.partition) },
        Action: "s3:PutObject",
        Resource: `${args.bucketArn}/${source.prefix}*`,
        Condition: {
          ArnLike: { "aws:SourceArn": source.bucketArn },
          StringEquals: { "aws:SourceAccount": args.account },
        },
      })),
    ],
  };
}

/**
 * The bucket the server access logs of the buckets of one account and Region
 * go to (FSBP S3.9). S3 delivers them only into a bucket encrypted with SSE-S3
 * (not SSE-KMS), without Object Lock, so this is not a SecureBucket: it has
 * SSE-S3 default encryption, all four public-access blocks, ACLs disabled
 * (the delivery is granted by the bucket policy, which BucketOwnerEnforced
 * requires), versioning, and a lifecycle that expires logs after
 * `retentionDays`. It logs nowhere itself. Tagged as a log bucket, which the
 * policy rules look for.
 *
 * Each source gets a folder from `target(prefix)` to pass to its SecureBucket;
 * `allowDeliveryFrom` then writes the bucket policy for exactly those buckets.
 */
export class AccessLogBucket extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  readonly bucketName: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;
  private readonly name: string;
  private readonly publicAccess: aws.s3.BucketPublicAccessBlock;
  private readonly targets: AccessLogTarget[] = [];
  private policy?: aws.s3.BucketPolicy;

  constructor(
    name: string,
    args: AccessLogBucketArgs = {},
    opts: pulumi.ComponentResourceOptions = {},
  ) {
    super("silkroute:storage:AccessLogBucket", name, {}, opts);
    const problem = validateAccessLogBucketArgs(args);
    if (problem) throw new pulumi.ResourceError(problem, this);
    const child = { parent: this };
    this.name = name;

    this.bucket = new aws.s3.Bucket(
      name,
      {
        forceDestroy: false,
        tags: { [ACCESS_LOG_BUCKET_TAG.key]: ACCESS_LOG_BUCKET_TAG.value },
      },
      child,
    );
    const bucket = this.bucket.id;

    // S3 server access logging writes only to SSE-S3 (AES256) buckets.
    const { publicAccess, versioning } = bucketBaseline(name, bucket, this, {
      sseAlgorithm: "AES256",
    });
    this.publicAccess = publicAccess;
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket,
        rules: [
          {
            id: "expire-access-logs",
            status: "Enabled",
            filter: {},
            expiration: { days: args.retentionDays ?? DEFAULT_ACCESS_LOG_RETENTION_DAYS },
            noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionDays ?? 90 },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
        ],
      },
      { parent: this, dependsOn: [versioning] },
    );

    this.bucketName = this.bucket.bucket;
    this.arn = this.bucket.arn;
    this.registerOutputs({ bucketName: this.bucketName, arn: this.arn });
  }

  /** Where one bucket logs into this one: its own folder (`state/`), given once. */
  target(prefix: string): AccessLogTarget {
    if (!isFolder(prefix)) {
      throw new pulumi.ResourceError(
        `access log folder must be a folder such as state/, got ${JSON.stringify(prefix)}`,
        this,
      );
    }
    if (this.targets.some((t) => t.prefix === prefix)) {
      throw new pulumi.ResourceError(
        `access log folder ${prefix} is already another bucket's: give each bucket its own`,
        this,
      );
    }
    const target = { bucket: this.bucketName, prefix };
    this.targets.push(target);
    return target;
  }

  /**
   * Writes the bucket policy that lets these buckets' logs in, each into its
   * folder. Call it once, with every bucket a target was given to: a bucket
   * left out would have its logs refused.
   */
  allowDeliveryFrom(sources: readonly SecureBucket[]): aws.s3.BucketPolicy {
    const problem = this.deliveryProblem(sources);
    if (problem) throw new pulumi.ResourceError(problem, this);
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    this.policy = new aws.s3.BucketPolicy(
      `${this.name}-policy`,
      {
        bucket: this.bucket.id,
        policy: pulumi
          .all([partition, this.arn, account, ...sources.map((s) => s.arn)])
          .apply(([p, bucketArn, accountId, ...arns]) =>
            JSON.stringify(
              accessLogBucketPolicy({
                partition: p as Partition,
                // The first three of the list all() was given, then one ARN per source.
                bucketArn: bucketArn!,
                account: accountId!,
                sources: sources.map((s, i) => ({
                  prefix: s.accessLogs.prefix,
                  bucketArn: arns[i]!,
                })),
              }),
            ),
          ),
      },
      // A bucket policy is refused while the public-access block is being set.
      { parent: this, dependsOn: [this.publicAccess] },
    );
    return this.policy;
  }

  private deliveryProblem(sources: readonly SecureBucket[]): string | undefined {
    if (this.policy) return "allowDeliveryFrom was called twice: a bucket has one policy";
    const stranger = sources.find((s) => !this.targets.includes(s.accessLogs));
    if (stranger) {
      return `a bucket logging to ${stranger.accessLogs.prefix} of another log bucket was passed to allowDeliveryFrom`;
    }
    const left = this.targets.find((t) => !sources.some((s) => s.accessLogs === t));
    if (left) {
      return `the bucket given access log folder ${left.prefix} is missing from allowDeliveryFrom: its logs would be refused`;
    }
    return undefined;
  }
}
