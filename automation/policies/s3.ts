import { ACCESS_LOG_BUCKET_TAG } from "../../components/naming";
import { PlannedResource, Violation } from "../plan/types";
import { Policy } from "./types";
import { get, isKnown, Statement, statementsOf, stringsOf, UNKNOWN } from "./util";

/** Bucket types whose hardening lives in sibling resources (`bucket` input = the bucket). */
export const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];

const sibling = (name: string) => [
  `aws:s3/${name}:${pascal(name)}`,
  `aws:s3/${name}V2:${pascal(name)}V2`,
];
function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** The ways a sibling can point at a bucket: its id, its physical name, or (previews) its URN. */
export function bucketRefs(bucket: PlannedResource): Set<unknown> {
  const refs = new Set<unknown>([bucket.urn]);
  if (isKnown(bucket.id)) refs.add(bucket.id);
  if (isKnown(bucket.inputs.bucket)) refs.add(bucket.inputs.bucket);
  return refs;
}

/** The resources of some types whose `bucket` input points at the bucket. */
export function siblingsOf(
  bucket: PlannedResource,
  resources: readonly PlannedResource[],
  types: readonly string[],
): PlannedResource[] {
  const refs = bucketRefs(bucket);
  return resources.filter((r) => types.includes(r.type) && refs.has(r.inputs.bucket));
}

const LOGGING_TYPES = sibling("bucketLogging");

/** The bucket of the stack a reference (id, physical name or URN) points at. */
function bucketAt(ref: unknown, resources: readonly PlannedResource[]) {
  return resources.find((r) => BUCKET_TYPES.includes(r.type) && bucketRefs(r).has(ref));
}

/**
 * A server access log bucket (AccessLogBucket): tagged as one. The rules hold
 * it to a log bucket's terms (SSE-S3, no logging of its own) instead of a data
 * bucket's, and s3-access-logging makes sure buckets of the stack log into it.
 */
export function isLogBucket(bucket: PlannedResource): boolean {
  return get(bucket.inputs, "tags", ACCESS_LOG_BUCKET_TAG.key) === ACCESS_LOG_BUCKET_TAG.value;
}

/** The loggings of other buckets of the stack that deliver into this one. */
function loggingsInto(bucket: PlannedResource, resources: readonly PlannedResource[]) {
  const refs = bucketRefs(bucket);
  return resources.filter(
    (r) =>
      LOGGING_TYPES.includes(r.type) &&
      refs.has(r.inputs.targetBucket) &&
      !refs.has(r.inputs.bucket),
  );
}

/** What a log bucket must have instead, when a rule holds it to other terms than a data bucket. */
interface LogBucketTerms {
  ok: (sibling: PlannedResource) => boolean;
  missing: string;
}

/** A stack policy: every bucket needs a sibling of some type that satisfies `ok`. */
function bucketSiblingPolicy(spec: {
  name: string;
  description: string;
  controls: readonly string[];
  sibling: string;
  ok: (sibling: PlannedResource) => boolean;
  missing: string;
  logBucket?: LogBucketTerms;
}): Policy {
  const types = sibling(spec.sibling);
  return {
    name: spec.name,
    description: spec.description,
    controls: spec.controls,
    validateStack: (resources) => {
      const violations: Violation[] = [];
      for (const bucket of resources.filter((r) => BUCKET_TYPES.includes(r.type))) {
        const terms =
          spec.logBucket && isLogBucket(bucket)
            ? { ...spec.logBucket, fix: "components/accessLogBucket.ts" }
            : { ...spec, fix: "make every bucket a SecureBucket (components/secureBucket.ts)" };
        if (!siblingsOf(bucket, resources, types).some(terms.ok)) {
          violations.push({
            policy: spec.name,
            urn: bucket.urn,
            message: `${terms.missing}; ${terms.fix}`,
          });
        }
      }
      return violations;
    },
  };
}

/** Whether an encryption configuration has a default (`applyServerSideEncryptionByDefault`) that satisfies `ok`. */
function encryptsWith(r: PlannedResource, ok: (byDefault: unknown) => boolean): boolean {
  return (
    Array.isArray(r.inputs.rules) &&
    r.inputs.rules.some((rule) => ok(get(rule, "applyServerSideEncryptionByDefault")))
  );
}

/**
 * FSBP S3.9: a bucket that holds data logs its requests into a log bucket;
 * not into itself, and not into a data bucket of the stack (S3 does not
 * deliver logs into an SSE-KMS bucket). A log bucket is exempt, but may not
 * log into itself, and some bucket of the stack logs into it (the tag alone
 * exempts nothing). A target outside the stack, or one a preview does not
 * know yet, is taken as given.
 */
const accessLogging: Policy = {
  name: "s3-access-logging",
  description:
    "Every bucket but a log bucket logs its requests (a BucketLogging with a targetBucket) into a log bucket; no bucket logs into itself; some bucket logs into each log bucket.",
  controls: ["S3.9"],
  validateStack: (resources) => {
    const violations: Violation[] = [];
    for (const bucket of resources.filter((r) => BUCKET_TYPES.includes(r.type))) {
      const problem = loggingProblem(bucket, resources);
      if (problem) {
        violations.push({ policy: "s3-access-logging", urn: bucket.urn, message: problem });
      }
    }
    return violations;
  },
};

