import { Policy, resourcePolicy } from "./types";

/** Only symmetric encryption keys can rotate automatically. */
function rotatable(inputs: Record<string, unknown>): boolean {
  const spec = inputs.customerMasterKeySpec ?? inputs.keySpec ?? "SYMMETRIC_DEFAULT";
  const usage = inputs.keyUsage ?? "ENCRYPT_DECRYPT";
  return spec === "SYMMETRIC_DEFAULT" && usage === "ENCRYPT_DECRYPT";
}

export const KMS_POLICIES: readonly Policy[] = [
  resourcePolicy({
    name: "kms-key-rotation",
    description: "Every symmetric customer managed KMS key rotates automatically.",
    controls: ["KMS.4"],
    types: ["aws:kms/key:Key"],
    check: (r) =>
      rotatable(r.inputs) && r.inputs.enableKeyRotation !== true
        ? ["key rotation is off: set enableKeyRotation: true (see components/encryptionKey.ts)"]
        : [],
  }),
];
