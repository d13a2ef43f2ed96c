import * as pulumi from "@pulumi/pulumi";
import {
  PipelinePolicies,
  PipelinePoliciesArgs,
  validatePipelinePoliciesArgs,
} from "../../components/pipelinePolicies";
import { codeBuildLogGroupPrefix } from "../../components/naming";
import { PipelineRoles, pipelineRoleNames } from "../../components/pipelineRoles";
import { eventsPolicy } from "../../components/policyDocuments";
import { PolicyDocument } from "../../components/policyStatements";
import { evaluate, inputsOf, ofType, only, policyOf, providerFor } from "../helpers/pulumi";

const sids = (d: PolicyDocument) => d.Statement.map((s) => s.Sid);

describe("PipelinePolicies", () => {
  const args = (roles: PipelineRoles): PipelinePoliciesArgs => ({
    roles,
    artifactBucketArns: ["arn:x:s3:::a"],
    artifactKeyArns: ["arn:x:kms:r:1:key/a"],
    stateBucketArn: "arn:x:s3:::s",
    stateKeyArn: "arn:x:kms:r:1:key/s",
    parameterKeyArn: "arn:x:kms:r:1:key/p",
    sourceArn: "arn:x:codecommit:r:1:repo",
    sourceType: "codecommit",
    buildProjectArns: ["arn:x:codebuild:r:1:project/build"],
    prPreviewProjectArn: "arn:x:codebuild:r:1:project/pr",
    pipelineName: "silkroute",
    chinaParameterArns: ["arn:x:ssm:r:1:parameter/China/Dev/*"],
    seedParameterArns: ["arn:x:ssm:r:1:parameter/US/Dev/CodeBuildImage"],
    appEnvironments: ["dev"],
    deployRegions: ["us-east-1"],
    appBoundaryArn: "arn:x:iam::1:policy/silkroute-app-boundary",
  });
  const program =
    (region: string, prefix?: string, extra: Partial<PipelinePoliciesArgs> = {}) =>
    () => {
      const provider = providerFor(region);
      const roles = new PipelineRoles("roles", { prefix }, { provider });
      new PipelinePolicies("policies", { ...args(roles), ...extra }, { provider });
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
      "silkroute-deploy",
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
    expect(sids(attached["silkroute-deploy"])).not.toContain("AssumeCrossAccountRoles");
  });

  it("lets no pipeline role comment on a pull request: the PR comment poster does", async () => {
    const attached = await attachedPolicies("us-east-1");
    const commenting = Object.entries(attached)
      .filter(([, policy]) => /codecommit:\w*Comment/.test(JSON.stringify(policy)))
      .map(([role]) => role);
    expect(commenting).toEqual([]);
  });

  it("lets the deploy role manage the app as <appPrefix><env>-*, the preview role only read it", async () => {
    const attached = await attachedPolicies("us-east-1");
    const statement = (role: string, sid: string) =>
      attached[role].Statement.find((s: { Sid: string }) => s.Sid === sid);
    expect(statement("silkroute-deploy", "AppRoles").Resource).toEqual([
      "arn:aws:iam::123456789012:role/silkroute-dev-*",
    ]);
    expect(statement("silkroute-preview", "ReadAppRoles").Resource).toEqual([
      "arn:aws:iam::123456789012:role/silkroute-dev-*",
    ]);
    expect(JSON.stringify(attached["silkroute-preview"])).not.toMatch(/iam:(Create|Put|Pass)/);
  });

  it("lets the deploy role create app roles only with the app boundary it is given", async () => {
    const attached = await attachedPolicies("us-east-1");
    const bounded = attached["silkroute-deploy"].Statement.find(
      (s: { Sid: string }) => s.Sid === "AppRolesUnderBoundary",
    );
    expect(bounded.Condition).toEqual({
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
    expect(JSON.stringify(preview)).not.toContain("secretsmanager");
  });

  it("refuses app names that would include the pipeline's own roles", () => {
    // given: pipeline roles silkroute-dev-* and app roles silkroute-dev-*
    const roles = { names: pipelineRoleNames("silkroute-dev") } as PipelineRoles;
    // when
    const problem = validatePipelinePoliciesArgs(args(roles));
    // then
    expect(problem).toBe(
      "appPrefix and appEnvironments give app roles named silkroute-dev-*, which would include the pipeline role silkroute-dev-codebuild: use another appPrefix or another PipelineRoles prefix",
    );
  });

  it("takes partition, Region and account from its provider", async () => {
    const stack = await evaluate(program("cn-north-1"));
    const build = policyOf(only(stack, "aws:iam/rolePolicy:RolePolicy", "policies-codebuild"));
    expect(build.Statement[0].Resource).toEqual([
      `arn:aws-cn:logs:cn-north-1:210987654321:log-group:${codeBuildLogGroupPrefix("silkroute")}*`,
    ]);
    for (const r of ofType(stack, "aws:iam/rolePolicy:RolePolicy")) {
      expect(JSON.stringify(inputsOf(r))).not.toContain("arn:aws:");
    }
  });

  const valid = () => args({} as PipelineRoles);
  it.each([
    [{ sourceType: "svn" }, /sourceType must be codecommit or github, got svn/],
    [
      { logGroupPrefix: "/aws/codebuild/*" },
      /logGroupPrefix must be a log group name prefix without wildcards/,
    ],
    [{ artifactBucketArns: [] }, /artifactBucketArns must list at least one ARN/],
    [{ artifactKeyArns: [] }, /artifactKeyArns must list at least one ARN/],
    [{ buildProjectArns: [] }, /buildProjectArns must list at least one ARN/],
    [{ stateBucketArn: "*" }, /stateBucketArn must name resources, got "\*"/],
    [{ crossAccountRoleArns: ["*"] }, /crossAccountRoleArns must name resources, got "\*"/],
    [{ appPrefix: "silkroute-*" }, /appPrefix must be lower-case letters, digits or '-'/],
    [
      { appEnvironments: ["Dev"] },
      /appEnvironments must be environment names such as dev, got "Dev"/,
    ],
    [{ appEnvironments: ["*"] }, /appEnvironments must name resources, got "\*"/],
    [{ deployRegions: ["cn-north-1"] }, /deployRegions must be global Regions .* got "cn-north-1"/],
    [{ deployRegions: ["us-east"] }, /deployRegions must be global Regions .* got "us-east"/],
    [{ deployRegions: [] }, /deployRegions must list at least one Region when appEnvironments/],
    [{ appBoundaryArn: "*" }, /appBoundaryArn must name resources, got "\*"/],
  ])("rejects %j", (bad, message) => {
    expect(validatePipelinePoliciesArgs({ ...valid(), ...bad } as PipelinePoliciesArgs)).toMatch(
      message,
    );
  });

  it("accepts sound args, including ARNs still unknown", () => {
    const unknown = pulumi.output<string[]>([]);
    expect(validatePipelinePoliciesArgs(valid())).toBeUndefined();
    expect(validatePipelinePoliciesArgs({ ...valid(), artifactKeyArns: unknown })).toBeUndefined();
  });

  it("accepts no Region when no environment deploys into this account", () => {
    expect(
      validatePipelinePoliciesArgs({ ...valid(), appEnvironments: [], deployRegions: [] }),
    ).toBeUndefined();
  });
});
