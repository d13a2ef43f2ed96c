import * as path from "path";
import { createValidatedPolicy, validateResourcePolicy } from "@cloud-copilot/iam-policy";
import { runUnsafeSimulation } from "@cloud-copilot/iam-simulate";
import { plan } from "../../automation/plan/plan";
import type { AccessRequest, PolicySet } from "../../automation/policies/simulate";

/*
 * Every question the plan of the shipped config asks (the trust-boundary
 * rules and the app pre-flight), answered by decide() as the engine answers
 * it when handed the whole documents and nothing remembered: leaving
 * statements out and remembering answers changes none.
 */

const asked: { policies: PolicySet; request: AccessRequest; answer: string }[] = [];
jest.mock("../../automation/policies/simulate", () => {
  const actual = jest.requireActual("../../automation/policies/simulate");
  return {
    ...actual,
    decide: (policies: PolicySet, request: AccessRequest) => {
      const answer = actual.decide(policies, request);
      asked.push({ policies, request, answer });
      return answer;
    },
  };
});

const parsed = (d: unknown) => (typeof d === "string" ? JSON.parse(d) : d);
const accountOf = (arn: string) => arn.split(":")[4] ?? "";

/** A reference: the engine on the whole documents, the request as decide() puts it. */
function wholeDocuments(policies: PolicySet, request: AccessRequest): string {
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

describe("decide over the shipped plan", () => {
  it("answers every question as the engine does on the whole documents", async () => {
    // given every question the shipped config's plan asks
    await plan({ projectDir: path.resolve(__dirname, "../..") });
    expect(asked.length).toBeGreaterThan(1000);
    // when each is asked of the engine again, whole and afresh
    const differing = asked
      .filter((q) => wholeDocuments(q.policies, q.request) !== q.answer)
      .map((q) => `${q.request.principal} ${q.request.action} ${q.request.resource}: ${q.answer}`);
    // then no answer differs, whichever it was
    expect(differing).toEqual([]);
    const answers = new Set(asked.map((q) => q.answer));
    expect([...answers].sort()).toEqual(["Allowed", "ExplicitlyDenied", "ImplicitlyDenied"]);
  });
});
