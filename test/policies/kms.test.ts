import { KMS_POLICIES } from "../../automation/policies/kms";
import { messages, planned } from "../helpers/planned";

const [rotation] = KMS_POLICIES;

describe("kms-key-rotation", () => {
  it("passes a key with rotation on", () => {
    expect(messages(rotation, planned("aws:kms/key:Key", { enableKeyRotation: true }))).toEqual([]);
  });

  it("flags a symmetric key without rotation", () => {
    expect(messages(rotation, planned("aws:kms/key:Key", {}))).toEqual([
      expect.stringContaining("key rotation is off"),
    ]);
  });

  it("does not ask an asymmetric signing key to rotate (AWS cannot)", () => {
    const key = planned("aws:kms/key:Key", {
      customerMasterKeySpec: "RSA_2048",
      keyUsage: "SIGN_VERIFY",
    });
    expect(messages(rotation, key)).toEqual([]);
  });
});
