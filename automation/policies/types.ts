import { PlannedResource, Violation } from "../plan/types";

/** A rule over the resources of one planned stack. */
export interface Policy {
  readonly name: string;
  readonly description: string;
  /**
   * Security Hub controls the rule enforces (AWS Foundational Security Best
   * Practices unless the id says otherwise), e.g. `S3.5`. @default none
   */
  readonly controls?: readonly string[];
  /** Messages for one resource; empty when it complies. */
  readonly validateResource?: (resource: PlannedResource) => string[];
  /** Violations that need the whole stack (e.g. a bucket and its siblings). */
  readonly validateStack?: (resources: readonly PlannedResource[]) => Violation[];
}

/** A resource-level policy over the resources of some types. */
export function resourcePolicy(
  spec: Omit<Policy, "validateResource" | "validateStack"> & {
    readonly types: readonly string[];
    readonly check: (resource: PlannedResource) => string[];
  },
): Policy {
  const { types, check, ...rest } = spec;
  return { ...rest, validateResource: (r) => (types.includes(r.type) ? check(r) : []) };
}
