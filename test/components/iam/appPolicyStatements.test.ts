import {
  appManageStatements,
  appNamePrefixes,
  AppScope,
  appReadStatements,
} from "../../../components/iam/appPolicyStatements";
import { APP_KINDS } from "../../../components/appKinds";
import { serviceActions } from "../../../components/iam/iamData";
import {
  auditPolicyDocument,
  BOUNDED_ROLE_ACTIONS,
  doc,
} from "../../../components/iam/policyStatements";
import { decide } from "../../../automation/policies/simulate";
import { actionsOf, readsOnly, statementProblems } from "../../helpers/iamInvariants";
import { ACCOUNT, PIPELINE_ROLES } from "../../helpers/policyInputs";

const SCOPE: AppScope = {
  partition: "aws",
  accountId: ACCOUNT,
  regions: ["us-east-1", "eu-west-1"],
  appPrefixes: ["silkroute-dev", "silkroute-stage"],
  artifactBucketArns: ["arn:aws:s3:::art-use1", "arn:aws:s3:::art-euw1"],
  boundaryArn: `arn:aws:iam::${ACCOUNT}:policy/silkroute-app-boundary`,
};
const BOUNDARY = { "iam:PermissionsBoundary": SCOPE.boundaryArn };
/** A resource of the dev environment's app, in the pipeline account. */
const devArn = (service: string, resource: string, region = "us-east-1") =>
  `arn:aws:${service}:${region}:${ACCOUNT}:${resource}`;
const DEV_ROLE = `arn:aws:iam::${ACCOUNT}:role/silkroute-dev-fn`;

