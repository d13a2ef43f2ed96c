import * as aws from "../../components/aws";
import {
  AccessLogBucket,
  AccessLogBucketArgs,
  validateAccessLogBucketArgs,
} from "../../components/accessLogBucket";
import { ACCESS_LOG_BUCKET_TAG } from "../../components/naming";
import { S3_LOG_DELIVERY, servicePrincipal } from "../../components/partition";
import { SecureBucket } from "../../components/secureBucket";
import {
  evaluate,
  inputsOf,
  ofType,
  policyOf,
  providerFor,
  RecordedResource,
} from "../helpers/pulumi";

const ACCOUNTS = { "us-east-1": "123456789012", "cn-north-1": "210987654321" } as const;

/** A log bucket and two data buckets logging into it, in one account and Region. */
function program(region: keyof typeof ACCOUNTS, args: AccessLogBucketArgs = {}) {
  return () => {
    const provider =
      region === "cn-north-1"
        ? new aws.Provider("china", { region, allowedAccountIds: [ACCOUNTS[region]] })
        : providerFor(region);
    const logs = new AccessLogBucket("logs", args, { provider });
    const data = (name: string, prefix: string) =>
      new SecureBucket(name, { kmsKeyArn: "k", accessLogs: logs.target(prefix) }, { provider });
    const state = data("state", "state/");
    const artifacts = data("artifacts", "artifacts/");
    logs.allowDeliveryFrom([state, artifacts]);
    return { logBucket: logs.bucketName };
  };
}

const bucketNamed = (resources: readonly RecordedResource[], name: string) =>
  resources.find((r) => r.type === "aws:s3/bucket:Bucket" && r.name === name)!;
/** The sibling of a type whose `bucket` is the log bucket. */
const logSibling = (resources: readonly RecordedResource[], type: string) => {
  const logs = bucketNamed(resources, "logs");
  return resources.find((r) => r.type === type && r.inputs.bucket === logs.id)!;
};

describe("AccessLogBucket", () => {
  it("encrypts with SSE-S3, the only default encryption S3 delivers access logs into", async () => {
    const { resources } = await evaluate(program("us-east-1"));
    const enc = inputsOf(
      logSibling(
        resources,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      ),
    );
    expect(enc.rules).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
  });

  it("blocks public access, disables ACLs and versions its objects", async () => {
    const { resources } = await evaluate(program("us-east-1"));
    expect(
      inputsOf(logSibling(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")),
    ).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(
      inputsOf(logSibling(resources, "aws:s3/bucketOwnershipControls:BucketOwnershipControls"))
        .rule,
    ).toEqual({ objectOwnership: "BucketOwnerEnforced" });
    expect(
      inputsOf(logSibling(resources, "aws:s3/bucketVersioning:BucketVersioning"))
        .versioningConfiguration,
    ).toEqual({ status: "Enabled" });
  });

  it.each([
    [{}, 365, 90],
    [{ retentionDays: 30, noncurrentVersionDays: 7 }, 30, 7],
  ])(
    "with %j expires logs after %d days and their noncurrent versions %d days later",
    async (args, days, noncurrent) => {
      const { resources } = await evaluate(program("us-east-1", args));
      const rules = inputsOf(
        logSibling(resources, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"),
      ).rules;
      expect(rules).toEqual([
        expect.objectContaining({
          status: "Enabled",
          filter: {},
          expiration: { days },
          noncurrentVersionExpiration: { noncurrentDays: noncurrent },
        }),
      ]);
    },
  );

  it("is tagged as a log bucket and logs nowhere itself", async () => {
    const stack = await evaluate(program("us-east-1"));
    const logs = bucketNamed(stack.resources, "logs");
    expect(inputsOf(logs).tags).toEqual({
      [ACCESS_LOG_BUCKET_TAG.key]: ACCESS_LOG_BUCKET_TAG.value,
    });
    const loggings = ofType(stack, "aws:s3/bucketLogging:BucketLogging").map(inputsOf);
    expect(loggings.map((l) => l.targetBucket)).toEqual([logs.id, logs.id]);
    expect(loggings.map((l) => l.bucket)).not.toContain(logs.id);
  });

  it.each(["us-east-1", "cn-north-1"] as const)(
    "in %s lets only the partition's log delivery service write, each source into its own folder",
    async (region) => {
      // given
      const { resources } = await evaluate(program(region));
      const logs = bucketNamed(resources, "logs");
      const arnOf = (name: string) => bucketNamed(resources, name).state.arn;
      // when
      const [deny, ...allows] = policyOf(
        logSibling(resources, "aws:s3/bucketPolicy:BucketPolicy"),
      ).Statement;
      // then
      expect(deny).toMatchObject({ Sid: "DenyInsecureTransport", Effect: "Deny" });
      const partition = region === "cn-north-1" ? "aws-cn" : "aws";
      for (const s of allows) {
        expect(s.Effect).toBe("Allow");
        expect(s.Principal).toEqual({ Service: servicePrincipal(S3_LOG_DELIVERY, partition) });
        expect(s.Action).toBe("s3:PutObject");
        expect(s.Condition.StringEquals).toEqual({ "aws:SourceAccount": ACCOUNTS[region] });
      }
      expect(allows.map((s: any) => [s.Resource, s.Condition.ArnLike["aws:SourceArn"]])).toEqual([
        [`${logs.state.arn}/state/*`, arnOf("state")],
        [`${logs.state.arn}/artifacts/*`, arnOf("artifacts")],
      ]);
      expect(String(logs.state.arn).startsWith(`arn:${partition}:s3:::`)).toBe(true);
    },
  );

  it("gives each folder to one bucket only", async () => {
    await expect(
      evaluate(() => {
        const logs = new AccessLogBucket("logs", {}, { provider: providerFor("us-east-1") });
        logs.target("state/");
        logs.target("state/");
        return {};
      }),
    ).rejects.toThrow(/access log folder state\/ is already another bucket's/);
  });

  it("refuses a policy that leaves out a bucket given a folder, whose logs it would refuse", async () => {
    await expect(
      evaluate(() => {
        const provider = providerFor("us-east-1");
        const logs = new AccessLogBucket("logs", {}, { provider });
        const accessLogs = logs.target("state/");
        new SecureBucket("state", { kmsKeyArn: "k", accessLogs }, { provider });
        logs.target("artifacts/");
        logs.allowDeliveryFrom([]);
        return {};
      }),
    ).rejects.toThrow(
      /the bucket given access log folder state\/ is missing from allowDeliveryFrom/,
    );
  });

  it("refuses to let in a bucket that logs elsewhere", async () => {
    await expect(
      evaluate(() => {
        const provider = providerFor("us-east-1");
        const [one, two] = [1, 2].map((i) => new AccessLogBucket(`logs${i}`, {}, { provider }));
        const accessLogs = two.target("state/");
        one.allowDeliveryFrom([
          new SecureBucket("state", { kmsKeyArn: "k", accessLogs }, { provider }),
        ]);
        return {};
      }),
    ).rejects.toThrow(/a bucket logging to state\/ of another log bucket/);
  });

  it("rejects a retention that is not a positive whole number of days", () => {
    expect(validateAccessLogBucketArgs({ retentionDays: 0 })).toBe(
      "retentionDays must be a whole number of days >= 1, got 0",
    );
    expect(validateAccessLogBucketArgs({ noncurrentVersionDays: 1.5 })).toMatch(
      /^noncurrentVersionDays must be a whole number/,
    );
    expect(validateAccessLogBucketArgs({ retentionDays: 365 })).toBeUndefined();
  });
});
