import { decide } from "../../automation/policies/simulate";
import {
  ArtifactStore,
  crossAccountBucketStatements,
  providerRegionProblem,
  validateArtifactStoreArgs,
} from "../../components/artifactStore";
import { TEST_ACCESS_LOGS } from "../helpers/accessLogs";
import { evaluate, inputsOf, ofType, only, policyOf, providerFor } from "../helpers/pulumi";

const ROLES = ["arn:aws:iam::123456789012:role/silkroute-codepipeline"];

describe("ArtifactStore", () => {
  const program = (region: string) => () => {
    const store = new ArtifactStore(
      `artifacts-${region}`,
      {
        region,
        userArns: ROLES,
        aliasName: "silkroute-artifacts",
        noncurrentVersionDays: 30,
        pipelineName: "silkroute",
        accessLogs: TEST_ACCESS_LOGS,
      },
      { provider: providerFor(region) },
    );
    return {
      artifactStore: store.artifactStore,
      bucketName: store.bucketName,
      bucketArn: store.bucketArn,
      keyArn: store.keyArn,
    };
  };

  it("yields the pipeline's artifactStores entry for its Region", async () => {
    // given / when
    const stack = await evaluate(program("eu-west-1"));
    // then
    const bucket = only(stack, "aws:s3/bucket:Bucket");
    const key = only(stack, "aws:kms/key:Key");
    expect(stack.outputs.artifactStore).toEqual({
      location: bucket.state.bucket,
      type: "S3",
      region: "eu-west-1",
      encryptionKey: { id: key.state.arn, type: "KMS" },
    });
    expect(String(key.state.arn)).toMatch(/^arn:aws:kms:eu-west-1:123456789012:key\//);
  });

  it("encrypts its bucket with its own rotating key", async () => {
    const stack = await evaluate(program("us-east-1"));
    const key = only(stack, "aws:kms/key:Key");
    const enc = inputsOf(
      only(
        stack,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      ),
    );
    expect(inputsOf(key).enableKeyRotation).toBe(true);
    expect(enc.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId).toBe(key.state.arn);
    expect(stack.outputs.keyArn).toBe(key.state.arn);
  });

  it("grants the pipeline roles the key through S3 for its bucket (or CodeBuild), never by calling KMS themselves", async () => {
    // given the key policy, and a role whose own policy allows it anything in KMS
    const stack = await evaluate(program("us-east-1"));
    const keyPolicy = policyOf(only(stack, "aws:kms/key:Key"));
    const bucket = String(stack.outputs.bucketArn);
    const may = (action: string, context: Record<string, string>) =>
      decide(
        {
          identityPolicies: [
            {
              Version: "2012-10-17",
              Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }],
            },
          ],
          resourcePolicy: keyPolicy,
        },
        { principal: ROLES[0], action, resource: String(stack.outputs.keyArn), context },
      );
    const viaS3 = (arn: string) => ({
      "kms:ViaService": "s3.us-east-1.amazonaws.com",
      "kms:EncryptionContext:aws:s3:arn": arn,
    });
    // then
    for (const action of ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]) {
      expect(may(action, viaS3(bucket))).toBe("Allowed");
      expect(may(action, viaS3(`${bucket}/silkroute/BuildOutpu/x.zip`))).toBe("Allowed");
      expect(may(action, viaS3("arn:aws:s3:::another-bucket"))).toBe("ImplicitlyDenied");
      expect(may(action, { "kms:ViaService": "s3.eu-west-1.amazonaws.com" })).toBe(
        "ImplicitlyDenied",
      );
      expect(may(action, {})).toBe("ImplicitlyDenied");
      expect(may(action, { "kms:ViaService": "codebuild.us-east-1.amazonaws.com" })).toBe(
        "Allowed",
      );
    }
    expect(may("kms:DescribeKey", {})).toBe("Allowed");
  });

  it("keeps noncurrent artifact versions for the given days", async () => {
    const stack = await evaluate(program("us-east-1"));
    const rule = inputsOf(
      only(stack, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"),
    ).rules[0];
    expect(rule.noncurrentVersionExpiration).toEqual({ noncurrentDays: 30 });
  });

  it("expires the pipeline's artifacts after 30 days and the build caches after 14, in their folders only", async () => {
    // given / when
    const stack = await evaluate(program("us-east-1"));
    // then
    const rules = inputsOf(
      only(stack, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"),
    ).rules;
    const rule = (id: string) => rules.find((r: { id: string }) => r.id === id);
    expect(rule("expire-pipeline-artifacts")).toMatchObject({
      status: "Enabled",
      filter: { prefix: "silkroute/" },
      expiration: { days: 30 },
    });
    expect(rule("expire-build-caches")).toMatchObject({
      status: "Enabled",
      filter: { prefix: "codebuild-cache/" },
      expiration: { days: 14 },
    });
    // The app's code (app/) is never expired by a rule: the driver keeps the last versions.
    for (const r of rules.filter((r: { expiration?: unknown }) => r.expiration !== undefined)) {
      expect("app/x.zip".startsWith(r.filter.prefix ?? "")).toBe(false);
    }
  });

  it("expires artifacts after the configured days, in CodePipeline's folder (the name's first 20 characters)", async () => {
    // given / when
    const stack = await evaluate(() => {
      new ArtifactStore(
        "artifacts",
        {
          region: "us-east-1",
          userArns: ROLES,
          aliasName: "a",
          pipelineName: "a-pipeline-name-longer-than-twenty",
          artifactRetentionDays: 7,
          accessLogs: TEST_ACCESS_LOGS,
        },
        { provider: providerFor("us-east-1") },
      );
      return {};
    });
    // then
    const rules = inputsOf(
      only(stack, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"),
    ).rules;
    expect(rules.find((r: { id: string }) => r.id === "expire-pipeline-artifacts")).toMatchObject({
      filter: { prefix: "a-pipeline-name-long/" },
      expiration: { days: 7 },
    });
  });

  it("creates every child in the Region of the provider it is given", async () => {
    const stack = await evaluate(program("ap-southeast-2"));
    const children = stack.resources.filter((r) => r.custom && r.type.startsWith("aws:s3/"));
    expect(children.length).toBeGreaterThan(0);
    expect(
      new Set([...children, ...ofType(stack, "aws:kms/key:Key")].map((r) => r.region)),
    ).toEqual(new Set(["ap-southeast-2"]));
  });

  it("refuses a provider in another Region than `region`", () => {
    expect(providerRegionProblem("artifacts", "eu-west-1", "us-east-1")).toBe(
      "region is eu-west-1 but the provider passed to ArtifactStore artifacts is in us-east-1: pass that Region's provider",
    );
    expect(providerRegionProblem("artifacts", "eu-west-1", "eu-west-1")).toBeUndefined();
  });

  it.each([
    [
      { region: "cn-north-1" },
      /region must be a global Region \(CodePipeline does not run in cn-north-1\)/,
    ],
    [{ region: "useast1" }, /region must be an AWS Region such as us-east-1, got useast1/],
    [{ aliasName: "alias/a" }, /aliasName is given without the alias\/ prefix/],
    [{ noncurrentVersionDays: 0 }, /noncurrentVersionDays must be a whole number/],
    [{ artifactRetentionDays: 0 }, /expire-pipeline-artifacts must expire after a whole number/],
    [{ buildCacheDays: 1.5 }, /expire-build-caches must expire after a whole number/],
    [{ userArns: [] }, /userArns must name at least one principal/],
    [
      { pipelineName: "pr-preview-results" },
      /pipelineName pr-preview-results would keep the pipeline's artifacts in pr-preview-results\/, where silkroute keeps the pull requests' preview results/,
    ],
    [
      { pipelineName: "app" },
      /would keep the pipeline's artifacts in app\/, where silkroute keeps the app's code zips/,
    ],
  ])("rejects %j", (bad, message) => {
    const args = {
      region: "us-east-1",
      userArns: ROLES,
      aliasName: "a",
      pipelineName: "p",
      accessLogs: TEST_ACCESS_LOGS,
      ...bad,
    };
    expect(validateArtifactStoreArgs(args)).toMatch(message);
  });

  it("accepts sound args", () => {
    expect(
      validateArtifactStoreArgs({
        region: "us-east-1",
        userArns: ROLES,
        aliasName: "a",
        pipelineName: "p",
        accessLogs: TEST_ACCESS_LOGS,
      }),
    ).toBeUndefined();
  });
});

describe("ArtifactStore: a cross-account environment's role", () => {
  const STAGE = "arn:aws:iam::222222222222:role/silkroute-cross-account-deploy";
  const PROD = "arn:aws:iam::333333333333:role/silkroute-cross-account-deploy";
  const program = () => {
    const store = new ArtifactStore(
      "artifacts-us-east-1",
      {
        region: "us-east-1",
        userArns: ROLES,
        aliasName: "silkroute-artifacts",
        pipelineName: "silkroute",
        accessLogs: TEST_ACCESS_LOGS,
        crossAccountWriters: [
          { roleArn: STAGE, keyPrefix: "app/silkroute-stage/" },
          { roleArn: PROD, keyPrefix: "app/silkroute-prod/" },
        ],
      },
      { provider: providerFor("us-east-1") },
    );
    return { bucketArn: store.bucketArn, keyArn: store.keyArn };
  };
  const anything = (service: string) => ({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: `${service}:*`, Resource: "*" }],
  });

  it("puts, reads and deletes its own folder's code, and no other folder's (bucket policy)", async () => {
    // given the bucket policy, and a role whose own account allows it anything in S3
    const stack = await evaluate(program);
    const bucketPolicy = policyOf(only(stack, "aws:s3/bucketPolicy:BucketPolicy"));
    const bucket = String(stack.outputs.bucketArn);
    const may = (principal: string, action: string, key: string) =>
      decide(
        { identityPolicies: [anything("s3")], resourcePolicy: bucketPolicy },
        { principal, action, resource: `${bucket}/${key}`, resourceAccount: "123456789012" },
      );
    // then
    for (const action of ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"]) {
      expect(may(STAGE, action, "app/silkroute-stage/v1.zip")).toBe("Allowed");
      expect(may(STAGE, action, "app/silkroute-prod/v1.zip")).toBe("ImplicitlyDenied");
      expect(may(STAGE, action, "app/silkroute-stage-eu/v1.zip")).toBe("ImplicitlyDenied");
      expect(may(PROD, action, "app/silkroute-prod/v1.zip")).toBe("Allowed");
    }
    expect(may(PROD, "s3:GetObject", "silkroute/BuildOutpu/x.zip")).toBe("ImplicitlyDenied");
    // another role of the same account gets nothing
    const other = "arn:aws:iam::222222222222:role/someone-else";
    expect(may(other, "s3:GetObject", "app/silkroute-stage/v1.zip")).toBe("ImplicitlyDenied");
  });

  it("has S3 encrypt and decrypt its objects with the key, and never calls KMS directly (key policy)", async () => {
    const stack = await evaluate(program);
    const keyPolicy = policyOf(only(stack, "aws:kms/key:Key"));
    const key = String(stack.outputs.keyArn);
    const bucket = String(stack.outputs.bucketArn);
    const may = (principal: string, action: string, context: Record<string, string>) =>
      decide(
        { identityPolicies: [anything("kms")], resourcePolicy: keyPolicy },
        { principal, action, resource: key, context },
      );
    const viaS3 = (arn: string) => ({
      "kms:ViaService": "s3.us-east-1.amazonaws.com",
      "kms:EncryptionContext:aws:s3:arn": arn,
    });
    for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
      expect(may(STAGE, action, viaS3(bucket))).toBe("Allowed");
      expect(may(STAGE, action, viaS3("arn:aws:s3:::another-bucket"))).toBe("ImplicitlyDenied");
      expect(may(STAGE, action, {})).toBe("ImplicitlyDenied");
      expect(may(STAGE, action, { "kms:ViaService": "codebuild.us-east-1.amazonaws.com" })).toBe(
        "ImplicitlyDenied",
      );
    }
    expect(may("arn:aws:iam::222222222222:role/someone-else", "kms:Decrypt", viaS3(bucket))).toBe(
      "ImplicitlyDenied",
    );
  });

  it("is named by account and aws:PrincipalArn, so the grant holds before the role exists", () => {
    const [statement] = crossAccountBucketStatements("arn:aws:s3:::b", [
      { roleArn: STAGE, keyPrefix: "app/silkroute-stage/" },
    ]);
    expect(statement.Principal).toEqual({ AWS: "arn:aws:iam::222222222222:root" });
    expect(statement.Condition).toEqual({ ArnEquals: { "aws:PrincipalArn": STAGE } });
  });

  it("rejects a key prefix that is not one app folder", () => {
    expect(
      validateArtifactStoreArgs({
        region: "us-east-1",
        userArns: ROLES,
        aliasName: "a",
        pipelineName: "silkroute",
        accessLogs: TEST_ACCESS_LOGS,
        crossAccountWriters: [{ roleArn: STAGE, keyPrefix: "app/*" }],
      }),
    ).toMatch(/^crossAccountWriters keyPrefix must be an app folder/);
  });
});
