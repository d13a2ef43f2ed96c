import { SNS_POLICIES } from "../../automation/policies/sns";
import { messages, planned, policyJson, policyNamed } from "../helpers/planned";

const encrypted = policyNamed(SNS_POLICIES, "sns-encrypted");
const notPublic = policyNamed(SNS_POLICIES, "sns-topic-not-public");
const TOPIC = "aws:sns/topic:Topic";
const TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy";

describe("sns-encrypted (FSBP SNS.1)", () => {
  it("passes a topic encrypted with a customer managed key", () => {
    const topic = planned(TOPIC, { kmsMasterKeyId: "arn:aws:kms:us-east-1:123456789012:key/k" });
    expect(messages(encrypted, topic)).toEqual([]);
  });

  it("leaves a key not known yet (a preview of a new key) to the update", () => {
    expect(messages(encrypted, planned(TOPIC, { kmsMasterKeyId: "[unknown]" }))).toEqual([]);
  });

  it.each([[undefined], [""]])("flags a topic with kmsMasterKeyId %p", (key) => {
    expect(messages(encrypted, planned(TOPIC, { kmsMasterKeyId: key }))).toEqual([
      "not encrypted: set kmsMasterKeyId to a customer managed KMS key",
    ]);
  });

  it.each([["alias/aws/sns"], ["arn:aws:kms:us-east-1:123456789012:alias/aws/sns"]])(
    "flags SNS's AWS managed key %s, whose policy no publishing service can use",
    (key) => {
      expect(messages(encrypted, planned(TOPIC, { kmsMasterKeyId: key }))).toEqual([
        expect.stringContaining("AWS managed key"),
      ]);
    },
  );
});

describe("sns-topic-not-public (FSBP SNS.4)", () => {
  const service = {
    Sid: "Rules",
    Effect: "Allow",
    Principal: { Service: "codestar-notifications.amazonaws.com" },
    Action: "sns:Publish",
    Resource: "arn:aws:sns:us-east-1:123456789012:t",
  };

  it("passes a policy naming a service, and a Deny for anyone", () => {
    const policy = planned(TOPIC_POLICY, {
      policy: policyJson(service, { ...service, Sid: "Tls", Effect: "Deny", Principal: "*" }),
    });
    expect(messages(notPublic, policy)).toEqual([]);
  });

  it.each([["*"], [{ AWS: "*" }], [{ AWS: ["arn:aws:iam::123456789012:root", "*"] }]])(
    "flags an Allow for principal %j",
    (principal) => {
      const policy = planned(TOPIC_POLICY, {
        policy: policyJson({ ...service, Principal: principal, Action: ["sns:Subscribe"] }),
      });
      expect(messages(notPublic, policy)).toEqual([
        'statement Rules allows anyone sns:Subscribe: name the service or account instead of "*"',
      ]);
    },
  );
});
