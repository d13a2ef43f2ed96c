import * as pulumi from "@pulumi/pulumi";
import {
  PipelinePolicies,
  PipelinePoliciesArgs,
  validatePipelinePoliciesArgs,
} from "../../../components/iam/pipelinePolicies";
import { codeBuildLogGroup } from "../../../components/naming";
import { PipelineRoles, pipelineRoleNames } from "../../../components/iam/pipelineRoles";
import { eventsPolicy } from "../../../components/iam/policyDocuments";
import { PolicyDocument } from "../../../components/iam/policyStatements";
import { evaluate, inputsOf, ofType, only, policyOf, providerFor } from "../../helpers/pulumi";

const sids = (d: PolicyDocument) => d.Statement.map((s) => s.Sid);

describe("PipelinePolicies", () => {
  const args = (roles: PipelineRoles): PipelinePoliciesArgs => ({
    roles,
    artifactBucketArns: { "us-east-1": "arn:x:s3:::a" },
    artifactKeyArns: { "us-east-1": "arn:x:kms:r:1:key/a" },
    stateBucketArn: "arn:x:s3:::s",
    stateKeyArn: "arn:x:kms:r:1:key/s",
    parameterKeyArn: "arn:x:kms:r:1:key/p",
    sourceArn: "arn:x:codecommit:r:1:repo",
    sourceType: "codecommit",
    buildProjectArns: ["arn:x:codebuild:r:1:project/build"],
    prPreviewProjectArn: "arn:x:codebuild:r:1:project/pr",
    pipelineName: "silkroute",
    environments: [
      {
        name: "dev",
        globalRegions: ["us-east-1"],
        china: true,
        chinaParameterArns: ["arn:x:ssm:r:1:parameter/China/Dev/UserAccessKey"],
      },
      {
        name: "prod",
        globalRegions: ["us-east-1"],
        china: false,
        crossAccountRoleArn: "arn:x:iam::333333333333:role/deploy",
      },
    ],
    seedParameterArns: ["arn:x:ssm:r:1:parameter/US/Dev/CodeBuildImage"],
    appBoundaryArn: "arn:x:iam::1:policy/silkroute-app-boundary",
  });
  const program =
    (region: string, prefix?: string, extra: Partial<PipelinePoliciesArgs> = {}) =>
    () => {
      const provider = providerFor(region);
      const roles = new PipelineRoles(
        "roles",
        { prefix, environments: ["dev", "prod"] },
        { provider },
      );
      const given = args(roles);
      // The build projects cache in their own (the pipeline's) Region's store.
      const stores = {
        artifactBucketArns: { ...given.artifactBucketArns, [region]: "arn:x:s3:::a" },
        artifactKeyArns: { ...given.artifactKeyArns, [region]: "arn:x:kms:r:1:key/a" },
      };
      new PipelinePolicies("policies", { ...given, ...stores, ...extra }, { provider });
      return {};
    };
  const attachedPolicies = async (region: string) => {
    const stack = await evaluate(program(region));
    return Object.fromEntries(
      ofType(stack, "aws:iam/rolePolicy:RolePolicy").map((r) => [inputsOf(r).role, policyOf(r)]),
    );
  };

  it("attaches one inline policy to each role, built by the document functions", async () => {
    // given / when
    const attached = await attachedPolicies("us-east-1");
    // then
    expect(Object.keys(attached).sort()).toEqual([
      "silkroute-codebuild",
      "silkroute-codepipeline",
      "silkroute-deploy-dev",
      "silkroute-deploy-prod",
      "silkroute-events",
      "silkroute-preview",
    ]);
    expect(attached["silkroute-events"]).toEqual(
      eventsPolicy({
        prPreviewProjectArn: "arn:x:codebuild:r:1:project/pr",
        pipelineName: "silkroute",
        partition: "aws",
        region: "us-east-1",
        accountId: "123456789012",
      }),
    );
    expect(sids(attached["silkroute-deploy-dev"])).not.toContain("AssumeOwnCrossAccountRole");
    expect(sids(attached["silkroute-deploy-prod"])).toContain("AssumeOwnCrossAccountRole");
  });

  it("attaches each environment's parameters, and its app policies when it deploys here, as named managed policies to its role only", async () => {
    const stack = await evaluate(program("us-east-1"));
    const policies = ofType(stack, "aws:iam/policy:Policy").map((r) => inputsOf(r).name);
    expect(policies).toEqual([
      "silkroute-deploy-dev-secrets",
      "silkroute-deploy-prod-secrets",
      "silkroute-deploy-dev-app-1",
      "silkroute-preview-app-1",
    ]);
    const attachments = ofType(stack, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map(
      (r) => [inputsOf(r).role, String(inputsOf(r).policyArn).split("/").pop()],
    );
    // prod deploys through its cross-account role: no app policy here
    expect(attachments).toEqual([
      ["silkroute-deploy-dev", "silkroute-deploy-dev-secrets"],
      ["silkroute-deploy-prod", "silkroute-deploy-prod-secrets"],
      ["silkroute-deploy-dev", "silkroute-deploy-dev-app-1"],
      ["silkroute-preview", "silkroute-preview-app-1"],
    ]);
  });

  /** Each role's managed app policies' statements, by role. */
  const appPolicies = async (region: string) => {
    const stack = await evaluate(program(region));
    const byName = new Map(
      ofType(stack, "aws:iam/policy:Policy").map((r) => [inputsOf(r).name, policyOf(r)]),
    );
    const out: Record<
      string,
      { Statement: { Sid: string; Condition?: unknown; Resource: string[] }[] }
    > = {};
    for (const a of ofType(stack, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")) {
      const role = String(inputsOf(a).role);
      const policy = byName.get(String(inputsOf(a).policyArn).split("/").pop());
      out[role] = { Statement: [...(out[role]?.Statement ?? []), ...(policy?.Statement ?? [])] };
    }
    return out;
  };

  it("lets no pipeline role comment on a pull request: the PR comment poster does", async () => {
    const attached = await attachedPolicies("us-east-1");
    const commenting = Object.entries(attached)
      .filter(([, policy]) => /codecommit:\w*Comment/.test(JSON.stringify(policy)))
      .map(([role]) => role);
    expect(commenting).toEqual([]);
  });

  it("lets the deploy role manage the app as <prefix>-<env>-*, the preview role only read it", async () => {
    const attached = await appPolicies("us-east-1");
    const statement = (role: string, sid: string) =>
      attached[role].Statement.find((s: { Sid: string }) => s.Sid === sid)!;
    expect(statement("silkroute-deploy-dev", "AppRole").Resource).toEqual([
      "arn:aws:iam::123456789012:role/silkroute-dev-*",
    ]);
    expect(statement("silkroute-preview", "ReadRole").Resource).toEqual([
      "arn:aws:iam::123456789012:role/silkroute-dev-*",
    ]);
    expect(JSON.stringify(attached["silkroute-preview"])).not.toMatch(/iam:(Create|Put|Pass)/);
  });

  it("lets the deploy role create app roles only with the app boundary it is given", async () => {
    const attached = await appPolicies("us-east-1");
    const bounded = attached["silkroute-deploy-dev"].Statement.find(
      (s: { Sid: string }) => s.Sid === "AppRolesUnderBoundary",
    );
    expect(bounded?.Condition).toEqual({
      StringEquals: { "iam:PermissionsBoundary": "arn:x:iam::1:policy/silkroute-app-boundary" },
    });
  });

  it("lets the preview role write its result to the given bucket's result folder, and read no secret", async () => {
    // given
    const github = { sourceType: "github" as const, sourceArn: "arn:x:codeconnections:r:1:c/a" };
    // when
    const stack = await evaluate(
      program("us-east-1", undefined, { ...github, previewResultBucketArn: "arn:x:s3:::art" }),
    );
    // then
    const preview = policyOf(only(stack, "aws:iam/rolePolicy:RolePolicy", "policies-preview"));
    expect(preview.Statement.find((s: { Sid: string }) => s.Sid === "WritePreviewResult")).toEqual({
      Sid: "WritePreviewResult",
      Effect: "Allow",
      Action: ["s3:PutObject"],
      Resource: ["arn:x:s3:::art/pr-preview-results/*"],
    });
    const deploy = policyOf(only(stack, "aws:iam/rolePolicy:RolePolicy", "policies-deploy-dev"));
    expect(JSON.stringify(deploy)).not.toContain("secretsmanager");
    expect(JSON.stringify(preview)).not.toContain("secretsmanager");
  });

  it("refuses app names that would include the pipeline's own roles", () => {
    // given: an environment "deploy-dev" (app roles silkroute-deploy-dev-*) and
    // an environment "dev-x", whose deploy role is silkroute-deploy-dev-x
    const names = pipelineRoleNames("silkroute", ["deploy-dev", "dev-x"]);
    const roles = { names, deploy: names.deploy } as unknown as PipelineRoles;
    const environments = ["deploy-dev", "dev-x"].map((name) => ({
      name,
      globalRegions: ["us-east-1"],
      china: false,
    }));
    // when
    const problem = validatePipelinePoliciesArgs({ ...args(roles), environments });
    // then
    expect(problem).toBe(
      "environment deploy-dev gives app roles named silkroute-deploy-dev-*, which would include the pipeline role silkroute-deploy-dev-x: rename the environment or use another prefix",
    );
  });

  it("takes partition, Region and account from its provider", async () => {
    const stack = await evaluate(program("cn-north-1"));
    const build = policyOf(only(stack, "aws:iam/rolePolicy:RolePolicy", "policies-codebuild"));
    expect(build.Statement[0].Resource).toEqual([
      `arn:aws-cn:logs:cn-north-1:210987654321:log-group:${codeBuildLogGroup("silkroute-build")}`,
    ]);
    for (const r of ofType(stack, "aws:iam/rolePolicy:RolePolicy")) {
      expect(JSON.stringify(inputsOf(r))).not.toContain("arn:aws:");
    }
  });

  const valid = () =>
    args({
      deploy: { dev: {}, prod: {} },
      names: pipelineRoleNames("silkroute", ["dev", "prod"]),
    } as unknown as PipelineRoles);
  const env = (extra: object) => ({ environments: [{ ...valid().environments[0], ...extra }] });
  it.each([
    [{ sourceType: "svn" }, /sourceType must be codecommit or github, got svn/],
    [{ artifactBucketArns: {} }, /artifactBucketArns must name at least one Region's/],
    [{ buildProjectArns: [] }, /buildProjectArns must list at least one ARN/],
    [{ stateBucketArn: "*" }, /an ARN is "\*"/],
    [env({ crossAccountRoleArn: "*" }), /an ARN is "\*"/],
    [env({ chinaParameterArns: ["*"] }), /an ARN is "\*"/],
    [{ prefix: "silkroute-*" }, /prefix must be 2-24 lower-case letters/],
    [env({ name: "qa" }), /environment qa has no deploy role/],
    [
      env({ globalRegions: ["cn-north-1"] }),
      /globalRegions of dev must be global Regions .* got "cn-north-1"/,
    ],
    [env({ globalRegions: ["eu-west-1"] }), /artifactBucketArns has no bucket in eu-west-1/],
    [{ environments: [] }, /environments must list at least one environment/],
    [{ previewEnvironment: "qa" }, /previewEnvironment qa is not one of the environments/],
    [{ appBoundaryArn: "*" }, /an ARN is "\*"/],
  ])("rejects %j", (bad, message) => {
    expect(validatePipelinePoliciesArgs({ ...valid(), ...bad } as PipelinePoliciesArgs)).toMatch(
      message,
    );
  });

  it("accepts sound args, including ARNs still unknown", () => {
    const unknown = pulumi.output<string>("arn:x:kms:r:1:key/a");
    expect(validatePipelinePoliciesArgs(valid())).toBeUndefined();
    expect(
      validatePipelinePoliciesArgs({ ...valid(), artifactKeyArns: { "us-east-1": unknown } }),
    ).toBeUndefined();
  });
});
