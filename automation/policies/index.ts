import { PlannedResource, Violation } from "../plan/types";

/** A rule over the resources of one planned stack. */
export interface Policy {
  readonly name: string;
  readonly description: string;
  /** Messages for one resource; empty when it complies. */
  readonly validateResource?: (resource: PlannedResource) => string[];
  /** Violations that need the whole stack (e.g. the pipeline's shape). */
  readonly validateStack?: (resources: readonly PlannedResource[]) => Violation[];
}

const explicitProvider: Policy = {
  name: "explicit-provider",
  description: "Every AWS resource has an explicit provider (default providers are disabled).",
  validateResource: (r) =>
    r.custom && r.type.startsWith("aws:") && r.provider === null
      ? ["has no explicit provider: pass { provider } (default providers are disabled)"]
      : [],
};

export const POLICIES: readonly Policy[] = [explicitProvider];

/** Runs every policy over a stack's resources. */
export function runPolicies(
  resources: readonly PlannedResource[],
  policies: readonly Policy[] = POLICIES,
): Violation[] {
  const violations: Violation[] = [];
  for (const policy of policies) {
    for (const resource of resources) {
      for (const message of policy.validateResource?.(resource) ?? []) {
        violations.push({ policy: policy.name, urn: resource.urn, message });
      }
    }
    violations.push(...(policy.validateStack?.(resources) ?? []));
  }
  return violations;
}
