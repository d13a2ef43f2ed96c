import {
  backendUrlOf,
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

  it("formats backend and secrets-provider URLs", () => {
    expect(backendUrlOf("b", "cn-north-1")).toBe("s3://b?region=cn-north-1");
    expect(secretsProviderOf("k", "us-west-2")).toBe("awskms://alias/k?region=us-west-2");
  });

  it.each([
    [{ aliasName: "alias/x" }, /aliasName is given without the alias\/ prefix/],
    [{ noncurrentVersionDays: -1 }, /noncurrentVersionDays must be a whole number/],
    [{ userArns: [] }, /userArns must name at least one principal/],
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
