import { Partition } from "../../components/partition";

/** One resource of a plan, per "The offline plan contract" (DESIGN.md). */
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

export interface PlanDocument {
  readonly stacks: readonly PlannedStack[];
}
