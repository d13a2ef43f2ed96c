import {
  AppBoundary,
  appBoundaryArn,
  appBoundaryDocument,
  validateAppBoundaryArgs,
} from "../../components/appBoundary";
import { evaluate, inputsOf, only, policyOf, providerFor } from "../helpers/pulumi";
import { decide } from "../../automation/policies/simulate";

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

describe("the app boundary with functionsUse", () => {
  const ACCOUNT_ID = "123456789012";
  const allows = (functionsUse: string[], action: string, resource: string) =>
    decide(
      {
        identityPolicies: [
          { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
        ],
        permissionsBoundary: appBoundaryDocument("aws", ACCOUNT_ID, {
          regions: ["us-east-1"],
          namePrefixes: ["silkroute-dev-"],
          functionsUse,
        }),
      },
      {
        principal: `arn:aws:iam::${ACCOUNT_ID}:role/silkroute-dev-us-east-1-fn`,
        action,
        resource,
        context: { "aws:RequestedRegion": "us-east-1" },
      },
    );
  const queue = (name: string) => `arn:aws:sqs:us-east-1:${ACCOUNT_ID}:${name}`;

  it("lets app roles use the app's own resources of the kinds listed, and nothing else", () => {
    expect(allows(["queue"], "sqs:SendMessage", queue("silkroute-dev-orders"))).toBe("Allowed");
    expect(allows([], "sqs:SendMessage", queue("silkroute-dev-orders"))).not.toBe("Allowed");
    expect(allows(["queue"], "sqs:SendMessage", queue("other-orders"))).not.toBe("Allowed");
    expect(
      allows(
        ["queue"],
        "dynamodb:PutItem",
        `arn:aws:dynamodb:us-east-1:${ACCOUNT_ID}:table/silkroute-dev-t`,
      ),
    ).not.toBe("Allowed");
  });

  it("refuses a boundary past a managed policy's 6,144 characters, and unknown kinds", () => {
    const base = { regions: ["us-east-1"], namePrefixes: ["silkroute-"] };
    expect(validateAppBoundaryArgs({ ...base, functionsUse: ["queues"] })).toMatch(
      /functionsUse: "queues"/,
    );
    const every = [
      "function",
      "log-group",
      "queue",
      "topic",
      "table",
      "bucket",
      "api",
      "event-rule",
      "alarm",
      "state-machine",
      "stack",
    ];
    expect(validateAppBoundaryArgs({ ...base, functionsUse: every })).toMatch(
      /more than the 6144 of a managed policy/,
    );
    expect(validateAppBoundaryArgs({ ...base, functionsUse: ["queue", "table"] })).toBeUndefined();
  });
});
