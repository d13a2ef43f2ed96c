import * as aws from "../../components/aws";
import { SecureBucket, validateSecureBucketArgs } from "../../components/secureBucket";
import { TEST_ACCESS_LOGS } from "../helpers/accessLogs";
import { evaluate, inputsOf, ofType, only, policyOf, providerFor } from "../helpers/pulumi";

describe("SecureBucket", () => {
  const program = () => {
    const provider = providerFor("cn-north-1");
    const key = new aws.kms.Key("key", { enableKeyRotation: true }, { provider });
    const bucket = new SecureBucket(
      "artifacts",
      { kmsKeyArn: key.arn, noncurrentVersionDays: 30, accessLogs: TEST_ACCESS_LOGS },
      { provider },
    );
    return { bucket: bucket.bucketName, keyArn: key.arn };
  };

  it("blocks all four kinds of public access", async () => {
    const stack = await evaluate(program);
    const block = inputsOf(only(stack, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"));
    expect(block).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
  });

  it("encrypts with the given customer key and bucket keys", async () => {
    const stack = await evaluate(program);
    const enc = inputsOf(
      only(
        stack,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      ),
    );
    expect(enc.rules[0].applyServerSideEncryptionByDefault).toEqual({
      sseAlgorithm: "aws:kms",
      kmsMasterKeyId: stack.outputs.keyArn,
    });
    expect(enc.rules[0].bucketKeyEnabled).toBe(true);
  });

  it("versions objects, disables ACLs and expires noncurrent versions", async () => {
    const stack = await evaluate(program);
    expect(
      inputsOf(only(stack, "aws:s3/bucketVersioning:BucketVersioning")).versioningConfiguration,
    ).toEqual({ status: "Enabled" });
    expect(
      inputsOf(only(stack, "aws:s3/bucketOwnershipControls:BucketOwnershipControls")).rule,
    ).toEqual({ objectOwnership: "BucketOwnerEnforced" });
    const rule = inputsOf(
      only(stack, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"),
    ).rules[0];
    expect(rule.noncurrentVersionExpiration).toEqual({ noncurrentDays: 30 });
    expect(rule.status).toBe("Enabled");
  });

  it("expires the objects of the given folders, and what they leave behind a day later", async () => {
    // given / when
    const stack = await evaluate(() => {
      const provider = providerFor("us-east-1");
      new SecureBucket(
        "b",
        {
          kmsKeyArn: "k",
          expirations: [{ id: "expire-tmp", prefix: "tmp/", days: 3 }],
          accessLogs: TEST_ACCESS_LOGS,
        },
        { provider },
      );
      return {};
    });
    // then
    const rules = inputsOf(
      only(stack, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"),
    ).rules;
    expect(rules.map((r: { id: string }) => r.id)).toEqual([
      "expire-noncurrent-versions",
      "expire-tmp",
    ]);
    expect(rules[1]).toEqual({
      id: "expire-tmp",
      status: "Enabled",
      filter: { prefix: "tmp/" },
      expiration: { days: 3 },
      noncurrentVersionExpiration: { noncurrentDays: 1 },
    });
  });

  it("denies every request that is not over TLS, on the bucket and its objects", async () => {
    const stack = await evaluate(program);
    const bucketArn = only(stack, "aws:s3/bucket:Bucket").state.arn;
    const [deny] = policyOf(only(stack, "aws:s3/bucketPolicy:BucketPolicy")).Statement;
    expect(deny).toEqual({
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    expect(String(bucketArn).startsWith("arn:aws-cn:s3:::")).toBe(true);
  });

  it("logs every request into its folder of the given log bucket (FSBP S3.9)", async () => {
    // given / when
    const stack = await evaluate(program);
    // then
    const bucket = only(stack, "aws:s3/bucket:Bucket");
    expect(inputsOf(only(stack, "aws:s3/bucketLogging:BucketLogging"))).toEqual({
      bucket: bucket.id,
      targetBucket: TEST_ACCESS_LOGS.bucket,
      targetPrefix: TEST_ACCESS_LOGS.prefix,
    });
  });

  it("hands its provider to every child", async () => {
    const stack = await evaluate(program);
    const children = stack.resources.filter((r) => r.type.startsWith("aws:s3/"));
    expect(children).toHaveLength(8);
    expect(new Set(children.map((r) => r.region))).toEqual(new Set(["cn-north-1"]));
    expect(ofType(stack, "silkroute:storage:SecureBucket")[0].partition).toBe("aws-cn");
  });

  it("rejects a retention that is not a positive whole number of days", () => {
    expect(
      validateSecureBucketArgs({
        kmsKeyArn: "k",
        expirations: [{ id: "tmp", prefix: "/tmp", days: 1 }],
      }),
    ).toBe('expirations tmp must name a folder such as pipeline/, got "/tmp"');
    expect(validateSecureBucketArgs({ kmsKeyArn: "k", noncurrentVersionDays: 0 })).toMatch(
      /noncurrentVersionDays must be a whole number of days >= 1, got 0/,
    );
    expect(validateSecureBucketArgs({ kmsKeyArn: "k" })).toBeUndefined();
  });

  it("rejects an access log prefix that is not a folder", () => {
    expect(
      validateSecureBucketArgs({ kmsKeyArn: "k", accessLogs: { bucket: "logs", prefix: "state" } }),
    ).toBe('accessLogs.prefix must name a folder such as state/, got "state"');
    expect(
      validateSecureBucketArgs({ kmsKeyArn: "k", accessLogs: TEST_ACCESS_LOGS }),
    ).toBeUndefined();
  });
});
