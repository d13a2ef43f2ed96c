import * as aws from "../../components/aws";
import { SecureBucket, validateSecureBucketArgs } from "../../components/secureBucket";
import { evaluate, inputsOf, ofType, only, policyOf, providerFor } from "../helpers/pulumi";

describe("SecureBucket", () => {
  const program = () => {
    const provider = providerFor("cn-north-1");
    const key = new aws.kms.Key("key", { enableKeyRotation: true }, { provider });
    const bucket = new SecureBucket(
      "artifacts",
      { kmsKeyArn: key.arn, noncurrentVersionDays: 30 },
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

  it("hands its provider to every child", async () => {
    const stack = await evaluate(program);
    const children = stack.resources.filter((r) => r.type.startsWith("aws:s3/"));
    expect(children).toHaveLength(7);
    expect(new Set(children.map((r) => r.region))).toEqual(new Set(["cn-north-1"]));
    expect(ofType(stack, "silkroute:storage:SecureBucket")[0].partition).toBe("aws-cn");
  });

  it("rejects a retention that is not a positive whole number of days", () => {
    expect(validateSecureBucketArgs({ kmsKeyArn: "k", noncurrentVersionDays: 0 })).toMatch(
      /noncurrentVersionDays must be a whole number of days >= 1, got 0/,
    );
    expect(validateSecureBucketArgs({ kmsKeyArn: "k" })).toBeUndefined();
  });
});
