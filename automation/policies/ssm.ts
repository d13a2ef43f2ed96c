import { Policy, resourcePolicy } from "./types";

/** Parameter names that hold something secret (by their last path segment). */
export const SECRET_NAME = /(key|secret|password|passwd|token|credential)/i;
/** The AWS managed key of SSM: not a customer key, its policy cannot be scoped. */
const AWS_MANAGED_SSM_KEY = /^(alias\/)?aws\/ssm$/;

function customerKey(keyId: unknown): boolean {
  return typeof keyId === "string" && keyId !== "" && !AWS_MANAGED_SSM_KEY.test(keyId);
}

export const SSM_POLICIES: readonly Policy[] = [
  resourcePolicy({
    name: "ssm-secrets-secure-string",
    description:
      "A parameter whose name says key, secret, password or token is a SecureString encrypted with a customer KMS key.",
    types: ["aws:ssm/parameter:Parameter"],
    check: (r) => {
      const name = typeof r.inputs.name === "string" ? r.inputs.name : r.name;
      const leaf = name.split("/").pop() ?? name;
      if (!SECRET_NAME.test(leaf)) return [];
      // The key itself is checked by ssm-secure-string-customer-key.
      return r.inputs.type === "SecureString"
        ? []
        : [
            `${name} looks secret but is a ${String(r.inputs.type)}: use type SecureString with keyId set to a customer KMS key`,
          ];
    },
  }),
  resourcePolicy({
    name: "ssm-secure-string-customer-key",
    description: "Every SecureString parameter is encrypted with a customer KMS key, not aws/ssm.",
    types: ["aws:ssm/parameter:Parameter"],
    check: (r) =>
      r.inputs.type === "SecureString" && !customerKey(r.inputs.keyId)
        ? ["SecureString without a customer KMS key: set keyId to a customer managed key"]
        : [],
  }),
];
