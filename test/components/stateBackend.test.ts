import { decide } from "../../automation/policies/simulate";
import {
  backendUrlOf,
  PULUMI_META_CONTENT,
  secretsProviderOf,
  StateBackend,
  validateStateBackendArgs,
} from "../../components/stateBackend";
import { TEST_ACCESS_LOGS } from "../helpers/accessLogs";
import { evaluate, inputsOf, only, policyOf, providerFor } from "../helpers/pulumi";

const DEPLOY = "arn:aws:iam::123456789012:role/silkroute-deploy";

describe("StateBackend", () => {
  const program =
    (aliasName?: string, region = "us-east-1") =>
    () => {
      const state = new StateBackend(
        "state",
        { userArns: [DEPLOY], aliasName, accessLogs: TEST_ACCESS_LOGS },
        { provider: providerFor(region) },
      );
      return {
        backendUrl: state.backendUrl,
        secretsProvider: state.secretsProvider,
        bucketName: state.bucketName,
        bucketArn: state.bucketArn,
        keyArn: state.keyArn,
      };
    };

  it("exports the backend URL of its bucket in the provider's Region", async () => {
    // given / when
    const stack = await evaluate(program(undefined, "eu-central-1"));
    // then
    const bucket = only(stack, "aws:s3/bucket:Bucket").state.bucket;
    expect(stack.outputs.backendUrl).toBe(`s3://${bucket}?region=eu-central-1`);
    expect(stack.outputs.bucketName).toBe(bucket);
  });

  it("exports the awskms secrets provider of its key alias", async () => {
    const stack = await evaluate(program("acme-pulumi-state"));
    expect(stack.outputs.secretsProvider).toBe("awskms://alias/acme-pulumi-state?region=us-east-1");
    expect(inputsOf(only(stack, "aws:kms/alias:Alias")).name).toBe("alias/acme-pulumi-state");
  });

  it("names the key alias silkroute-pulumi-state by default", async () => {
    const stack = await evaluate(program());
    expect(inputsOf(only(stack, "aws:kms/alias:Alias")).name).toBe("alias/silkroute-pulumi-state");
  });

  it("encrypts the state with a rotating key that only the given roles use", async () => {
    const stack = await evaluate(program());
    const key = only(stack, "aws:kms/key:Key");
    const enc = inputsOf(
      only(
        stack,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      ),
    );
    expect(inputsOf(key).enableKeyRotation).toBe(true);
    expect(enc.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId).toBe(key.state.arn);
    expect(policyOf(key).Statement[1].Principal).toEqual({ AWS: [DEPLOY] });
    expect(stack.outputs.keyArn).toBe(key.state.arn);
  });

  const iamOnly = () => () => {
    const state = new StateBackend(
      "state",
      { usableThroughIam: true, deniedChinaStackRoleArns: [DEPLOY], accessLogs: TEST_ACCESS_LOGS },
      { provider: providerFor("us-east-1") },
    );
    return { bucketArn: state.bucketArn, keyArn: state.keyArn };
  };

  it("can grant its key through IAM alone, where a condition can pick each role's stacks", async () => {
    const stack = await evaluate(iamOnly());
    const statements = policyOf(only(stack, "aws:kms/key:Key")).Statement as { Sid: string }[];
    expect(statements.map((s) => s.Sid)).toEqual(["KeyAdministration", "KeyUsageThroughIam"]);
  });

  it("denies the given roles the china stack's objects in its bucket policy, whatever they may do", async () => {
    // given a role allowed every S3 action by its own policy
    const stack = await evaluate(iamOnly());
    const bucket = String(stack.outputs.bucketArn);
    const policies = {
      identityPolicies: [
        { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] },
      ],
      resourcePolicy: policyOf(only(stack, "aws:s3/bucketPolicy:BucketPolicy")),
    };
    const get = (key: string) =>
      decide(policies, {
        principal: DEPLOY,
        action: "s3:GetObject",
        resource: `${bucket}/${key}`,
        resourceAccount: "123456789012",
      });
    // then
    expect(get(".pulumi/stacks/silkroute/china.json")).toBe("ExplicitlyDenied");
    expect(get(".pulumi/history/silkroute/china/china-1.history.json")).toBe("ExplicitlyDenied");
    expect(get(".pulumi/stacks/silkroute/dev-china.json")).toBe("Allowed");
  });

  it("writes the backend's metadata itself, so no pipeline role writes an object every stack reads", async () => {
    const stack = await evaluate(iamOnly());
    const meta = inputsOf(only(stack, "aws:s3/bucketObjectv2:BucketObjectv2"));
    expect(meta.key).toBe(".pulumi/meta.yaml");
    expect(meta.content).toBe(PULUMI_META_CONTENT);
  });

  it("formats backend and secrets-provider URLs", () => {
    expect(backendUrlOf("b", "cn-north-1")).toBe("s3://b?region=cn-north-1");
    expect(secretsProviderOf("k", "us-west-2")).toBe("awskms://alias/k?region=us-west-2");
  });

  it.each([
    [{ aliasName: "alias/x" }, /aliasName is given without the alias\/ prefix/],
    [{ noncurrentVersionDays: -1 }, /noncurrentVersionDays must be a whole number/],
    [{ userArns: [] }, /userArns must name at least one principal/],
    [{ userArns: undefined }, /userArns must name at least one principal/],
  ])("rejects %j", (bad, message) => {
    expect(
      validateStateBackendArgs({ userArns: [DEPLOY], accessLogs: TEST_ACCESS_LOGS, ...bad }),
    ).toMatch(message);
  });

  it("accepts sound args", () => {
    expect(
      validateStateBackendArgs({ userArns: [DEPLOY], accessLogs: TEST_ACCESS_LOGS }),
    ).toBeUndefined();
  });
});
