import { Policy, resourcePolicy } from "./types";
import { statementsOf, stringsOf, UNKNOWN, SECRET_PLACEHOLDER } from "./util";

/** SNS's AWS managed key: encrypts, but its policy cannot let a service publish. */
const AWS_MANAGED_SNS_KEY = /^(alias\/)?aws\/sns$|:alias\/aws\/sns$/;

/** Whether a statement's principal is anyone: `"*"` or `{ AWS: "*" }`. */
function isPublic(principal: unknown): boolean {
  if (principal === "*") return true;
  if (typeof principal !== "object" || principal === null) return false;
  return stringsOf((principal as { AWS?: unknown }).AWS).includes("*");
}

export const SNS_POLICIES: readonly Policy[] = [
  resourcePolicy({
    name: "sns-encrypted",
    description: "Every SNS topic is encrypted at rest with a customer managed KMS key.",
    controls: ["SNS.1"],
    types: ["aws:sns/topic:Topic"],
    check: (r) => {
      const key = r.inputs.kmsMasterKeyId;
      // A key created in the same update is unknown in a preview: the rule does not guess.
      if (key === UNKNOWN || key === SECRET_PLACEHOLDER) return [];
      if (key === undefined || key === null || key === "") {
        return ["not encrypted: set kmsMasterKeyId to a customer managed KMS key"];
      }
      return typeof key === "string" && AWS_MANAGED_SNS_KEY.test(key)
        ? [
            `encrypted with the AWS managed key ${key}: use a customer managed key, whose policy can let the publishing services use it`,
          ]
        : [];
    },
  }),
  resourcePolicy({
    name: "sns-topic-not-public",
    description:
      'No SNS topic policy allows anyone (Principal "*"): only named services and accounts publish or subscribe.',
    controls: ["SNS.4"],
    types: ["aws:sns/topicPolicy:TopicPolicy", "aws:sns/topic:Topic"],
    check: (r) =>
      statementsOf(r.inputs.policy)
        .filter((s) => s.Effect === "Allow" && isPublic(s.Principal))
        .map(
          (s) =>
            `statement ${s.Sid ?? "(no Sid)"} allows anyone ${stringsOf(s.Action).join(", ")}: name the service or account instead of "*"`,
        ),
  }),
];
