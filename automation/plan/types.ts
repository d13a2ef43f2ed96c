import { Partition } from "../../components/partition";

/** One resource of a plan (docs/plan-json.md, docs/plan.schema.json). */
export interface PlannedResource {
  readonly urn: string;
  readonly id: string | null;
  readonly type: string;
  readonly name: string;
  readonly parent: string | null;
  /** Region of the provider that manages the resource (or was given to the component). */
  readonly region: string | null;
  readonly partition: Partition | null;
  /** URN of that provider; null for components given none and for providers themselves. */
  readonly provider: string | null;
  readonly custom: boolean;
  /** Inputs with every secret shown as "[secret]". */
  readonly inputs: Record<string, unknown>;
}

export interface Violation {
  readonly policy: string;
  readonly urn: string;
  readonly message: string;
}

export interface PlannedStack {
  readonly name: string;
  readonly resources: readonly PlannedResource[];
  readonly violations: readonly Violation[];
}

/** A policy rule the plan ran over every stack it judged. */
export interface PlannedRule {
  readonly name: string;
  readonly description: string;
  /** Security Hub controls it enforces, e.g. `S3.5`; empty when none. */
  readonly controls: readonly string[];
}

/** The version of the plan document's shape; docs/plan-json.md says what each one changed. */
export const PLAN_SCHEMA_VERSION = 1;

export interface PlanDocument {
  readonly schemaVersion: typeof PLAN_SCHEMA_VERSION;
  readonly summary: {
    readonly stacks: number;
    readonly resources: number;
    readonly violations: number;
    readonly rules: number;
  };
  readonly rules: readonly PlannedRule[];
  readonly stacks: readonly PlannedStack[];
}
