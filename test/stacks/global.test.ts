import * as path from "path";
import { evaluate } from "../helpers/pulumi";
import type { EvaluatedStack } from "../../automation/plan/evaluate";
import { readStackConfig } from "../../automation/plan/stackConfig";
import { decide } from "../../automation/policies/simulate";
import { GLOBAL_OUTPUTS_READ } from "../../stacks/config/china";
import { globalProgram } from "../../stacks/global";

const root = path.resolve(__dirname, "../..");
const ACCOUNT = "123456789012";

describe("the global stack", () => {
  let stack: EvaluatedStack;
  beforeAll(async () => {
    stack = await evaluate(globalProgram, readStackConfig(root, "global"), "global");
  });

  it("still exports everything the china stack reads", () => {
    for (const key of GLOBAL_OUTPUTS_READ) expect(stack.outputs[key]).toBeDefined();
  });

  it("exports one deploy role per environment", () => {
    const roles = stack.outputs.roleArns as { deploy: Record<string, string> };
    expect(roles.deploy).toEqual({
      dev: `arn:aws:iam::${ACCOUNT}:role/silkroute-deploy-dev`,
      stage: `arn:aws:iam::${ACCOUNT}:role/silkroute-deploy-stage`,
      prod: `arn:aws:iam::${ACCOUNT}:role/silkroute-deploy-prod`,
    });
  });

  it("exports what each cross-account role needs in its own account", () => {
    const roles = stack.outputs.crossAccountRoles as Record<string, Record<string, unknown>>;
    expect(Object.keys(roles)).toEqual(["stage", "prod"]);
    expect(roles.prod).toMatchObject({
      roleArn: "arn:aws:iam::333333333333:role/silkroute-cross-account-deploy",
      trustedDeployRoleArn: `arn:aws:iam::${ACCOUNT}:role/silkroute-deploy-prod`,
      permissionsBoundaryName: "silkroute-app-boundary",
    });
    expect(roles.prod.codeObjects).toEqual([
      expect.stringMatching(
        /^arn:aws:s3:::artifacts-us-east-1-bucket-\w+\/app\/silkroute-prod\/\*$/,
      ),
    ]);
  });

  it("exports an admin-only secrets provider for the china stack that no pipeline role may use", () => {
    // given the key behind the exported provider
    expect(stack.outputs.chinaSecretsProvider).toBe(
      "awskms://alias/silkroute-china-secrets?region=us-east-1",
    );
    const alias = stack.resources.find(
      (r) => r.type === "aws:kms/alias:Alias" && r.inputs.name === "alias/silkroute-china-secrets",
    )!;
    const key = stack.resources.find((r) => r.id === alias.inputs.targetKeyId)!;
    const keyArn = `arn:aws:kms:us-east-1:${ACCOUNT}:key/${key.id}`;
    const decrypt = (role: string) =>
      decide(
        {
          identityPolicies: [
            {
              Version: "2012-10-17",
              Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }],
            },
          ],
          resourcePolicy: key.inputs.policy,
        },
        {
          principal: `arn:aws:iam::${ACCOUNT}:role/${role}`,
          action: "kms:Decrypt",
          resource: keyArn,
        },
      );
    // then even a pipeline role granted everything by IAM is denied; an administrator is not
    for (const role of [
      "silkroute-deploy-dev",
      "silkroute-deploy-prod",
      "silkroute-preview",
      "silkroute-codebuild",
    ]) {
      expect([role, decrypt(role)]).toEqual([role, "ExplicitlyDenied"]);
    }
    expect(decrypt("admin")).toBe("Allowed");
  });
});

describe("the cross-account boundary policy, two environments in one account", () => {
  it("is one document for the account, each environment's roles reaching its own resources only", async () => {
    // given stage and prod deploying into one account (roles of their own), and functionsUse [queue]
    const config = readStackConfig(root, "global");
    const environments = JSON.parse(config["silkroute:environments"]) as {
      name: string;
      crossAccount?: { accountId: string; roleName: string };
    }[];
    const prod = environments.find((e) => e.name === "prod")!;
    prod.crossAccount = { accountId: "222222222222", roleName: "silkroute-prod-deploy" };
    const stack = await evaluate(
      globalProgram,
      {
        ...config,
        "silkroute:environments": JSON.stringify(environments),
        "silkroute:app": JSON.stringify({ manages: ["queue"], functionsUse: ["queue"] }),
      },
      "global",
    );
    // when each role of that account, its own policy allowing anything, sends to a queue
    const roles = stack.outputs.crossAccountRoles as Record<string, { boundaryPolicy: unknown }>;
    expect(roles.stage.boundaryPolicy).toEqual(roles.prod.boundaryPolicy);
    const send = (env: string, queueEnv: string) =>
      decide(
        {
          identityPolicies: [
            { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
          ],
          permissionsBoundary: roles[env].boundaryPolicy,
        },
        {
          principal: `arn:aws:iam::222222222222:role/silkroute-${env}-us-east-1-fn`,
          action: "sqs:SendMessage",
          resource: `arn:aws:sqs:us-east-1:222222222222:silkroute-${queueEnv}-orders`,
          context: { "aws:RequestedRegion": "us-east-1" },
        },
      );
    // then each reaches its own environment's queue, never the other's
    expect(send("stage", "stage")).toBe("Allowed");
    expect(send("prod", "prod")).toBe("Allowed");
    expect(send("stage", "prod")).not.toBe("Allowed");
    expect(send("prod", "stage")).not.toBe("Allowed");
  });
});