const LOG_BUCKET_FIX = "(components/accessLogBucket.ts)";

function loggingProblem(
  bucket: PlannedResource,
  resources: readonly PlannedResource[],
): string | undefined {
  const refs = bucketRefs(bucket);
  const targets = siblingsOf(bucket, resources, LOGGING_TYPES)
    .map((l) => l.inputs.targetBucket)
    .filter((t) => typeof t === "string" && t !== "");
  if (targets.some((t) => refs.has(t))) {
    return `logs into itself: each log delivery would be logged again; log into the AccessLogBucket of its account and Region ${LOG_BUCKET_FIX}`;
  }
  if (isLogBucket(bucket)) {
    return loggingsInto(bucket, resources).length > 0
      ? undefined
      : `is tagged ${ACCESS_LOG_BUCKET_TAG.key}=${ACCESS_LOG_BUCKET_TAG.value} but no bucket of the stack logs into it: the tag exempts a bucket from a data bucket's terms only while it is a log bucket; remove the tag, or have buckets log into it ${LOG_BUCKET_FIX}`;
  }
  if (targets.length === 0) {
    return `has no server access logging (a BucketLogging with a targetBucket); give its SecureBucket accessLogs, a target of the AccessLogBucket of its account and Region ${LOG_BUCKET_FIX}`;
  }
  const intoData = targets
    .map((t) => bucketAt(t, resources))
    .filter((t): t is PlannedResource => t !== undefined && !isLogBucket(t));
  if (intoData.length === targets.length) {
    return `logs into ${intoData.map((t) => t.name).join(", ")}, which is no log bucket: S3 delivers access logs only into an SSE-S3 bucket that lets it in; log into an AccessLogBucket ${LOG_BUCKET_FIX}`;
  }
  return undefined;
}

const FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

/** A statement that denies every S3 action on requests not made over TLS. */
export function deniesInsecureTransport(s: Statement): boolean {
  const secure = get(s.Condition, "Bool", "aws:SecureTransport");
  const principal = s.Principal === "*" || stringsOf(get(s.Principal, "AWS")).includes("*");
  const actions = stringsOf(s.Action);
  return (
    s.Effect === "Deny" &&
    principal &&
    (secure === "false" || secure === false) &&
    (actions.includes("s3:*") || actions.includes("*"))
  );
}

export const S3_POLICIES: readonly Policy[] = [
  bucketSiblingPolicy({
    name: "s3-public-access-block",
    description: "Every bucket has a public access block with all four flags on.",
    controls: ["S3.8"],
    sibling: "bucketPublicAccessBlock",
    ok: (r) => FLAGS.every((f) => r.inputs[f] === true),
    missing: `has no public access block with ${FLAGS.join(", ")} all true`,
  }),
  bucketSiblingPolicy({
    name: "s3-encryption-kms",
    description:
      "Every bucket encrypts by default with SSE-KMS and a given key; a log bucket with SSE-S3, the only encryption S3 delivers access logs into.",
    controls: ["S3.17 (NIST 800-53)"],
    sibling: "bucketServerSideEncryptionConfiguration",
    ok: (r) =>
      encryptsWith(r, (byDefault) => {
        const algorithm = get(byDefault, "sseAlgorithm");
        return (
          (algorithm === "aws:kms" || algorithm === "aws:kms:dsse") &&
          typeof get(byDefault, "kmsMasterKeyId") === "string" &&
          get(byDefault, "kmsMasterKeyId") !== ""
        );
      }),
    missing: "has no default encryption with sseAlgorithm aws:kms and a kmsMasterKeyId",
    // S3 delivers server access logs only into a bucket whose default is SSE-S3.
    logBucket: {
      ok: (r) => encryptsWith(r, (byDefault) => get(byDefault, "sseAlgorithm") === "AES256"),
      missing:
        "is a log bucket without default encryption sseAlgorithm AES256 (SSE-S3), the only default S3 delivers server access logs into",
    },
  }),
  bucketSiblingPolicy({
    name: "s3-versioning",
    description: "Every bucket has versioning Enabled.",
    controls: ["S3.14 (NIST 800-53)"],
    sibling: "bucketVersioning",
    ok: (r) => get(r.inputs, "versioningConfiguration", "status") === "Enabled",
    missing: "has no versioning configuration with status Enabled",
  }),
  bucketSiblingPolicy({
    name: "s3-acls-disabled",
    description: "Every bucket disables ACLs (object ownership BucketOwnerEnforced).",
    controls: ["S3.12"],
    sibling: "bucketOwnershipControls",
    ok: (r) => get(r.inputs, "rule", "objectOwnership") === "BucketOwnerEnforced",
    missing: "has no ownership controls with objectOwnership BucketOwnerEnforced",
  }),
  bucketSiblingPolicy({
    name: "s3-tls-only",
    description: "Every bucket's policy denies requests where aws:SecureTransport is false.",
    controls: ["S3.5"],
    sibling: "bucketPolicy",
    // In a preview of new buckets the document embeds ARNs not known yet: it is
    // judged when it is known (`pulumi up` validates again), not failed unseen.
    ok: (r) =>
      r.inputs.policy === UNKNOWN || statementsOf(r.inputs.policy).some(deniesInsecureTransport),
    missing: 'has no bucket policy denying s3:* to "*" when aws:SecureTransport is false',
  }),
  accessLogging,
];
