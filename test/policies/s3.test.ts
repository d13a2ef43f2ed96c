import { S3_POLICIES } from "../../automation/policies/s3";
import { UNKNOWN } from "../../automation/policies/util";
import { runPolicies } from "../../automation/policies";
import { SecureBucket } from "../../components/secureBucket";
import { toPlannedStack } from "../../automation/plan/plan";
import { PlannedResource } from "../../automation/plan/types";
import * as aws from "../../components/aws";
import { TEST_ACCESS_LOGS } from "../helpers/accessLogs";
import { evaluate, providerFor } from "../helpers/pulumi";
import { AccessLogBucket } from "../../components/accessLogBucket";
import {
  accessLogBucketFixture,
  planned,
  policyJson,
  secureBucketFixture,
  withInputs,
} from "../helpers/planned";

const names = S3_POLICIES.map((p) => p.name);

describe("S3 hardening rules", () => {
  it("pass a bucket with every SecureBucket sibling", () => {
    // given
    const { all } = secureBucketFixture();
    // when / then
    expect(runPolicies(all(), S3_POLICIES)).toEqual([]);
  });

  it("pass a real SecureBucket as the mock engine records it, in China too", async () => {
    // given
    const stack = await evaluate(() => {
      const provider = providerFor("cn-north-1");
      const key = new aws.kms.Key("key", { enableKeyRotation: true }, { provider });
      new SecureBucket(
        "artifacts",
        { kmsKeyArn: key.arn, accessLogs: TEST_ACCESS_LOGS },
        { provider },
      );
      return {};
    });
    // when
    const { resources } = toPlannedStack(stack);
    // then
    expect(runPolicies(resources, S3_POLICIES)).toEqual([]);
  });

  it("flag a bare bucket once per rule, on the bucket", () => {
    const bucket = planned("aws:s3/bucket:Bucket", {}, { name: "bare" });
    const found = runPolicies([bucket], S3_POLICIES);
    expect(found.map((v) => v.policy)).toEqual(names);
    expect(new Set(found.map((v) => v.urn))).toEqual(new Set([bucket.urn]));
  });

  it("do not count the siblings of another bucket", () => {
    const { all } = secureBucketFixture("one");
    const other = planned("aws:s3/bucket:Bucket", {}, { name: "two", id: "two-xyz" });
    const found = runPolicies([...all(), other], S3_POLICIES);
    expect(found).toHaveLength(S3_POLICIES.length);
    expect(found.every((v) => v.urn === other.urn)).toBe(true);
  });

  it("match siblings by the bucket's given physical name", () => {
    const { bucket, all } = secureBucketFixture("named");
    const named = { ...bucket, id: null, inputs: { bucket: "named-abc1234" } };
    expect(runPolicies([named, ...all().slice(1)], S3_POLICIES)).toEqual([]);
  });

  it("leave a bucket policy whose document a preview does not know yet to be judged when known", () => {
    // given a new bucket's policy in a real engine's preview: it embeds the
    // bucket's ARN, so the whole document is unknown (the engine showed it)
    const fixture = secureBucketFixture();
    const previewed = withInputs(fixture.siblings.policy, { policy: UNKNOWN });
    const resources = fixture.all().map((r) => (r.urn === previewed.urn ? previewed : r));
    // when / then
    expect(runPolicies(resources, S3_POLICIES)).toEqual([]);
  });

  it.each([
    ["s3-public-access-block", "publicAccess", { restrictPublicBuckets: false }],
    [
      "s3-encryption-kms",
      "encryption",
      { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
    ],
    ["s3-versioning", "versioning", { versioningConfiguration: { status: "Suspended" } }],
    ["s3-acls-disabled", "ownership", { rule: { objectOwnership: "ObjectWriter" } }],
    [
      "s3-tls-only",
      "policy",
      { policy: policyJson({ Effect: "Allow", Principal: "*", Action: "s3:GetObject" }) },
    ],
    ["s3-access-logging", "logging", { targetBucket: "artifacts-abc1234" }],
  ] as const)("%s flags a weakened %s sibling", (policy, sibling, inputs) => {
    // given
    const fixture = secureBucketFixture();
    const weakened = withInputs(fixture.siblings[sibling], inputs);
    const resources = fixture.all().map((r) => (r.urn === weakened.urn ? weakened : r));
    // when
    const found = runPolicies(resources, S3_POLICIES);
    // then
    expect(found.map((v) => v.policy)).toEqual([policy]);
    expect(found[0].urn).toBe(fixture.bucket.urn);
  });
});

describe("s3-access-logging (FSBP S3.9) and the log bucket's terms", () => {
  const without = (resources: PlannedResource[], drop: PlannedResource) =>
    resources.filter((r) => r.urn !== drop.urn);

  it("passes a data bucket logging into a log bucket, and the SSE-S3 log bucket that logs nowhere", () => {
    // given
    const { all } = accessLogBucketFixture();
    // when / then
    expect(runPolicies(all(), S3_POLICIES)).toEqual([]);
  });

  it("flags a data bucket without server access logging, on that bucket", () => {
    // given a second source, and the first one's logging removed
    const { logBucket, source, all } = accessLogBucketFixture();
    const other = secureBucketFixture("artifacts", String(logBucket.id));
    // when
    const found = runPolicies(
      without([...all(), ...other.all()], source.siblings.logging),
      S3_POLICIES,
    );
    // then
    expect(found).toEqual([
      expect.objectContaining({ policy: "s3-access-logging", urn: source.bucket.urn }),
    ]);
    expect(found[0].message).toMatch(/^has no server access logging/);
  });

  it("flags a data bucket that logs into another data bucket of the stack", () => {
    // given state logging into the artifacts bucket, which is no log bucket
    const artifacts = secureBucketFixture("artifacts");
    const state = secureBucketFixture("state", String(artifacts.bucket.id));
    // when
    const found = runPolicies([...artifacts.all(), ...state.all()], S3_POLICIES);
    // then
    expect(found).toEqual([
      expect.objectContaining({ policy: "s3-access-logging", urn: state.bucket.urn }),
    ]);
    expect(found[0].message).toMatch(/^logs into artifacts, which is no log bucket/);
  });

  it("holds a log bucket to SSE-S3, which S3 delivers logs into, and not to SSE-KMS", () => {
    // given the log bucket encrypted as a data bucket is
    const { logBucket, logSiblings, all } = accessLogBucketFixture();
    const kms = secureBucketFixture("logs").siblings.encryption;
    const resources = all().map((r) => (r.urn === logSiblings.encryption.urn ? kms : r));
    // when
    const found = runPolicies(resources, S3_POLICIES);
    // then
    expect(found).toEqual([
      expect.objectContaining({ policy: "s3-encryption-kms", urn: logBucket.urn }),
    ]);
    expect(found[0].message).toMatch(
      /is a log bucket without default encryption sseAlgorithm AES256/,
    );
  });

  it("flags a tagged bucket nothing logs into: the tag alone exempts nothing", () => {
    // given the log bucket without its only source's logging
    const { logBucket, source, all } = accessLogBucketFixture();
    // when
    const found = runPolicies(without(all(), source.siblings.logging), S3_POLICIES);
    // then
    expect(found.map((v) => [v.policy, v.urn])).toEqual([
      ["s3-access-logging", logBucket.urn],
      ["s3-access-logging", source.bucket.urn],
    ]);
    expect(found[0].message).toMatch(/^is tagged silkroute:purpose=access-logs but no bucket/);
  });

  it("flags a log bucket that logs into itself", () => {
    // given
    const { logBucket, all } = accessLogBucketFixture();
    const loop = planned("aws:s3/bucketLogging:BucketLogging", {
      bucket: logBucket.id,
      targetBucket: logBucket.id,
      targetPrefix: "logs/",
    });
    // when
    const found = runPolicies([...all(), loop], S3_POLICIES);
    // then
    expect(found).toEqual([
      expect.objectContaining({ policy: "s3-access-logging", urn: logBucket.urn }),
    ]);
    expect(found[0].message).toMatch(/^logs into itself/);
  });

  it("passes a real AccessLogBucket and its sources as the mock engine records them, in China", async () => {
    // given
    const stack = await evaluate(() => {
      const provider = providerFor("cn-north-1");
      const logs = new AccessLogBucket("logs", {}, { provider });
      const bucket = new SecureBucket(
        "artifacts",
        { kmsKeyArn: "k", accessLogs: logs.target("artifacts/") },
        { provider },
      );
      logs.allowDeliveryFrom([bucket]);
      return {};
    });
    // when
    const { resources } = toPlannedStack(stack);
    // then
    expect(runPolicies(resources, S3_POLICIES)).toEqual([]);
    const bucketLogging = resources.filter((r) => r.type === "aws:s3/bucketLogging:BucketLogging");
    expect(bucketLogging).toHaveLength(1);
  });
});
