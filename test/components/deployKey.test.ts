import * as pulumi from "@pulumi/pulumi";
import { DeployKey, validateDeployKeyArgs } from "../../components/deployKey";
import { rotationWindow } from "../../components/rotation";
import { isSecretValue } from "../../automation/plan/secrets";
import { evaluate, inputsOf, only, providerFor } from "../helpers/pulumi";

const PARAMETER_KEY = "arn:aws:kms:us-east-1:123456789012:key/parameters";
const NOW = new Date("2026-11-26T10:00:00Z");
const DAY = 24 * 60 * 60 * 1000;

function program(now: Date, extra: { rotationDays?: number; rotationNonce?: string } = {}) {
  return () => {
    const china = providerFor("cn-north-1", "china-dev");
    const global = providerFor("us-east-1", "global");
    const key = new DeployKey(
      "dev-deploy-key",
      {
        userName: "silkroute-dev-china-deployer",
        bucketName: "dev-artifacts",
        parameterPrefix: "/China/Dev",
        parameterKeyArn: PARAMETER_KEY,
        globalProvider: global,
        now,
        ...extra,
      },
      { provider: china },
    );
    return {
      createDate: key.createDate,
      nextRotation: key.nextRotation,
      accessKeyId: pulumi.secret(key.accessKey.id),
    };
  };
}

async function triggerAt(now: Date, extra: { rotationDays?: number; rotationNonce?: string } = {}) {
  const stack = await evaluate(program(now, extra));
  return only(stack, "aws:iam/accessKey:AccessKey").options.replacementTrigger;
}

describe("DeployKey", () => {
  it("issues the key in China, for the deploy user", async () => {
    const stack = await evaluate(program(NOW));
    const key = only(stack, "aws:iam/accessKey:AccessKey");
    expect(key.region).toBe("cn-north-1");
    expect(key.partition).toBe("aws-cn");
    expect(inputsOf(key)).toMatchObject({ user: "silkroute-dev-china-deployer", status: "Active" });
  });

  it("writes the key id and secret as SecureStrings under the customer key, in the global account", async () => {
    // when
    const stack = await evaluate(program(NOW));
    // then
    const key = only(stack, "aws:iam/accessKey:AccessKey");
    const id = only(stack, "aws:ssm/parameter:Parameter", "dev-deploy-key-access-key-id");
    const secret = only(stack, "aws:ssm/parameter:Parameter", "dev-deploy-key-secret-access-key");
    for (const parameter of [id, secret]) {
      expect(parameter.region).toBe("us-east-1");
      expect(parameter.partition).toBe("aws");
      expect(inputsOf(parameter)).toMatchObject({ type: "SecureString", keyId: PARAMETER_KEY });
    }
    expect(inputsOf(id)).toMatchObject({ name: "/China/Dev/UserAccessKey", value: key.id });
    expect(inputsOf(secret)).toMatchObject({
      name: "/China/Dev/UserSecretKey",
      value: key.state.secret,
    });
  });

  it("keeps the key id and secret secret in the recorded inputs", async () => {
    const stack = await evaluate(program(NOW));
    for (const name of ["dev-deploy-key-access-key-id", "dev-deploy-key-secret-access-key"]) {
      const parameter = only(stack, "aws:ssm/parameter:Parameter", name);
      expect(isSecretValue(parameter.inputs.value)).toBe(true);
    }
  });

  it("writes the China bucket name as a String parameter in the global account", async () => {
    const stack = await evaluate(program(NOW));
    const bucket = only(stack, "aws:ssm/parameter:Parameter", "dev-deploy-key-bucket");
    expect(bucket.region).toBe("us-east-1");
    expect(inputsOf(bucket)).toMatchObject({
      name: "/China/Dev/DeploymentS3Bucket",
      type: "String",
      value: "dev-artifacts",
    });
    expect(inputsOf(bucket).keyId).toBeUndefined();
  });

  it("replaces the key create-then-delete, through the current rotation window", async () => {
    const stack = await evaluate(program(NOW));
    const key = only(stack, "aws:iam/accessKey:AccessKey");
    expect(key.options.replacementTrigger).toBe(rotationWindow(NOW, 30).id);
    expect(key.options.deleteBeforeReplace).toBe(false);
  });

  it("keeps the key while the window lasts", async () => {
    // given two moments in the same 30-day window
    const window = rotationWindow(NOW, 30);
    const early = new Date(window.startedAt);
    const late = new Date(Date.parse(window.nextRotation) - 1);
    // then the replacement trigger is unchanged
    expect(await triggerAt(late)).toBe(await triggerAt(early));
  });

  it("replaces the key once the window has passed", async () => {
    // given a moment at the end of the current window
    const next = new Date(rotationWindow(NOW, 30).nextRotation);
    // then the replacement trigger changes
    expect(await triggerAt(next)).not.toBe(await triggerAt(NOW));
  });

  it("replaces the key when the rotation nonce changes", async () => {
    expect(await triggerAt(NOW, { rotationNonce: "b" })).not.toBe(
      await triggerAt(NOW, { rotationNonce: "a" }),
    );
  });

  it("reports when the key was issued and when the next one will be", async () => {
    const stack = await evaluate(program(NOW, { rotationDays: 7 }));
    expect(stack.outputs.createDate).toBe("2026-01-01T00:00:00Z");
    const next = Date.parse(String(stack.outputs.nextRotation));
    expect(next).toBeGreaterThan(NOW.getTime());
    expect(next - NOW.getTime()).toBeLessThanOrEqual(7 * DAY);
  });
});

describe("validateDeployKeyArgs", () => {
  const args = {
    userName: "u",
    bucketName: "b",
    parameterPrefix: "/China/Dev",
    parameterKeyArn: PARAMETER_KEY,
    globalProvider: undefined as unknown as pulumi.ProviderResource,
  };

  it("accepts the seed prefix and the default rotation", () => {
    expect(validateDeployKeyArgs(args)).toBeUndefined();
  });

  it("rejects a prefix without a leading / or with a trailing /", () => {
    expect(validateDeployKeyArgs({ ...args, parameterPrefix: "China/Dev" })).toMatch(
      /^parameterPrefix must be an SSM path/,
    );
    expect(validateDeployKeyArgs({ ...args, parameterPrefix: "/China/Dev/" })).toMatch(
      /^parameterPrefix/,
    );
  });

  it("rejects rotation days outside 1 to 30", () => {
    expect(validateDeployKeyArgs({ ...args, rotationDays: 45 })).toMatch(
      /^rotationDays must be a whole number of days from 1 to 30, got 45$/,
    );
    expect(validateDeployKeyArgs({ ...args, rotationDays: 0 })).toMatch(/from 1 to 30, got 0/);
  });
});
