import { createValidatedPolicy, validateResourcePolicy } from "@cloud-copilot/iam-policy";
import { runUnsafeSimulation } from "@cloud-copilot/iam-simulate";
import type { AccessRequest, PolicySet } from "../../automation/policies/simulate";

/*
 * The reference decide() is held to: the IAM policy engine handed the whole
 * documents, nothing left out and nothing remembered.
 */

const parsed = (d: unknown) => (typeof d === "string" ? JSON.parse(d) : d);
const accountOf = (arn: string) => arn.split(":")[4] ?? "";

/** A reference: the engine on the whole documents, the request as decide() puts it. */
export function wholeDocuments(policies: PolicySet, request: AccessRequest): string {
  const context: Record<string, string | string[]> = {
    "aws:PrincipalArn": request.principal,
    "aws:PrincipalAccount": accountOf(request.principal),
  };
  for (const [k, v] of Object.entries(request.context ?? {})) {
    context[k] = typeof v === "string" ? v : [...v];
  }
  return runUnsafeSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: {
          resource: request.resource,
          accountId: request.resourceAccount ?? accountOf(request.resource),
        },
        contextVariables: context,
      },
      identityPolicies: policies.identityPolicies.map((p, i) => ({
        name: `identity-${i}`,
        policy: parsed(p),
      })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy:
        policies.resourcePolicy === undefined
          ? undefined
          : createValidatedPolicy(parsed(policies.resourcePolicy), validateResourcePolicy, {
              name: "resource-policy",
            }),
      permissionBoundaryPolicies:
        policies.permissionsBoundary === undefined
          ? undefined
          : [{ name: "boundary", policy: parsed(policies.permissionsBoundary) }],
    },
    { simulationMode: "Strict" },
  );
}
