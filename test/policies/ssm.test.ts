import { SSM_POLICIES } from "../../automation/policies/ssm";
import { messages, planned, policyNamed } from "../helpers/planned";

const secrets = policyNamed(SSM_POLICIES, "ssm-secrets-secure-string");
const customerKey = policyNamed(SSM_POLICIES, "ssm-secure-string-customer-key");
const PARAMETER = "aws:ssm/parameter:Parameter";

describe("ssm-secrets-secure-string", () => {
  it("passes the China access key as a SecureString", () => {
    const p = planned(PARAMETER, {
      name: "/China/Dev/UserAccessKey",
      type: "SecureString",
      keyId: "arn:aws:kms:us-east-1:123456789012:key/k",
      value: "[secret]",
    });
    expect(messages(secrets, p)).toEqual([]);
  });

  it("flags a secret-looking name stored as a String", () => {
    const p = planned(PARAMETER, { name: "/China/Dev/UserSecretKey", type: "String", value: "x" });
    expect(messages(secrets, p)).toEqual([
      expect.stringContaining("/China/Dev/UserSecretKey looks secret but is a String"),
    ]);
  });

  it("passes a plain String whose name says nothing secret", () => {
    const p = planned(PARAMETER, { name: "/China/Dev/DeploymentS3Bucket", type: "String" });
    expect(messages(secrets, p)).toEqual([]);
  });
});

describe("ssm-secure-string-customer-key", () => {
  it("passes a SecureString with a customer key", () => {
    const p = planned(PARAMETER, {
      name: "/x/Token",
      type: "SecureString",
      keyId: "alias/silkroute",
    });
    expect(messages(customerKey, p)).toEqual([]);
  });

  it.each([[undefined], ["alias/aws/ssm"]])("flags a SecureString with keyId %s", (keyId) => {
    const p = planned(PARAMETER, { name: "/x/Token", type: "SecureString", keyId });
    expect(messages(customerKey, p)).toEqual([expect.stringContaining("customer KMS key")]);
  });
});
