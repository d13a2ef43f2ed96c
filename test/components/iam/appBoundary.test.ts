import {
  AppBoundary,
  appBoundaryArn,
  appBoundaryDocument,
  validateAppBoundaryArgs,
} from "../../../components/iam/appBoundary";
import { decide } from "../../../automation/policies/simulate";
import { evaluate, inputsOf, only, policyOf, providerFor } from "../../helpers/pulumi";

const POLICY = "aws:iam/policy:Policy";

describe("AppBoundary", () => {
  const program = (region: string, policyName?: string) => () => {
    const boundary = new AppBoundary(
      "app-boundary",
      { policyName, regions: [region], namePrefixes: ["silkroute-dev-"] },
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
          Sid: "WriteLogsSilkrouteDev",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: ["arn:aws-cn:logs:*:210987654321:log-group:/aws/lambda/silkroute-dev-*"],
          Condition: {
            StringEquals: { "aws:RequestedRegion": ["cn-north-1"] },
            ArnLike: { "aws:PrincipalArn": "arn:aws-cn:iam::210987654321:role/silkroute-dev-*" },
          },
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

describe("appBoundaryDocument, decided by an IAM policy engine", () => {
  const ACCOUNT = "123456789012";
  // dev and qa deploy into this account; prod is in another (its prefix is not here).
  const boundary = appBoundaryDocument("aws", ACCOUNT, {
    regions: ["us-east-1", "eu-west-1"],
    namePrefixes: ["silkroute-dev-", "silkroute-qa-"],
  });
  /** An app role whose own policy allows every log write: the boundary alone decides. */
  const write = (role: string, group: string, region = "us-east-1") =>
    decide(
      {
        identityPolicies: [
          {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "logs:*", Resource: "*" }],
          },
        ],
        permissionsBoundary: boundary,
      },
      {
        principal: `arn:aws:iam::${ACCOUNT}:role/${role}`,
        action: "logs:PutLogEvents",
        resource: `arn:aws:logs:${region}:${ACCOUNT}:log-group:/aws/lambda/${group}:log-stream:s`,
        context: { "aws:RequestedRegion": region },
      },
    );

  it("lets an environment's app role write its own function's log group, in its Regions", () => {
    expect(write("silkroute-dev-us-east-1-fn", "silkroute-dev-fn")).toBe("Allowed");
    expect(write("silkroute-dev-eu-west-1-fn", "silkroute-dev-fn", "eu-west-1")).toBe("Allowed");
    expect(write("silkroute-qa-us-east-1-fn", "silkroute-qa-fn")).toBe("Allowed");
    expect(write("silkroute-dev-us-east-1-fn", "silkroute-dev-fn", "ap-south-1")).not.toBe(
      "Allowed",
    );
  });

  it.each([
    ["the PR comment poster's", "silkroute-commenter"],
    ["a cross-account environment's", "silkroute-prod-fn"],
    ["another environment's of the account", "silkroute-qa-fn"],
  ])("keeps dev's app role from %s log group", (_what, group) => {
    expect(write("silkroute-dev-us-east-1-fn", group)).not.toBe("Allowed");
  });

  it("allows nothing when no app stack deploys into the account", () => {
    const none = appBoundaryDocument("aws", ACCOUNT, { regions: ["us-east-1"], namePrefixes: [] });
    expect(none.Statement).toEqual([
      { Sid: "NoAppInThisAccount", Effect: "Deny", Action: ["*"], Resource: ["*"] },
    ]);
  });

  it("names the policy's ARN in the partition and account", () => {
    expect(appBoundaryArn("aws-cn", "210987654321", "silkroute-app-boundary")).toBe(
      "arn:aws-cn:iam::210987654321:policy/silkroute-app-boundary",
    );
  });
});

describe("validateAppBoundaryArgs", () => {
  const ok = { regions: ["us-east-1"], namePrefixes: ["silkroute-dev-"] };

  it("accepts a Region and a name prefix", () => {
    expect(validateAppBoundaryArgs(ok)).toBeUndefined();
  });

  it.each([
    [{ policyName: "bad name" }, /^policyName must be/],
    [{ regions: [] }, /^regions must list at least one Region/],
    [{ regions: ["*"] }, /^regions must be Regions such as us-east-1, got \*/],
    [
      { namePrefixes: ["silkroute-dev-", "silkroute-dev-eu-"] },
      /^namePrefixes must not start with one another \(silkroute-dev- would cover/,
    ],
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

  it("gives each environment of the account its own kinds' statements, for its own roles", () => {
    const document = appBoundaryDocument("aws", ACCOUNT_ID, {
      regions: ["us-east-1"],
      namePrefixes: ["silkroute-dev-", "silkroute-prod-"],
      functionsUse: ["queue"],
    });
    const queues = document.Statement.filter((s) => s.Sid.startsWith("UseQueue"));
    expect(queues.map((s) => [s.Sid, s.Resource, s.Condition?.ArnLike])).toEqual([
      [
        "UseQueueSilkrouteDev",
        [`arn:aws:sqs:*:${ACCOUNT_ID}:silkroute-dev-*`],
        { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT_ID}:role/silkroute-dev-*` },
      ],
      [
        "UseQueueSilkrouteProd",
        [`arn:aws:sqs:*:${ACCOUNT_ID}:silkroute-prod-*`],
        { "aws:PrincipalArn": `arn:aws:iam::${ACCOUNT_ID}:role/silkroute-prod-*` },
      ],
    ]);
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
      /more than the 6144 of a managed policy: list fewer kinds in functionsUse, or deploy fewer environments/,
    );
    expect(validateAppBoundaryArgs({ ...base, functionsUse: ["queue", "table"] })).toBeUndefined();
  });
});
