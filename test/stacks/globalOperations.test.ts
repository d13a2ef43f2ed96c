import { evaluate } from "../helpers/pulumi";
import type { EvaluatedStack } from "../../automation/plan/evaluate";
import { readStackConfig } from "../../automation/plan/stackConfig";
import { decide } from "../../automation/policies/simulate";
import { loadGlobalConfig } from "../../stacks/config/global";
import { globalProgram } from "../../stacks/global";
import { checkEntry } from "../../stacks/globalOperations";
import { operationsProject } from "../helpers/operationsProject";
import { inputsOf, ofType, only, policyOf } from "../helpers/pulumi";

const ACCOUNT = "123456789012";
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/silkroute-operations/${name}`;
const CHECKS = ["dev", "stage", "prod"].map((env) => role(`silkroute-checks-${env}`));
const ROTATION = role("silkroute-rotation");

describe("the global stack with the scheduled checks and rotation", () => {
  let stack: EvaluatedStack;
  const variables = (project: string): Record<string, string> =>
    Object.fromEntries(
      inputsOf(
        ofType(stack, "aws:codebuild/project:Project").find((p) => p.inputs.name === project)!,
      ).environment.environmentVariables.map((v: { name: string; value: string }) => [
        v.name,
        v.value,
      ]),
    );
  const keyOf = (alias: string) => {
    const target = ofType(stack, "aws:kms/alias:Alias").find(
      (a) => a.inputs.name === `alias/${alias}`,
    )!.inputs.targetKeyId;
    return ofType(stack, "aws:kms/key:Key").find((k) => k.id === target)!;
  };
  const keyPolicyOf = (alias: string) => policyOf(keyOf(alias));
  beforeAll(async () => {
    stack = await evaluate(globalProgram, readStackConfig(operationsProject(), "global"), "global");
  });

  it("gives each environment's checks project its entry, the key age and every Region's bucket", () => {
    // given / when
    const entries = ["dev", "stage", "prod"].map(
      (env) => variables(`silkroute-checks-${env}`).SILKROUTE_CHECKS,
    );
    const vars = variables("silkroute-checks-prod");
    // then
    expect(entries).toEqual([
      "dev,all,dev-us-east-1,keys",
      "stage,china,stage-us-east-1,keys",
      "prod,china,prod-us-east-1,keys",
    ]);
    expect(vars.SILKROUTE_KEY_MAX_AGE_DAYS).toBe("20");
    expect(vars.SILKROUTE_ARTIFACT_BUCKET).toMatch(/^us-east-1=\S+$/);
    expect(vars.PULUMI_BACKEND_URL).toMatch(/^s3:\/\//);
  });

  it("gives the rotation the state bucket as its backend and no more", () => {
    expect(Object.keys(variables("silkroute-rotation")).sort()).toEqual([
      "PULUMI_BACKEND_URL",
      "PULUMI_SHA256",
      "PULUMI_VERSION",
    ]);
  });

  it("denies every checks role the china stack's state and secrets key, and lets the rotation role use that key", () => {
    // given the china secrets key's policy and each role's own
    const policy = keyPolicyOf("silkroute-china-secrets");
    const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/${keyOf("silkroute-china-secrets").id}`;
    const ownPolicy = (name: string) =>
      ofType(stack, "aws:iam/rolePolicy:RolePolicy")
        .filter((p) => p.inputs.role === name)
        .map((p) => policyOf(p));
    const ask = (principal: string, name: string) =>
      decide(
        { identityPolicies: ownPolicy(name), resourcePolicy: policy },
        { principal, action: "kms:Decrypt", resource: key },
      );
    // then
    const denied = policy.Statement.find((s: { Sid: string }) => s.Sid === "NoPipelineRole");
    expect(denied.Condition.ArnEquals["aws:PrincipalArn"]).toEqual(expect.arrayContaining(CHECKS));
    expect(denied.Condition.ArnEquals["aws:PrincipalArn"]).not.toContain(ROTATION);
    expect(ask(CHECKS[2], "silkroute-checks-prod")).toBe("ExplicitlyDenied");
    expect(ask(ROTATION, "silkroute-rotation")).toBe("Allowed");
    const bucket = ofType(stack, "aws:s3/bucketPolicy:BucketPolicy")
      .map((b) => JSON.stringify(policyOf(b)))
      .find((text) => text.includes("NoPipelineRoleReadsChinaStackState"));
    for (const arn of CHECKS) expect(bucket).toContain(arn);
    expect(bucket).not.toContain(ROTATION);
  });

  it("lets CodeBuild use the pipeline Region's artifact key for both projects", () => {
    const policy = keyPolicyOf("silkroute-artifacts");
    const codebuild = policy.Statement.find(
      (s: { Sid: string }) => s.Sid === "KeyUsageThroughCodeBuild",
    );
    expect(codebuild.Principal.AWS).toEqual(expect.arrayContaining([...CHECKS, ROTATION]));
  });

  it("sends the pipeline's and every project's events to the topic, and exports it", () => {
    const rules = ofType(stack, "aws:codestarnotifications/notificationRule:NotificationRule");
    expect(rules.map((r) => r.inputs.name).sort()).toEqual([
      "silkroute-notify-checks-dev",
      "silkroute-notify-checks-prod",
      "silkroute-notify-checks-stage",
      "silkroute-notify-pipeline",
      "silkroute-notify-rotation",
    ]);
    expect(stack.outputs.notificationsTopicArn).toBe(
      `arn:aws:sns:us-east-1:${ACCOUNT}:silkroute-notifications`,
    );
    expect(inputsOf(only(stack, "aws:sns/topic:Topic")).kmsMasterKeyId).toBeDefined();
  });
});

describe("checkEntry", () => {
  it("drifts what the checks role can read, and names the stack holding the version", () => {
    // given
    const cfg = loadGlobalConfig({
      "silkroute:environments": JSON.stringify([
        { name: "dev", globalRegions: ["eu-west-1", "us-east-1"] },
        {
          name: "lab",
          china: false,
          crossAccount: { accountId: "444444444444", roleName: "r" },
        },
        { name: "prod", crossAccount: { accountId: "333333333333", roleName: "r" } },
      ]),
    });
    // when / then
    expect(cfg.environments.map(checkEntry)).toEqual([
      "dev,all,dev-eu-west-1,keys",
      "lab,-,lab-us-east-1,-",
      "prod,china,prod-us-east-1,keys",
    ]);
  });
});
