import { createPolicies } from "../../automation/policies";
import { operationsPolicies } from "../../automation/policies/operations";
import { PipelinePolicyOptions } from "../../automation/policies/pipeline";
import { plan } from "../../automation/plan/plan";
import { PlannedResource } from "../../automation/plan/types";
import { loadProjectConfig } from "../../automation/targets";
import { APPS, projectWith } from "../helpers/appProjects";
import { operationsProject } from "../helpers/operationsProject";
import { policyNamed } from "../helpers/planned";

type Statement = { Sid?: string; Effect: string; Action: unknown; Resource: unknown };

const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";

/** The planned stack with the inline policy of `role` edited. */
function editRolePolicy(
  resources: readonly PlannedResource[],
  role: string,
  edit: (statements: Statement[]) => Statement[],
): PlannedResource[] {
  const target = resources.find((r) => r.type === ROLE_POLICY && r.inputs.role === role);
  if (target === undefined) throw new Error(`no inline policy of ${role}`);
  return resources.map((r) => {
    if (r !== target) return r;
    const doc = JSON.parse(String(r.inputs.policy)) as { Statement: Statement[] };
    return {
      ...r,
      inputs: { ...r.inputs, policy: JSON.stringify({ ...doc, Statement: edit(doc.Statement) }) },
    };
  });
}

