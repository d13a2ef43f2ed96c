import {
  parameterSlug,
  SeedParameters,
  SeedParametersArgs,
  validateSeedParametersArgs,
} from "../../components/seedParameters";
import { evaluate, inputsOf, ofType, providerFor } from "../helpers/pulumi";

const NAMES = {
  codeBuildRole: "/US/Dev/CodeBuildRole",
  codePipelineRole: "/US/Dev/CodePipelineRole",
  cloudformationRole: "/US/Dev/CloudformationRole",
  deploymentBucket: "/US/Dev/DeploymentS3Bucket",
  codeBuildImage: "/US/Dev/CodeBuildImage",
};
const VALUES = {
  codeBuildRole: "arn:aws:iam::123456789012:role/silkroute-codebuild",
  codePipelineRole: "arn:aws:iam::123456789012:role/silkroute-codepipeline",
  cloudformationRole: "arn:aws:iam::123456789012:role/silkroute-deploy",
  deploymentBucket: "silkroute-artifacts-use1",
  codeBuildImage: "aws/codebuild/standard:7.0",
};
const CROSS = [
  {
    parameterName: "/US/Stage/CrossAccountStageRole",
    accountId: "222222222222",
    roleName: "Deployer",
  },
  {
    parameterName: "/US/Prod/CrossAccountStageRole",
    accountId: "333333333333",
    roleName: "Deployer",
  },
];
const ARGS: SeedParametersArgs = { names: NAMES, values: VALUES, crossAccountRoles: CROSS };

describe("SeedParameters", () => {
  const program =
    (region = "us-east-1", args = ARGS) =>
    () => {
      const seed = new SeedParameters("seed", args, { provider: providerFor(region) });
      return { arns: seed.arns };
    };
  const valuesByName = (stack: Awaited<ReturnType<typeof evaluate>>) =>
    Object.fromEntries(
      ofType(stack, "aws:ssm/parameter:Parameter").map((r) => [
        inputsOf(r).name,
        inputsOf(r).value,
      ]),
    );

  it("writes the seed's five /US/Dev parameters with their values", async () => {
    // given / when
    const stack = await evaluate(program("us-east-1", { names: NAMES, values: VALUES }));
    // then
    expect(valuesByName(stack)).toEqual({
      "/US/Dev/CodeBuildRole": VALUES.codeBuildRole,
      "/US/Dev/CodePipelineRole": VALUES.codePipelineRole,
      "/US/Dev/CloudformationRole": VALUES.cloudformationRole,
      "/US/Dev/DeploymentS3Bucket": VALUES.deploymentBucket,
      "/US/Dev/CodeBuildImage": VALUES.codeBuildImage,
    });
  });

  it("writes one CrossAccountStageRole per cross-account environment, as a role ARN", async () => {
    const stack = await evaluate(program());
    const values = valuesByName(stack);
    expect(values["/US/Stage/CrossAccountStageRole"]).toBe(
      "arn:aws:iam::222222222222:role/Deployer",
    );
    expect(values["/US/Prod/CrossAccountStageRole"]).toBe(
      "arn:aws:iam::333333333333:role/Deployer",
    );
    expect(Object.keys(values)).toHaveLength(7);
  });

  it("builds the cross-account ARN in the provider's partition", async () => {
    const stack = await evaluate(program("cn-north-1"));
    expect(valuesByName(stack)["/US/Stage/CrossAccountStageRole"]).toBe(
      "arn:aws-cn:iam::222222222222:role/Deployer",
    );
  });

  it("makes every parameter a plain Standard-tier String with a description", async () => {
    const stack = await evaluate(program());
    for (const r of ofType(stack, "aws:ssm/parameter:Parameter")) {
      const inputs = inputsOf(r);
      expect(inputs.type).toBe("String");
      expect(inputs.tier).toBe("Standard");
      expect(inputs.description).toMatch(/^silkroute: /);
    }
  });

  it("names children with stable suffixes", async () => {
    const stack = await evaluate(program());
    expect(ofType(stack, "aws:ssm/parameter:Parameter").map((r) => r.name)).toEqual([
      "seed-codeBuildRole",
      "seed-codePipelineRole",
      "seed-cloudformationRole",
      "seed-deploymentBucket",
      "seed-codeBuildImage",
      "seed-us-stage-crossaccountstagerole",
      "seed-us-prod-crossaccountstagerole",
    ]);
  });

  it("exports parameter name → ARN", async () => {
    const stack = await evaluate(program());
    const arns = stack.outputs.arns as Record<string, string>;
    expect(Object.keys(arns)).toHaveLength(7);
    expect(arns["/US/Dev/CodeBuildImage"]).toBe(
      "arn:aws:ssm:us-east-1:123456789012:parameter/US/Dev/CodeBuildImage",
    );
  });

  it("slugs parameter names", () => {
    expect(parameterSlug("/US/Stage/CrossAccountStageRole")).toBe("us-stage-crossaccountstagerole");
  });

  it.each([
    [
      "a name without a leading /",
      { names: { ...NAMES, codeBuildImage: "US/Dev/x" } },
      /names.codeBuildImage must be an SSM parameter name starting with \/, got US\/Dev\/x/,
    ],
    [
      "a name used twice",
      { names: { ...NAMES, codeBuildImage: NAMES.codeBuildRole } },
      /names.codeBuildImage repeats the parameter name \/US\/Dev\/CodeBuildRole/,
    ],
    [
      "a cross-account name clashing with a seed name",
      { crossAccountRoles: [{ ...CROSS[0], parameterName: NAMES.codeBuildRole }] },
      /crossAccountRoles\[0\].parameterName repeats the parameter name/,
    ],
    [
      "a short account id",
      { crossAccountRoles: [{ ...CROSS[0], accountId: "2222" }] },
      /crossAccountRoles\[0\].accountId must be a 12-digit AWS account id, got 2222/,
    ],
    [
      "a role name with a space",
      { crossAccountRoles: [{ ...CROSS[0], roleName: "bad role" }] },
      /crossAccountRoles\[0\].roleName must be an IAM role name, got bad role/,
    ],
    [
      "names differing only in case",
      {
        crossAccountRoles: [
          CROSS[0],
          { ...CROSS[1], parameterName: "/us/stage/crossaccountstagerole" },
        ],
      },
      /crossAccountRoles\[1\].parameterName .* differs from another only in case or punctuation/,
    ],
  ])("rejects %s", (_, bad, message) => {
    expect(validateSeedParametersArgs({ ...ARGS, ...bad })).toMatch(message);
  });

  it("accepts the seed layout", () => {
    expect(validateSeedParametersArgs(ARGS)).toBeUndefined();
  });
});
