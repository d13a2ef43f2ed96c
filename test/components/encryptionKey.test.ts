import {
  EncryptionKey,
  keyPolicy,
  validateEncryptionKeyArgs,
} from "../../components/encryptionKey";
import { evaluate, inputsOf, only, policyOf, providerFor } from "../helpers/pulumi";

const USERS = ["arn:aws:iam::123456789012:role/a", "arn:aws:iam::123456789012:role/b"];

describe("EncryptionKey", () => {
  const program =
    (region = "us-east-1") =>
    () => {
      const provider = providerFor(region);
      const key = new EncryptionKey(
        "state",
        { aliasName: "team-state", userArns: USERS },
        { provider },
      );
      return { arn: key.arn, aliasName: key.aliasName, aliasArn: key.aliasArn, keyId: key.keyId };
    };

  it("turns automatic rotation on and keeps the 30-day deletion window", async () => {
    // given / when
    const stack = await evaluate(program());
    // then
    const key = inputsOf(only(stack, "aws:kms/key:Key"));
    expect(key.enableKeyRotation).toBe(true);
    expect(key.deletionWindowInDays).toBe(30);
    expect(key.description).toBe("silkroute team-state");
  });

  it("grants use of the key to exactly the given roles", async () => {
    const stack = await evaluate(program());
    const usage = policyOf(only(stack, "aws:kms/key:Key")).Statement.find(
      (s: { Sid: string }) => s.Sid === "KeyUsage",
    );
    expect(usage).toEqual({
      Sid: "KeyUsage",
      Effect: "Allow",
      Principal: { AWS: USERS },
      Action: ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"],
      Resource: "*",
    });
  });

  it("lets the account root administer but never use the key", async () => {
    const stack = await evaluate(program());
    const statements = policyOf(only(stack, "aws:kms/key:Key")).Statement;
    const admin = statements.find((s: { Sid: string }) => s.Sid === "KeyAdministration");
    expect(statements).toHaveLength(2);
    expect(admin.Principal).toEqual({ AWS: "arn:aws:iam::123456789012:root" });
    expect(admin.Action).toEqual([
      "kms:CancelKeyDeletion",
      "kms:CreateAlias",
      "kms:DeleteAlias",
      "kms:DescribeKey",
      "kms:DisableKey",
      "kms:DisableKeyRotation",
      "kms:EnableKey",
      "kms:EnableKeyRotation",
      "kms:GetKeyPolicy",
      "kms:GetKeyRotationStatus",
      "kms:ListGrants",
      "kms:ListKeyPolicies",
      "kms:ListResourceTags",
      "kms:PutKeyPolicy",
      "kms:RevokeGrant",
      "kms:RotateKeyOnDemand",
      "kms:ScheduleKeyDeletion",
      "kms:TagResource",
      "kms:UntagResource",
      "kms:UpdateAlias",
      "kms:UpdateKeyDescription",
    ]);
    for (const forbidden of ["kms:*", "kms:Decrypt", "kms:Encrypt", "kms:CreateGrant"]) {
      expect(admin.Action).not.toContain(forbidden);
    }
    expect(admin.Action.some((a: string) => a.includes("*"))).toBe(false);
  });

  it("takes the root ARN from the provider's partition", async () => {
    const stack = await evaluate(program("cn-north-1"));
    const [admin] = policyOf(only(stack, "aws:kms/key:Key")).Statement;
    expect(admin.Principal).toEqual({ AWS: "arn:aws-cn:iam::210987654321:root" });
  });

  it("names the alias alias/<aliasName> and points it at the key", async () => {
    const stack = await evaluate(program());
    const alias = inputsOf(only(stack, "aws:kms/alias:Alias"));
    expect(alias.name).toBe("alias/team-state");
    expect(alias.targetKeyId).toBe(only(stack, "aws:kms/key:Key").id);
    expect(stack.outputs.aliasName).toBe("alias/team-state");
    expect(stack.outputs.aliasArn).toBe("arn:aws:kms:us-east-1:123456789012:alias/team-state");
  });

  it("exports the key's ARN and id", async () => {
    const stack = await evaluate(program());
    const key = only(stack, "aws:kms/key:Key");
    expect(stack.outputs.keyId).toBe(key.id);
    expect(stack.outputs.arn).toBe(key.state.arn);
  });

  it("leaves the usage statement out when no principal is given yet", () => {
    expect(keyPolicy("aws", "123456789012", []).Statement).toHaveLength(1);
  });

  it("lets IAM policies grant use only when asked to, with the same four actions", () => {
    // given a key whose users are granted by IAM policy (the SSM parameter key)
    const statements = keyPolicy("aws", "123456789012", [], true).Statement;
    // then the account may delegate use, and nothing more than use
    expect(statements[1]).toEqual({
      Sid: "KeyUsageThroughIam",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::123456789012:root" },
      Action: ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"],
      Resource: "*",
    });
    expect(
      validateEncryptionKeyArgs({ aliasName: "p", userArns: [], usableThroughIam: true }),
    ).toBe(undefined);
  });

  it.each([
    [
      { aliasName: "alias/x" },
      /aliasName is given without the alias\/ prefix, got alias\/x: use x/,
    ],
    [{ aliasName: "aws/s3" }, /aliasName must be .* not start with aws\//],
    [{ aliasName: "a b" }, /aliasName must be 1-250 letters/],
    [
      { deletionWindowInDays: 6 },
      /deletionWindowInDays must be a whole number from 7 to 30, got 6/,
    ],
    [
      { deletionWindowInDays: 31 },
      /deletionWindowInDays must be a whole number from 7 to 30, got 31/,
    ],
    [{ userArns: [] }, /userArns must name at least one principal/],
  ])("rejects %j", (bad, message) => {
    expect(validateEncryptionKeyArgs({ aliasName: "ok", userArns: USERS, ...bad })).toMatch(
      message,
    );
  });

  it("accepts sound args", () => {
    expect(
      validateEncryptionKeyArgs({ aliasName: "silkroute/state", userArns: USERS }),
    ).toBeUndefined();
  });
});
