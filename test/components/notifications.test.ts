import {
  BUILD_EVENTS,
  Notifications,
  PIPELINE_EVENTS,
  validateNotificationsArgs,
} from "../../components/notifications";
import { evaluate, inputsOf, ofType, only, policyOf, providerFor } from "../helpers/pulumi";

const PIPELINE = "arn:aws:codepipeline:us-east-1:123456789012:silkroute";
const PROJECT = "arn:aws:codebuild:us-east-1:123456789012:project/silkroute-operations";

describe("Notifications", () => {
  const program =
    (region = "us-east-1") =>
    () => {
      const n = new Notifications(
        "notifications",
        {
          emails: ["ops@example.com"],
          httpsEndpoints: ["https://hooks.example.com/x"],
          sources: [
            { name: "pipeline", resourceArn: PIPELINE, eventTypeIds: PIPELINE_EVENTS },
            { name: "checks", resourceArn: PROJECT, eventTypeIds: BUILD_EVENTS },
          ],
        },
        { provider: providerFor(region) },
      );
      return { topicArn: n.topicArn };
    };

  it("encrypts the topic with a customer managed key of its own", async () => {
    // given / when
    const stack = await evaluate(program());
    // then
    const topic = inputsOf(only(stack, "aws:sns/topic:Topic"));
    const key = only(stack, "aws:kms/key:Key");
    expect(topic.name).toBe("silkroute-notifications");
    expect(topic.kmsMasterKeyId).toMatch(/^arn:aws:kms:us-east-1:\d{12}:key\//);
    expect(topic.kmsMasterKeyId.endsWith(`key/${key.id}`)).toBe(true);
  });

  it("lets the notification rules' service use the key only through SNS in the topic's Region", async () => {
    // given / when
    const stack = await evaluate(program("eu-west-1"));
    // then
    const statements = policyOf(only(stack, "aws:kms/key:Key")).Statement;
    const service = statements.filter(
      (s: { Principal?: { Service?: string } }) => s.Principal?.Service !== undefined,
    );
    expect(service).toEqual([
      expect.objectContaining({
        Principal: { Service: "codestar-notifications.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Condition: { StringEquals: { "kms:ViaService": "sns.eu-west-1.amazonaws.com" } },
      }),
    ]);
  });

  it("lets the notification rules' service publish, and nobody without TLS", async () => {
    // given / when
    const stack = await evaluate(program());
    // then
    const policy = policyOf(only(stack, "aws:sns/topicPolicy:TopicPolicy"));
    const topicArn = inputsOf(only(stack, "aws:sns/topicPolicy:TopicPolicy")).arn;
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Effect: "Allow",
        Principal: { Service: "codestar-notifications.amazonaws.com" },
        Action: "sns:Publish",
        Resource: topicArn,
      }),
      expect.objectContaining({
        Effect: "Deny",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
    ]);
  });

  it("subscribes the addresses and endpoints, and sends each source's events to the topic", async () => {
    // given / when
    const stack = await evaluate(program());
    // then
    const subs = ofType(stack, "aws:sns/topicSubscription:TopicSubscription").map(inputsOf);
    expect(subs.map((s) => [s.protocol, s.endpoint]).sort()).toEqual([
      ["email", "ops@example.com"],
      ["https", "https://hooks.example.com/x"],
    ]);
    const rules = ofType(stack, "aws:codestarnotifications/notificationRule:NotificationRule").map(
      inputsOf,
    );
    const topic = inputsOf(only(stack, "aws:sns/topicPolicy:TopicPolicy")).arn;
    expect(rules.map((r) => [r.name, r.resource, r.eventTypeIds]).sort()).toEqual([
      ["silkroute-notify-checks", PROJECT, [...BUILD_EVENTS]],
      ["silkroute-notify-pipeline", PIPELINE, [...PIPELINE_EVENTS]],
    ]);
    for (const r of rules) expect(r.targets).toEqual([{ address: topic, type: "SNS" }]);
  });

  it("hears about failed and superseded runs and a waiting approval", () => {
    expect(PIPELINE_EVENTS).toEqual([
      "codepipeline-pipeline-pipeline-execution-failed",
      "codepipeline-pipeline-pipeline-execution-superseded",
      "codepipeline-pipeline-manual-approval-needed",
    ]);
  });

  it("validates rule names, events and endpoints", () => {
    const source = { name: "pipeline", resourceArn: PIPELINE, eventTypeIds: PIPELINE_EVENTS };
    expect(validateNotificationsArgs({ sources: [source] })).toBeUndefined();
    expect(validateNotificationsArgs({ sources: [{ ...source, name: "x".repeat(60) }] })).toMatch(
      /must be 1-64 letters/,
    );
    expect(validateNotificationsArgs({ sources: [{ ...source, eventTypeIds: [] }] })).toMatch(
      /needs event type ids/,
    );
    expect(
      validateNotificationsArgs({ sources: [source], httpsEndpoints: ["http://x.example"] }),
    ).toBe("httpsEndpoints must be https:// URLs, got http://x.example");
  });
});
