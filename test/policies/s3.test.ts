import { S3_POLICIES } from "../../automation/policies/s3";
import { UNKNOWN } from "../../automation/policies/util";
import { runPolicies } from "../../automation/policies";
import { SecureBucket } from "../../components/secureBucket";
import { toPlannedStack } from "../../automation/plan/plan";
import * as aws from "@pulumi/aws";
import { evaluate, providerFor } from "../helpers/pulumi";
import { planned, policyJson, secureBucketFixture, withInputs } from "../helpers/planned";

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
      new SecureBucket("artifacts", { kmsKeyArn: key.arn }, { provider });
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
