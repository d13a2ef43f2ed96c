import {
  AppBoundary,
  appBoundaryArn,
  appBoundaryDocument,
  validateAppBoundaryArgs,
} from "../../components/appBoundary";
import { evaluate, inputsOf, only, policyOf, providerFor } from "../helpers/pulumi";

const POLICY = "aws:iam/policy:Policy";

describe("AppBoundary", () => {
  const program = (region: string, policyName?: string) => () => {
    const boundary = new AppBoundary(
      "app-boundary",
      { policyName, regions: [region], namePrefixes: ["silkroute-"] },
      { provider: providerFor(region) },
    );
    return { arn: boundary.arn };
  };

  it("is a customer managed policy named silkroute-app-boundary at path / by default", async () => {
    // given / when
    const stack = await evaluate(program("us-east-1"));
    // then
    expect(inputsOf(only(stack, POLICY))).toMatchObject({
      name: "silkroute-app-boundary",
      path: "/",
    });
  });

  it("allows only writing to the app functions' log groups, in its account and partition", async () => {
    // given / when
    const stack = await evaluate(program("cn-north-1", "acme-app-boundary"));
    // then
    const policy = only(stack, POLICY);
    expect(inputsOf(policy).name).toBe("acme-app-boundary");
    expect(policyOf(policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "WriteAppLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: ["arn:aws-cn:logs:cn-north-1:210987654321:log-group:/aws/lambda/silkroute-*"],
        },
      ],
    });
    expect(String(policy.state.arn)).toMatch(/^arn:aws-cn:iam::210987654321:policy\//);
  });

  it("refuses bad args before creating anything", async () => {
    const bad = () => {
      new AppBoundary(
        "b",
        { regions: ["us-east-1"], namePrefixes: ["silkroute-*"] },
        { provider: providerFor("us-east-1") },
      );
      return {};
    };
    await expect(evaluate(bad)).rejects.toThrow(/namePrefixes must be lower-case names/);
  });
});

describe("appBoundaryDocument", () => {
  it("covers every Region and name prefix it is given", () => {
    const doc = appBoundaryDocument("aws", "123456789012", {
      regions: ["us-east-1", "eu-west-1"],
      namePrefixes: ["silkroute-dev-", "silkroute-stage-"],
    });
    expect(doc.Statement[0].Resource).toEqual([
      "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/silkroute-dev-*",
      "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/silkroute-stage-*",
      "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/silkroute-dev-*",
      "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/silkroute-stage-*",
    ]);
  });

  it("names the policy's ARN in the partition and account", () => {
    expect(appBoundaryArn("aws-cn", "210987654321", "silkroute-app-boundary")).toBe(
      "arn:aws-cn:iam::210987654321:policy/silkroute-app-boundary",
    );
  });
});

describe("validateAppBoundaryArgs", () => {
  const ok = { regions: ["us-east-1"], namePrefixes: ["silkroute-"] };

  it("accepts a Region and a name prefix", () => {
    expect(validateAppBoundaryArgs(ok)).toBeUndefined();
  });

  it.each([
    [{ policyName: "bad name" }, /^policyName must be/],
    [{ regions: [] }, /^regions must list at least one Region/],
    [{ regions: ["*"] }, /^regions must be Regions such as us-east-1, got \*/],
    [{ namePrefixes: [] }, /^namePrefixes must list at least one prefix/],
    [{ namePrefixes: ["silkroute"] }, /^namePrefixes must be .* ending in '-'/],
    [{ namePrefixes: ["*-"] }, /^namePrefixes must be lower-case names/],
  ])("rejects %j, naming the argument", (bad, message) => {
    expect(validateAppBoundaryArgs({ ...ok, ...bad })).toMatch(message);
  });
});
