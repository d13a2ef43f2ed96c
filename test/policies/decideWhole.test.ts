import * as path from "path";
import { plan } from "../../automation/plan/plan";
import type { AccessRequest, PolicySet } from "../../automation/policies/simulate";
import { wholeDocuments } from "../helpers/wholeDocuments";

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
