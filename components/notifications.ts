import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { EncryptionKey } from "./encryptionKey";
import { DEFAULT_PREFIX, notificationsName } from "./naming";
import { endpointHost, Partition, servicePrincipal } from "./partition";

/** The service that publishes notification rules' events to the topic. */
export const NOTIFICATIONS_SERVICE = "codestar-notifications";

/**
 * The pipeline's events the topic hears about, as the Developer Tools
 * console's notification concepts name them (event type ids, docs:
 * dtconsole/latest/userguide/concepts.html): a run failed, a run was
 * superseded by a newer one, a manual approval waits.
 */
export const PIPELINE_EVENTS = [
  "codepipeline-pipeline-pipeline-execution-failed",
  "codepipeline-pipeline-pipeline-execution-superseded",
  "codepipeline-pipeline-manual-approval-needed",
] as const;

/** A scheduled build's events: it failed (drift, an old key, a check that could not run) or was stopped. */
export const BUILD_EVENTS = [
  "codebuild-project-build-state-failed",
  "codebuild-project-build-state-stopped",
] as const;

/** One notification rule: a resource and the events of it the topic receives. */
export interface NotificationSource {
  /** Suffix of the rule's name (`<prefix>-notify-<name>`). */
  readonly name: string;
  /** ARN of the pipeline or CodeBuild project. */
  readonly resourceArn: pulumi.Input<string>;
  readonly eventTypeIds: readonly string[];
}

export interface NotificationsArgs {
  /** Prefix of the topic's, key's and rules' names. @default "silkroute" */
  readonly prefix?: string;
  /** Addresses subscribed with the email protocol (each confirms from its inbox). @default none */
  readonly emails?: readonly string[];
  /** HTTPS endpoints subscribed with the https protocol (each confirms the subscription). @default none */
  readonly httpsEndpoints?: readonly string[];
  /** The resources whose events reach the topic, one notification rule each. */
  readonly sources: readonly NotificationSource[];
}

const RULE_NAME = /^[A-Za-z0-9\-_ ]{1,64}$/;
const EVENT = /^[a-z0-9-]+$/;

/** Validates Notifications args; returns the problem or undefined. */
export function validateNotificationsArgs(args: NotificationsArgs): string | undefined {
  const prefix = args.prefix ?? DEFAULT_PREFIX;
  for (const source of args.sources) {
    const rule = ruleName(prefix, source.name);
    if (!RULE_NAME.test(rule)) {
      return `notification rule ${rule} must be 1-64 letters, digits, spaces, '-' or '_'`;
    }
    if (source.eventTypeIds.length === 0 || !source.eventTypeIds.every((e) => EVENT.test(e))) {
      return `notification rule ${rule} needs event type ids such as ${PIPELINE_EVENTS[0]}`;
    }
  }
  const bad = (args.httpsEndpoints ?? []).find((u) => !u.startsWith("https://"));
  if (bad !== undefined) return `httpsEndpoints must be https:// URLs, got ${bad}`;
  return undefined;
}

export const ruleName = (prefix: string, name: string) => `${prefix}-notify-${name}`;

/**
 * The topic's policy: the notification rules' service may publish to it
 * (AWS's documented statement for CodeStar Notifications), and nobody may
 * publish without TLS.
 */
export function topicPolicy(partition: Partition, topicArn: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "NotificationRulesPublish",
        Effect: "Allow",
        Principal: { Service: servicePrincipal(NOTIFICATIONS_SERVICE, partition) },
        Action: "sns:Publish",
        Resource: topicArn,
      },
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  };
}

/**
 * The notifications of the pipeline and the scheduled checks: an SNS topic
 * encrypted with a customer managed key of its own (FSBP SNS.1), which the
 * notification rules' service may use only through SNS; email and HTTPS
 * subscriptions; one notification rule per source. The key is not the
 * pipeline's artifact key: that one is usable only through S3 for its
 * bucket (rule artifact-keys-through-s3).
 */
export class Notifications extends pulumi.ComponentResource {
  readonly topic: aws.sns.Topic;
  readonly topicArn: pulumi.Output<string>;
  readonly key: EncryptionKey;

  constructor(name: string, args: NotificationsArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("silkroute:operations:Notifications", name, {}, opts);
    const problem = validateNotificationsArgs(args);
    if (problem) throw new pulumi.ResourceError(problem, this);
    const prefix = args.prefix ?? DEFAULT_PREFIX;
    const child = { parent: this };
    const partition = aws.getPartitionOutput({}, child).partition;
    const region = aws.getRegionOutput({}, child).region;

    this.key = new EncryptionKey(
      `${name}-key`,
      {
        aliasName: notificationsName(prefix),
        userArns: [],
        // Administrators may publish a test message with their IAM permissions.
        usableThroughIam: true,
        description: "silkroute: encrypts the notifications topic",
        policyStatements: pulumi.all([partition, region]).apply(([p, r]) => [
          {
            Sid: "NotificationRulesThroughSns",
            Effect: "Allow",
            Principal: { Service: servicePrincipal(NOTIFICATIONS_SERVICE, p as Partition) },
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: "*",
            Condition: { StringEquals: { "kms:ViaService": endpointHost("sns", r) } },
          },
        ]),
      },
      child,
    );
    this.topic = new aws.sns.Topic(
      `${name}-topic`,
      { name: notificationsName(prefix), kmsMasterKeyId: this.key.arn },
      child,
    );
    this.topicArn = this.topic.arn;
    const policy = new aws.sns.TopicPolicy(
      `${name}-topic-policy`,
      {
        arn: this.topicArn,
        policy: pulumi
          .all([partition, this.topicArn])
          .apply(([p, arn]) => JSON.stringify(topicPolicy(p as Partition, arn))),
      },
      child,
    );
    // Named by endpoint, so reordering the config re-subscribes nobody.
    const subscribe = (protocol: "email" | "https", endpoint: string) =>
      new aws.sns.TopicSubscription(
        `${name}-${protocol}-${createHash("sha256").update(endpoint).digest("hex").slice(0, 8)}`,
        { topic: this.topicArn, protocol, endpoint },
        child,
      );
    for (const email of args.emails ?? []) subscribe("email", email);
    for (const url of args.httpsEndpoints ?? []) subscribe("https", url);
    for (const source of args.sources) {
      new aws.codestarnotifications.NotificationRule(
        `${name}-${source.name}`,
        {
          name: ruleName(prefix, source.name),
          resource: source.resourceArn,
          detailType: "FULL",
          eventTypeIds: [...source.eventTypeIds],
          status: "ENABLED",
          targets: [{ address: this.topicArn, type: "SNS" }],
        },
        // The service checks it may publish when the rule is created.
        { ...child, dependsOn: [policy] },
      );
    }
    this.registerOutputs({ topicArn: this.topicArn });
  }
}
