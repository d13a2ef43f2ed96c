import {
  allRoleNames,
  MAX_ROLE_NAME,
  PipelineRoles,
  pipelineRoleNames,
  trustPolicy,
  validatePipelineRolesArgs,
} from "../../../components/iam/pipelineRoles";
import { evaluate, inputsOf, ofType, policyOf, providerFor } from "../../helpers/pulumi";

describe("PipelineRoles", () => {
  const ENVS = ["dev", "prod"];
  const program = (region: string, prefix?: string) => () => {
    const roles = new PipelineRoles(
      "pipeline",
      { prefix, environments: ENVS },
      { provider: providerFor(region) },
    );
    return {
      codeBuildArn: roles.codeBuildArn,
      codePipelineArn: roles.codePipelineArn,
      deployArns: roles.deployArns,
      eventsArn: roles.eventsArn,
      previewArn: roles.previewArn,
    };
  };

  const trustOf = (stack: Awaited<ReturnType<typeof evaluate>>, roleName: string) => {
    const role = ofType(stack, "aws:iam/role:Role").find((r) => inputsOf(r).name === roleName);
    if (!role) throw new Error(`no role ${roleName}`);
    return policyOf(role, "assumeRolePolicy");
  };

  it("gives the roles fixed names from the prefix, one deploy role per environment", async () => {
    // given / when
    const stack = await evaluate(program("us-east-1", "acme"));
    // then
    expect(ofType(stack, "aws:iam/role:Role").map((r) => inputsOf(r).name)).toEqual([
      "acme-codebuild",
      "acme-codepipeline",
      "acme-deploy-dev",
      "acme-deploy-prod",
      "acme-events",
      "acme-preview",
    ]);
    expect(stack.outputs).toEqual({
      codeBuildArn: "arn:aws:iam::123456789012:role/acme-codebuild",
      codePipelineArn: "arn:aws:iam::123456789012:role/acme-codepipeline",
      deployArns: {
        dev: "arn:aws:iam::123456789012:role/acme-deploy-dev",
        prod: "arn:aws:iam::123456789012:role/acme-deploy-prod",
      },
      eventsArn: "arn:aws:iam::123456789012:role/acme-events",
      previewArn: "arn:aws:iam::123456789012:role/acme-preview",
    });
  });

  it("uses the silkroute prefix by default", async () => {
    // given no prefix
    const stack = await evaluate(program("us-east-1"));
    // then every role is named as the silkroute prefix names it
    const names = ofType(stack, "aws:iam/role:Role").map((r) => String(inputsOf(r).name));
    expect(names.sort()).toEqual(allRoleNames(pipelineRoleNames("silkroute", ENVS)).sort());
    expect(names.filter((n) => !n.startsWith("silkroute-"))).toEqual([]);
  });

  it("runs pr-preview and every environment's deploys as roles of their own", () => {
    // given / when
    const names = allRoleNames(pipelineRoleNames("silkroute", ["dev", "stage", "prod"]));
    // then
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain("silkroute-preview");
  });

  it("keeps the longest deploy role name the config allows within IAM's 64 characters", () => {
    // the config's limits: a 24-character prefix, a 16-character environment
    const [longest] = Object.values(pipelineRoleNames("a".repeat(24), ["e".repeat(16)]).deploy);
    expect(longest.length).toBeLessThanOrEqual(MAX_ROLE_NAME);
    expect(
      validatePipelineRolesArgs({ prefix: "a".repeat(24), environments: ["e".repeat(16)] }),
    ).toBeUndefined();
  });

  it.each([
    ["silkroute-codebuild", "codebuild.amazonaws.com"],
    ["silkroute-codepipeline", "codepipeline.amazonaws.com"],
    ["silkroute-deploy-dev", "codebuild.amazonaws.com"],
    ["silkroute-deploy-prod", "codebuild.amazonaws.com"],
    ["silkroute-events", "events.amazonaws.com"],
    ["silkroute-preview", "codebuild.amazonaws.com"],
  ])("lets only its service assume %s, for this account only", async (role, principal) => {
    const stack = await evaluate(program("us-east-1"));
    expect(trustOf(stack, role)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: principal },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        },
      ],
    });
  });

  it("grants no permissions: no inline or managed policies on the roles", async () => {
    const stack = await evaluate(program("us-east-1"));
    for (const role of ofType(stack, "aws:iam/role:Role")) {
      const inputs = inputsOf(role);
      expect(inputs.inlinePolicies).toBeUndefined();
      expect(inputs.managedPolicyArns).toBeUndefined();
      expect(inputs.maxSessionDuration).toBeUndefined();
    }
  });

  it("takes account and principals from an aws-cn provider, with no aws ARN anywhere", async () => {
    const stack = await evaluate(program("cn-north-1"));
    const roles = ofType(stack, "aws:iam/role:Role");
    expect(roles).toHaveLength(6);
    for (const role of roles) {
      expect(JSON.stringify(inputsOf(role))).not.toContain("arn:aws:");
      expect(role.partition).toBe("aws-cn");
      expect(policyOf(role, "assumeRolePolicy").Statement[0].Condition).toEqual({
        StringEquals: { "aws:SourceAccount": "210987654321" },
      });
    }
    expect((stack.outputs.deployArns as Record<string, string>).dev).toBe(
      "arn:aws-cn:iam::210987654321:role/silkroute-deploy-dev",
    );
  });

  it("looks service principals up per partition", () => {
    const principal = (service: string) =>
      trustPolicy(service, "aws-cn", "210987654321").Statement[0].Principal.Service;
    expect(principal("codebuild")).toBe("codebuild.amazonaws.com");
    expect(principal("ec2")).toBe("ec2.amazonaws.com.cn");
  });

  it.each(["A", "Silkroute", "-x", "x", "a".repeat(25), "acme_ci"])(
    "rejects the prefix %s",
    (prefix) => {
      expect(validatePipelineRolesArgs({ prefix, environments: ["dev"] })).toMatch(
        `prefix must be 2-24 lower-case letters, digits or '-', starting with a letter, got ${prefix}`,
      );
    },
  );

  it("accepts a sound prefix or none", () => {
    expect(validatePipelineRolesArgs({ prefix: "acme-ci", environments: ["dev"] })).toBeUndefined();
    expect(validatePipelineRolesArgs({ environments: ["dev"] })).toBeUndefined();
  });

  it.each([
    [[], /environments must list at least one/],
    [["Dev"], /environments must be environment names .* got "Dev"/],
    [["dev", "dev"], /environment dev is listed twice/],
  ])("rejects the environments %j", (environments, message) => {
    expect(validatePipelineRolesArgs({ environments })).toMatch(message);
  });
});
