import type { Partition } from "../../components/partition";
import type { DeployEnvironmentInputs } from "../../components/iam/policyInputs";
import type { AccessRequest } from "./simulate";

/*
 * The questions the isolation rules ask of the IAM policy engine, and where
 * the pipeline's resources are: the types isolationProbes.ts, appProbes.ts
 * and the rules share, in a module of its own so neither probe module
 * imports the other back.
 */

/**
 * One environment, as its deploy role should reach it: the values its policy
 * documents are built from, here read back from the plan.
 */
export type ProbeEnvironment = DeployEnvironmentInputs;

/** Where the pipeline's resources are, and the policies on them. */
export interface ProbeScope {
  readonly partition: Partition;
  /** The pipeline account. */
  readonly accountId: string;
  /** The pipeline Region (SSM, the state bucket). */
  readonly region: string;
  readonly prefix: string;
  readonly environments: readonly ProbeEnvironment[];
  readonly stateBucketArn: string;
  readonly stateKeyArn: string;
  readonly parameterKeyArn: string;
  /** The china stack's secrets key (its key policy among resourcePolicies). @default none */
  readonly chinaSecretsKeyArn?: string;
  /** Artifact bucket ARN per Region. */
  readonly artifactBucketArns: Readonly<Record<string, string>>;
  /** Artifact key ARN per Region (its key policy among resourcePolicies). @default none */
  readonly artifactKeyArns?: Readonly<Record<string, string>>;
  /** Resource policies by resource ARN (bucket policies by bucket ARN, key policies by key ARN). */
  readonly resourcePolicies: Readonly<Record<string, unknown>>;
}

/** What a probe asks for. */
export type ProbeKind =
  | "parameter"
  | "role-parameter"
  | "role"
  | "state-read"
  | "state-write"
  | "secrets"
  | "code"
  | "app";

/** One question: may `principal` do this? */
export interface Probe {
  readonly kind: ProbeKind;
  /** The app stack whose state or secrets it reaches. @default none */
  readonly stack?: string;
  /** What is asked, for messages: `prod's China key parameter …`. */
  readonly what: string;
  readonly request: Omit<AccessRequest, "principal">;
  /** The resource policy deciding it with the identity policies. @default none */
  readonly resourcePolicy?: unknown;
}