describe("day-2 identity rules over the planned global stack", () => {
  let resources: readonly PlannedResource[];
  let shipped: readonly PlannedResource[];
  let options: PipelinePolicyOptions;
  const messagesOf = (name: string, planned: readonly PlannedResource[]) =>
    (policyNamed(operationsPolicies(options), name).validateStack?.(planned) ?? []).map(
      (v) => v.message,
    );
  beforeAll(async () => {
    const dir = operationsProject();
    const cfg = loadProjectConfig(dir);
    options = {
      environments: cfg.environments,
      prefix: cfg.prefix,
      pipelineRegion: cfg.pipelineRegion,
      previewChina: cfg.previewChina,
    };
    resources = (await plan({ projectDir: dir, stacks: ["global"] })).stacks[0].resources;
    shipped = (await plan({ projectDir: `${__dirname}/../..`, stacks: ["global"] })).stacks[0]
      .resources;
  });

  it("are registered with the other rules", () => {
    const names = createPolicies(options).map((p) => p.name);
    for (const rule of operationsPolicies(options)) expect(names).toContain(rule.name);
  });

  it.each([
    "checks-identity-per-environment",
    "rotation-identity-confined",
    "scheduled-build-confined",
  ])("%s: passes the planned checks and rotation", (name) => {
    expect(messagesOf(name, resources)).toEqual([]);
  });

  it("checks-identity-per-environment: the checks of a team app read every kind it manages, their own environment's only", async () => {
    // given the queue-table app with the scheduled checks on
    const dir = projectWith([...APPS["queue-table"], "  silkroute:operations: { checks: true }"]);
    const planned = (await plan({ projectDir: dir, stacks: ["global"] })).stacks[0].resources;
    const withKinds = { ...options, manages: ["queue", "table"] };
    const rule = policyNamed(operationsPolicies(withKinds), "checks-identity-per-environment");
    // when / then: the planned checks roles pass
    expect(rule.validateStack?.(planned)).toEqual([]);
    // and the sample's checks roles, which read no queue, fail for dev's queue (its drift's refresh)
    const messages = (rule.validateStack?.(resources) ?? []).map((v) => v.message);
    expect(messages).toContainEqual(
      expect.stringMatching(
        /^dev's checks role is denied sqs:\w+ on dev's queue arn:aws:sqs:us-east-1:\d+:silkroute-dev-probe/,
      ),
    );
    expect(messages.some((m) => /may reach .* on prod's/.test(m))).toBe(false);
  });

  it("have nothing to say when the config asks for no scheduled build", () => {
    for (const rule of operationsPolicies(options))
      expect(rule.validateStack?.(shipped)).toEqual([]);
  });

  it("checks-identity-per-environment: fails a checks role that may write its stack's state", () => {
    // given
    const edited = editRolePolicy(resources, "silkroute-checks-prod", (s) => [
      ...s,
      { Sid: "Oops", Effect: "Allow", Action: ["s3:PutObject"], Resource: ["arn:aws:s3:::*/*"] },
    ]);
    // when
    const found = messagesOf("checks-identity-per-environment", edited);
    // then
    expect(found).toContain("prod's checks role may reach writing the state of stack prod-china");
  });

  it("checks-identity-per-environment: fails dev's checks role that may read prod's China key or state", () => {
    // given
    const edited = editRolePolicy(resources, "silkroute-checks-dev", (s) => [
      ...s,
      {
        Sid: "Oops",
        Effect: "Allow",
        Action: ["ssm:GetParameter", "s3:GetObject"],
        Resource: ["arn:aws:ssm:*:*:parameter/China/Prod/*", "arn:aws:s3:::*/.pulumi/*"],
      },
    ]);
    // when
    const found = messagesOf("checks-identity-per-environment", edited);
    // then
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^dev's checks role may reach prod's China key parameter arn:aws:ssm:us-east-1:\d+:parameter\/China\/Prod\/UserAccessKey$/,
        ),
        "dev's checks role may reach the state of stack prod-china",
      ]),
    );
  });

  it("checks-identity-per-environment: fails a checks role that may assume a cross-account role or start a build", () => {
    // given
    const edited = editRolePolicy(resources, "silkroute-checks-prod", (s) => [
      ...s,
      {
        Sid: "Oops",
        Effect: "Allow",
        Action: ["sts:AssumeRole", "codebuild:StartBuild"],
        Resource: [
          "arn:aws:iam::333333333333:role/silkroute-cross-account-deploy",
          "arn:aws:codebuild:us-east-1:123456789012:project/silkroute-deploy-prod-china",
        ],
      },
    ]);
    // when
    const found = messagesOf("checks-identity-per-environment", edited);
    // then
    expect(found).toEqual(
      expect.arrayContaining([
        "prod's checks role may reach prod's cross-account role arn:aws:iam::333333333333:role/silkroute-cross-account-deploy",
        "prod's checks role may reach starting the CodeBuild project silkroute-deploy-prod-china",
      ]),
    );
  });

  it("checks-identity-per-environment: fails a checks role that cannot read its own China key", () => {
    // given
    const edited = editRolePolicy(resources, "silkroute-checks-prod", (s) =>
      s.filter((x) => x.Sid !== "ReadChinaDeployKey"),
    );
    // when
    const found = messagesOf("checks-identity-per-environment", edited);
    // then
    expect(found).toContainEqual(
      expect.stringMatching(
        /^prod's checks role is denied prod's China key parameter arn:aws:ssm:us-east-1:\d+:parameter\/China\/Prod\/UserAccessKey \(ImplicitlyDenied\)$/,
      ),
    );
  });

  it("state-china-stack-denied and artifact-keys-through-s3 cover the day-2 roles", () => {
    // given the checks' role without its own Deny of the china stack
    const edited = editRolePolicy(resources, "silkroute-checks-stage", (s) =>
      s.filter((x) => x.Sid !== "NoChinaStackState"),
    );
    const rule = (name: string) => policyNamed(createPolicies(options), name);
    // when
    const denied = rule("state-china-stack-denied").validateStack?.(edited) ?? [];
    const keys = rule("artifact-keys-through-s3").validateStack?.(resources) ?? [];
    // then
    expect(denied.map((v) => v.message)).toContainEqual(
      expect.stringMatching(
        /^silkroute-checks-stage reaches the state bucket but its policy does not deny it/,
      ),
    );
    expect(keys).toEqual([]);
    expect(rule("state-china-stack-denied").validateStack?.(resources)).toEqual([]);
  });

  it("rotation-identity-confined: fails a rotation role that may read an app stack's state or start a build", () => {
    // given
    const edited = editRolePolicy(resources, "silkroute-rotation", (s) => [
      ...s,
      {
        Sid: "Oops",
        Effect: "Allow",
        Action: ["s3:GetObject", "codebuild:StartBuild"],
        Resource: ["arn:aws:s3:::*/.pulumi/*", "arn:aws:codebuild:us-east-1:*:project/*"],
      },
    ]);
    // when
    const found = messagesOf("rotation-identity-confined", edited);
    // then
    expect(found).toEqual(
      expect.arrayContaining([
        "the rotation role may reach the state of stack dev-china",
        "the rotation role may reach starting the CodeBuild project silkroute-build",
      ]),
    );
  });

  it("rotation-identity-confined: fails a rotation role that cannot read a bootstrap key or write the china stack", () => {
    // given
    const edited = editRolePolicy(resources, "silkroute-rotation", (s) =>
      s.filter((x) => x.Sid !== "ReadBootstrapKeys" && x.Sid !== "ChinaStackState"),
    );
    // when
    const found = messagesOf("rotation-identity-confined", edited);
    // then
    expect(found).toEqual(
      expect.arrayContaining([
        "the rotation role is denied dev's China bootstrap key (ImplicitlyDenied)",
        "the rotation role is denied writing the china stack's state (ImplicitlyDenied)",
      ]),
    );
  });

  it("scheduled-build-confined: fails a schedule's role that may start another project", () => {
    // given
    const edited = editRolePolicy(resources, "silkroute-checks-devschedule", (s) =>
      s.map((x) => ({ ...x, Resource: ["arn:aws:codebuild:us-east-1:*:project/*"] })),
    );
    // when
    const found = messagesOf("scheduled-build-confined", edited);
    // then
    expect(found).toContain(
      "the schedule role silkroute-checks-devschedule may reach starting the CodeBuild project silkroute-rotation",
    );
  });
});
