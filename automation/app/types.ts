import type { Partition } from "../../components/partition";

/*
 * What the pre-flight (preflight.ts) and the needs it asks about (needs.ts,
 * eventSourceMappings.ts) share, in a module of its own so each of them
 * imports it and none imports another back.
 */

/** One IAM request a deploy makes: an action on a resource, with its request context. */
export interface Need {
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string>;
}

/** The target an app stack deploys into. */
export interface PreflightTarget {
  readonly env: string;
  readonly region: string;
  readonly partition: Partition;
  /** The account the target's provider deploys into. */
  readonly account: string;
  /** `silkroute-dev`. */
  readonly appPrefix: string;
  /** The kinds the deploy identities' statements are generated from. */
  readonly kinds: readonly string[];
  /** The kinds silkroute:app.manages lists: a missing kind's fix appends to them. @default none */
  readonly manages?: readonly string[];
  /** CloudFormation apps: the stack's name and the parameters it is given. */
  readonly stackName?: string;
  readonly parameters?: Readonly<Record<string, string>>;
  /** CloudFormation apps: the template's transforms, by ARN name. */
  readonly transforms?: readonly string[];
}
