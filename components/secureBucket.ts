import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";

export interface SecureBucketArgs {
  /** ARN of the customer managed KMS key that encrypts every object (SSE-KMS). */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Physical bucket name. @default auto-named from the resource name */
  readonly bucketName?: pulumi.Input<string>;
  /** Days a noncurrent object version is kept before it expires. @default 90 */
  readonly noncurrentVersionDays?: number;
  /** Statements added to the bucket policy after the deny-non-TLS statement. @default none */
  readonly policyStatements?: pulumi.Input<pulumi.Input<PolicyStatement>[]>;
  /** Tags for the bucket. @default none */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: unknown;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, unknown>;
}

/** Validates SecureBucket args; returns the problem or undefined. */
export function validateSecureBucketArgs(args: SecureBucketArgs): string | undefined {
  const days = args.noncurrentVersionDays;
  if (days !== undefined && (!Number.isInteger(days) || days < 1)) {
    return `noncurrentVersionDays must be a whole number of days >= 1, got ${days}`;
  }
  return undefined;
}

/**
 * An S3 bucket hardened per AWS Foundational Security Best Practices: all
 * four public-access blocks, SSE-KMS with a customer key and bucket keys,
 * versioning, TLS-only bucket policy, ACLs disabled (BucketOwnerEnforced),
 * noncurrent versions and incomplete uploads expired. Every bucket silkroute
 * creates is one of these.
 */
export class SecureBucket extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  readonly bucketName: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;

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
            applyServerSideEncryptionByDefault: {
              sseAlgorithm: "aws:kms",
              kmsMasterKeyId: args.kmsKeyArn,
            },
            bucketKeyEnabled: true,
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
          Statement: pulumi
            .all([this.bucket.arn, args.policyStatements ?? []])
            .apply(([arn, extra]) => [
              {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [arn, `${arn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
              },
              ...extra,
            ]),
        }),
      },
      // A bucket policy is refused while the public-access block is being set.
      { parent: this, dependsOn: [publicAccess] },
    );

    this.bucketName = this.bucket.bucket;
    this.arn = this.bucket.arn;
    this.registerOutputs({ bucketName: this.bucketName, arn: this.arn });
  }
}
