import { ACCESS_LOG_BUCKET_TAG } from "../../components/naming";
import { partitionOf } from "../../components/partition";
import { Policy, runPolicies } from "../../automation/policies";
import { PlannedResource, Violation } from "../../automation/plan/types";

let counter = 0;

/**
 * A small PlannedResource for policy tests: in us-east-1 with an explicit
 * provider unless told otherwise; `name` defaults to a unique one.
 */
export function planned(
  type: string,
  inputs: Record<string, unknown> = {},
  overrides: Partial<PlannedResource> = {},
): PlannedResource {
  const name = overrides.name ?? `${type.split(":").pop()?.toLowerCase()}-${++counter}`;
  const region = overrides.region === undefined ? "us-east-1" : overrides.region;
  return {
    urn: `urn:pulumi:test::silkroute::${type}::${name}`,
    id: name,
    type,
    name,
    parent: null,
    region,
    partition: region === null ? null : partitionOf(region),
    provider: `urn:pulumi:test::silkroute::pulumi:providers:aws::${region ?? "none"}`,
    custom: true,
    inputs,
    ...overrides,
  };
}

/** The same resource in cn-north-1 (aws-cn). */
export function inChina(r: PlannedResource): PlannedResource {
  return { ...r, region: "cn-north-1", partition: "aws-cn" };
}

/** The same resource with some inputs replaced. */
export function withInputs(r: PlannedResource, inputs: Record<string, unknown>): PlannedResource {
  return { ...r, inputs: { ...r.inputs, ...inputs } };
}

/** A policy document as the plan records it: JSON text. */
export function policyJson(...statements: Record<string, unknown>[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** Violations of one policy. */
export function violations(policy: Policy, ...resources: PlannedResource[]): Violation[] {
  return runPolicies(resources, [policy]);
}

/** Messages of one policy. */
export function messages(policy: Policy, ...resources: PlannedResource[]): string[] {
  return violations(policy, ...resources).map((v) => v.message);
}

/** A policy of a list by name (fails when missing). */
export function policyNamed(policies: readonly Policy[], name: string): Policy {
  const found = policies.find((p) => p.name === name);
  if (!found) throw new Error(`no policy ${name}`);
  return found;
}

/** The physical name of the log bucket secureBucketFixture's buckets log into unless told. */
export const FIXTURE_LOG_BUCKET = "access-logs-abc1234";

/**
 * A bucket and the siblings SecureBucket creates, as the mock engine records
 * them: each sibling's `bucket` input is the bucket's id (its physical name).
 * It logs into `logBucket` (by default one outside the fixture).
 */
export function secureBucketFixture(
  name = "artifacts",
  logBucket = FIXTURE_LOG_BUCKET,
): {
  bucket: PlannedResource;
  siblings: Record<
    "publicAccess" | "encryption" | "versioning" | "ownership" | "policy" | "logging",
    PlannedResource
  >;
  all: () => PlannedResource[];
} {
  const physical = `${name}-abc1234`;
  const bucket = planned("aws:s3/bucket:Bucket", { forceDestroy: false }, { name, id: physical });
  const arn = `arn:aws:s3:::${physical}`;
  const siblings = {
    publicAccess: planned("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", {
      bucket: physical,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    }),
    encryption: planned(
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      {
        bucket: physical,
        rules: [
          {
            applyServerSideEncryptionByDefault: {
              sseAlgorithm: "aws:kms",
              kmsMasterKeyId: "arn:aws:kms:us-east-1:123456789012:key/k",
            },
            bucketKeyEnabled: true,
          },
        ],
      },
    ),
    versioning: planned("aws:s3/bucketVersioning:BucketVersioning", {
      bucket: physical,
      versioningConfiguration: { status: "Enabled" },
    }),
    ownership: planned("aws:s3/bucketOwnershipControls:BucketOwnershipControls", {
      bucket: physical,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    }),
    policy: planned("aws:s3/bucketPolicy:BucketPolicy", {
      bucket: physical,
      policy: policyJson({
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [arn, `${arn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
    }),
    logging: planned("aws:s3/bucketLogging:BucketLogging", {
      bucket: physical,
      targetBucket: logBucket,
      targetPrefix: `${name}/`,
    }),
  };
  return { bucket, siblings, all: () => [bucket, ...Object.values(siblings)] };
}

/**
 * A log bucket as AccessLogBucket creates it (tagged, SSE-S3, logging nowhere)
 * and a data bucket (secureBucketFixture) that logs into it.
 */
export function accessLogBucketFixture(): {
  logBucket: PlannedResource;
  logSiblings: Record<
    "publicAccess" | "encryption" | "versioning" | "ownership" | "policy",
    PlannedResource
  >;
  source: ReturnType<typeof secureBucketFixture>;
  all: () => PlannedResource[];
} {
  const base = secureBucketFixture("logs");
  const logBucket = withInputs(base.bucket, {
    tags: { [ACCESS_LOG_BUCKET_TAG.key]: ACCESS_LOG_BUCKET_TAG.value },
  });
  const { publicAccess, versioning, ownership, policy } = base.siblings;
  const encryption = withInputs(base.siblings.encryption, {
    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
  });
  const logSiblings = { publicAccess, encryption, versioning, ownership, policy };
  const source = secureBucketFixture("state", String(logBucket.id));
  return {
    logBucket,
    logSiblings,
    source,
    all: () => [logBucket, ...Object.values(logSiblings), ...source.all()],
  };
}
