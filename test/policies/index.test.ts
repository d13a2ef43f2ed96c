import { createPolicies, POLICIES, runPolicies } from "../../automation/policies";
import { toPlannedStack } from "../../automation/plan/plan";
import { AppTarget, appProgram } from "../../stacks/app";
import { evaluate, providerFor } from "../helpers/pulumi";
import { messages, planned, policyNamed } from "../helpers/planned";

const explicitProvider = policyNamed(POLICIES, "explicit-provider");

describe("runPolicies", () => {
  it("names the policy and the resource of each violation", () => {
    // given
    const key = planned("aws:kms/key:Key", {});
    // when
    const found = runPolicies([key]);
    // then
    expect(found).toEqual([
      {
        policy: "kms-key-rotation",
        urn: key.urn,
        message: expect.stringContaining("rotation is off"),
      },
    ]);
  });

  it("runs only the policies it is given", () => {
    expect(runPolicies([planned("aws:kms/key:Key", {})], [explicitProvider])).toEqual([]);
  });

  it("has unique policy names", () => {
    const names = createPolicies().map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe("explicit-provider", () => {
  it("passes a resource with a provider", () => {
    expect(messages(explicitProvider, planned("aws:s3/bucket:Bucket"))).toEqual([]);
  });

  it("flags an AWS resource on the default provider", () => {
    const r = planned("aws:s3/bucket:Bucket", {}, { provider: null });
    expect(messages(explicitProvider, r)).toEqual([
      expect.stringContaining("no explicit provider"),
    ]);
  });
});

describe("the app stack under every rule", () => {
  it.each([
    ["us-east-1", "us-east-1"],
    ["china", "cn-north-1"],
  ])("has no violation in target %s", async (target, region) => {
    // given
    const app: AppTarget = {
      env: "prod",
      target,
      region,
      artifactBucket: "artifacts",
      version: "abc",
    };
    const stack = await evaluate(() => ({ ...appProgram(app, providerFor(region)) }));
    // when
    const { violations } = toPlannedStack(stack);
    // then
    expect(violations).toEqual([]);
  });
});
