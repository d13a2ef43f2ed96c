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
  return name[0].toUpperCase() + name.slice(1);
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

/** A stack policy: every bucket needs a sibling of some type that satisfies `ok`. */
function bucketSiblingPolicy(spec: {
  name: string;
  description: string;
  controls: readonly string[];
  sibling: string;
  ok: (sibling: PlannedResource) => boolean;
  missing: string;
}): Policy {
  const types = sibling(spec.sibling);
  return {
    name: spec.name,
    description: spec.description,
    controls: spec.controls,
    validateStack: (resources) => {
      const violations: Violation[] = [];
      for (const bucket of resources.filter((r) => BUCKET_TYPES.includes(r.type))) {
        if (!siblingsOf(bucket, resources, types).some(spec.ok)) {
          violations.push({
            policy: spec.name,
            urn: bucket.urn,
            message: `${spec.missing}; make every bucket a SecureBucket (components/secureBucket.ts)`,
          });
        }
      }
      return violations;
    },
  };
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
    description: "Every bucket encrypts by default with SSE-KMS and a given key.",
    controls: ["S3.17 (NIST 800-53)"],
    sibling: "bucketServerSideEncryptionConfiguration",
    ok: (r) =>
      Array.isArray(r.inputs.rules) &&
      r.inputs.rules.some((rule) => {
        const byDefault = get(rule, "applyServerSideEncryptionByDefault");
        const algorithm = get(byDefault, "sseAlgorithm");
        return (
          (algorithm === "aws:kms" || algorithm === "aws:kms:dsse") &&
          typeof get(byDefault, "kmsMasterKeyId") === "string" &&
          get(byDefault, "kmsMasterKeyId") !== ""
        );
      }),
    missing: "has no default encryption with sseAlgorithm aws:kms and a kmsMasterKeyId",
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
];