describe("app stack statements", () => {
  it("names the app's resources <appPrefix>-, one prefix per environment", () => {
    expect(appNamePrefixes(["silkroute-dev", "silkroute-stage"])).toEqual([
      "silkroute-dev-",
      "silkroute-stage-",
    ]);
  });

  const may = (
    statements: ReturnType<typeof appManageStatements>,
    action: string,
    resource: string,
    context: Record<string, string> = {},
  ) =>
    decide(
      { identityPolicies: [{ Version: "2012-10-17", Statement: statements }] },
      {
        principal: `arn:aws:iam::${ACCOUNT}:role/silkroute-deploy-dev`,
        action,
        resource,
        resourceAccount: ACCOUNT,
        context: { "aws:RequestedRegion": "us-east-1", ...context },
      },
    );

  it("deploy: every action IAM lists on each kind's resources, on the app's resources only, in the deploy Regions", () => {
    // given an app of queues besides the base kinds
    const statements = appManageStatements({ ...SCOPE, kinds: ["queue"] });
    const queue = (name: string, region = "us-east-1") =>
      `arn:aws:sqs:${region}:${ACCOUNT}:${name}`;
    // then every queue action of IAM's data is allowed on the environment's queues
    for (const a of serviceActions("sqs").filter((x) => x.resourceTypes.includes("queue"))) {
      expect(may(statements, `sqs:${a.name}`, queue("silkroute-dev-orders"))).toBe("Allowed");
    }
    // and none on another's, another Region's, or before the kind is named
    expect(may(statements, "sqs:CreateQueue", queue("silkroute-prod-orders"))).toBe(
      "ImplicitlyDenied",
    );
    expect(may(statements, "sqs:CreateQueue", queue("orders"))).toBe("ImplicitlyDenied");
    expect(
      may(statements, "sqs:CreateQueue", queue("silkroute-dev-orders", "ap-south-1"), {
        "aws:RequestedRegion": "ap-south-1",
      }),
    ).toBe("ImplicitlyDenied");
    expect(may(appManageStatements(SCOPE), "sqs:CreateQueue", queue("silkroute-dev-orders"))).toBe(
      "ImplicitlyDenied",
    );
  });

  it("deploy: the sample's kinds by default: functions, roles, log groups, code", () => {
    const statements = appManageStatements(SCOPE);
    expect(statements.map((s) => s.Sid)).toEqual(
      expect.arrayContaining(["AppFunction", "AppRole", "AppLogGroup", "AppCode", "ListAppCode"]),
    );
    const fn = devArn("lambda", "function:silkroute-dev-fn");
    expect(may(statements, "lambda:UpdateFunctionCode", fn)).toBe("Allowed");
    const logs = devArn("logs", "log-group:/aws/lambda/silkroute-dev-fn");
    expect(may(statements, "logs:PutRetentionPolicy", logs)).toBe("Allowed");
    const code = "arn:aws:s3:::art-use1/app/silkroute-dev/v1.zip";
    expect(may(statements, "s3:PutObject", code)).toBe("Allowed");
    // an environment's own folder only: `app/silkroute-dev/` never prefixes `app/silkroute-dev-eu/`
    const other = "arn:aws:s3:::art-use1/app/silkroute-dev-eu/v1.zip";
    expect(may(statements, "s3:PutObject", other)).toBe("ImplicitlyDenied");
  });

  it("deploy: creates roles and gives them policies only under the app boundary", () => {
    // given / when
    const allowed = appManageStatements(SCOPE).filter((s) => s.Effect === "Allow");
    const granting = allowed.filter((s) => s.Action.some((a) => BOUNDED_ROLE_ACTIONS.includes(a)));
    // then: exactly one statement grants them, and only with the boundary
    expect(granting).toHaveLength(1);
    expect(granting[0].Condition).toEqual({ StringEquals: BOUNDARY });
    const statements = appManageStatements(SCOPE);
    expect(may(statements, "iam:AttachRolePolicy", DEV_ROLE)).toBe("ImplicitlyDenied");
    expect(may(statements, "iam:AttachRolePolicy", DEV_ROLE, BOUNDARY)).toBe("Allowed");
  });

  it("deploy: passes roles only to the services of the kinds the app manages", () => {
    const passedTo = (kinds: string[]) =>
      appManageStatements({ ...SCOPE, kinds }).find((s) => s.Sid === "PassAppRoles")?.Condition;
    expect(passedTo([])).toEqual({
      StringEquals: { "iam:PassedToService": ["lambda.amazonaws.com"] },
    });
    expect(passedTo(["state-machine"])).toEqual({
      StringEquals: { "iam:PassedToService": ["lambda.amazonaws.com", "states.amazonaws.com"] },
    });
  });

  it("deploy: creates change sets through the template's transforms only for a stack app", () => {
    const transform = (kinds: string[]) =>
      appManageStatements({ ...SCOPE, kinds, transforms: ["Serverless-2016-10-31"] }).find(
        (s) => s.Sid === "CreateChangeSetsThroughTransforms",
      )?.Resource;
    expect(transform([])).toBeUndefined();
    expect(transform(["stack"])).toEqual([
      "arn:aws:cloudformation:*:aws:transform/Serverless-2016-10-31",
    ]);
  });

  it("deploy: may neither remove a role's boundary nor change the boundary policy, whatever else allows it", () => {
    // given the app statements beside a policy that allows all of IAM
    const allOfIam = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "iam:*", Resource: "*" }],
    };
    const decided = (action: string, resource: string, context: Record<string, string> = {}) =>
      decide(
        { identityPolicies: [doc(appManageStatements(SCOPE)), allOfIam] },
        {
          principal: `arn:aws:iam::${ACCOUNT}:role/silkroute-deploy-dev`,
          action,
          resource,
          resourceAccount: ACCOUNT,
          context,
        },
      );
    // then every change IAM lists to a policy's document is explicitly denied on the boundary
    // (CreatePolicy makes a new policy: it cannot overwrite one that exists)
    const changes = serviceActions("iam").filter(
      (a) =>
        a.resourceTypes.includes("policy") &&
        a.accessLevel.includes("Permissions management") &&
        a.name !== "CreatePolicy",
    );
    expect(changes.length).toBeGreaterThan(0);
    for (const { name } of changes) {
      expect([name, decided(`iam:${name}`, SCOPE.boundaryArn)]).toEqual([name, "ExplicitlyDenied"]);
    }
    // and an app role keeps the app boundary: never removed, never another one
    expect(decided("iam:DeleteRolePermissionsBoundary", DEV_ROLE)).toBe("ExplicitlyDenied");
    const other = { "iam:PermissionsBoundary": `${SCOPE.boundaryArn}-wide` };
    expect(decided("iam:PutRolePermissionsBoundary", DEV_ROLE, other)).toBe("ExplicitlyDenied");
    expect(decided("iam:PutRolePermissionsBoundary", DEV_ROLE, BOUNDARY)).toBe("Allowed");
  });

  it.each([
    ["aws", SCOPE],
    [
      "aws-cn",
      {
        ...SCOPE,
        partition: "aws-cn" as const,
        regions: ["cn-north-1"],
        artifactBucketArns: ["arn:aws-cn:s3:::art"],
        boundaryArn: `arn:aws-cn:iam::${ACCOUNT}:policy/silkroute-app-boundary`,
      },
    ],
  ] as const)(
    "names IAM actions (one verb's at the widest) on ARNs of their own service in %s, for every kind",
    (partition, scope) => {
      // given an app of every kind, with a transform
      const full = {
        ...scope,
        kinds: APP_KINDS.map((k) => k.name),
        transforms: ["Serverless-2016-10-31"],
      };
      // then
      expect(statementProblems(appManageStatements(full), partition)).toEqual([]);
      expect(statementProblems(appReadStatements(full), partition)).toEqual([]);
    },
  );

  it("preview: reads the configuration of the same resources, never the app's data, and writes none", () => {
    const kinds = ["queue", "table", "bucket", "topic"];
    const reads = appReadStatements({ ...SCOPE, kinds });
    const manage = appManageStatements({ ...SCOPE, kinds });
    const readsIt = (action: string, resource: string) =>
      decide(
        { identityPolicies: [{ Version: "2012-10-17", Statement: reads }] },
        {
          principal: `arn:aws:iam::${ACCOUNT}:role/silkroute-preview`,
          action,
          resource,
          resourceAccount: ACCOUNT,
          context: { "aws:RequestedRegion": "us-east-1" },
        },
      );
    const table = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/silkroute-dev-orders`;
    expect(readsIt("dynamodb:DescribeTable", table)).toBe("Allowed");
    expect(readsIt("dynamodb:GetItem", table)).toBe("ImplicitlyDenied");
    expect(readsIt("dynamodb:Scan", table)).toBe("ImplicitlyDenied");
    expect(readsIt("sqs:ReceiveMessage", `arn:aws:sqs:us-east-1:${ACCOUNT}:silkroute-dev-q`)).toBe(
      "ImplicitlyDenied",
    );
    expect(readsIt("s3:GetObject", "arn:aws:s3:::silkroute-dev-data/secret.txt")).toBe(
      "ImplicitlyDenied",
    );
    // only reads, per IAM's access levels
    for (const action of actionsOf(reads)) {
      expect([action, readsOnly(action)]).toEqual([action, true]);
    }
    // read ⊆ manage
    for (const s of reads) {
      for (const action of s.Action) {
        for (const resource of s.Resource) {
          const concrete = resource.replace(/\*/g, "x");
          const name = action.replace("*", "Anything");
          if (readsIt(name, concrete) === "Allowed") {
            expect(may(manage, name, concrete)).toBe("Allowed");
          }
        }
      }
    }
  });

  it.each([
    ["no environment", { appPrefixes: [] }],
    ["no Region", { regions: [] }],
  ])("grants nothing when there is %s to deploy into", (_, empty) => {
    expect(appManageStatements({ ...SCOPE, ...empty })).toEqual([]);
    expect(appReadStatements({ ...SCOPE, ...empty })).toEqual([]);
  });

  it("passes the role to the Lambda principal of the partition, with aws-cn ARNs", () => {
    const cn = {
      ...SCOPE,
      partition: "aws-cn" as const,
      regions: ["cn-north-1"],
      artifactBucketArns: ["arn:aws-cn:s3:::art"],
      boundaryArn: `arn:aws-cn:iam::${ACCOUNT}:policy/silkroute-app-boundary`,
    };
    const statements = appManageStatements(cn);
    expect(statements.find((s) => s.Sid === "PassAppRoles")?.Condition).toEqual({
      StringEquals: { "iam:PassedToService": ["lambda.amazonaws.com"] },
    });
    expect(JSON.stringify(statements)).not.toContain("arn:aws:");
  });

  it("passes the audit, and reaches none of the pipeline's own roles", () => {
    const doc = { Version: "2012-10-17" as const, Statement: appManageStatements(SCOPE) };
    expect(auditPolicyDocument(doc, PIPELINE_ROLES)).toEqual([]);
  });

  it("a bare prefix would reach the pipeline's roles, and the audit says so", () => {
    // given: `silkroute-` without the environment
    const doc = {
      Version: "2012-10-17" as const,
      Statement: appManageStatements({ ...SCOPE, appPrefixes: ["silkroute"] }),
    };
    // when
    const problems = auditPolicyDocument(doc, PIPELINE_ROLES);
    // then
    expect(problems).toContain(
      `AppRole: IAM actions on arn:aws:iam::${ACCOUNT}:role/silkroute-* reach the pipeline role silkroute-codebuild, which could then grant itself anything`,
    );
    // AppRole, AppRolesUnderBoundary and PassAppRoles each reach them
    expect(problems).toHaveLength(3 * PIPELINE_ROLES.length);
  });
});
