import { APP_KINDS } from "../../../components/appKinds";
import { appPolicyLayout } from "../../../components/iam/appPolicyStatements";
import {
  chinaUserAppLayoutScope,
  ChinaUserPolicyScope,
  chinaUserAppStatements,
  chinaUserPolicyDocument,
} from "../../../components/iam/chinaUserPolicy";
import {
  auditPolicyDocument,
  doc,
  MAX_MANAGED_POLICY_CHARS,
  packStatements,
} from "../../../components/iam/policyStatements";
import { KEY_ADMIN_ACTIONS } from "../../../components/encryptionKey";
import { decide } from "../../../automation/policies/simulate";
import { readsOnly, statementProblems } from "../../helpers/iamInvariants";

const ACCOUNT = "210987654321";
const SCOPE: ChinaUserPolicyScope = {
  partition: "aws-cn" as const,
  region: "cn-north-1",
  account: ACCOUNT,
  appPrefix: "silkroute-dev",
  bucketArn: "arn:aws-cn:s3:::dev-artifacts",
  keyArn: `arn:aws-cn:kms:cn-north-1:${ACCOUNT}:key/k`,
  userArn: `arn:aws-cn:iam::${ACCOUNT}:user/silkroute/silkroute-dev-china-deployer`,
  boundaryArn: `arn:aws-cn:iam::${ACCOUNT}:policy/silkroute-app-boundary`,
};
const ROLE = `arn:aws-cn:iam::${ACCOUNT}:role/silkroute-dev-china-fn`;

/** The China deploy group's documents: its inline policy and its app policies. */
const group = (scope = SCOPE) => ({
  identityPolicies: [chinaUserPolicyDocument(scope), doc(chinaUserAppStatements(scope))],
});
const may = (action: string, resource: string, context: Record<string, string> = {}) =>
  decide(group(), {
    principal: SCOPE.userArn,
    action,
    resource,
    resourceAccount: ACCOUNT,
    context: { "aws:RequestedRegion": SCOPE.region, ...context },
  });

describe("the China deploy group's policies", () => {
  it("get the app statements for this account, Region and environment only", () => {
    const fn = (name: string, account = ACCOUNT) =>
      `arn:aws-cn:lambda:cn-north-1:${account}:function:${name}`;
    expect(may("lambda:UpdateFunctionCode", fn("silkroute-dev-fn"))).toBe("Allowed");
    expect(may("lambda:UpdateFunctionCode", fn("silkroute-dev-fn", "310987654321"))).toBe(
      "ImplicitlyDenied",
    );
    expect(
      may("lambda:UpdateFunctionCode", fn("silkroute-dev-fn"), {
        "aws:RequestedRegion": "cn-northwest-1",
      }),
    ).toBe("ImplicitlyDenied");
  });

  it("get what the app's kinds need, as the global deploy roles do", () => {
    const queue = `arn:aws-cn:sqs:cn-north-1:${ACCOUNT}:silkroute-dev-orders`;
    const request = {
      principal: SCOPE.userArn,
      action: "sqs:CreateQueue",
      resource: queue,
      resourceAccount: ACCOUNT,
      context: { "aws:RequestedRegion": SCOPE.region },
    };
    expect(decide(group(), request)).toBe("ImplicitlyDenied");
    expect(decide(group({ ...SCOPE, kinds: ["queue"] }), request)).toBe("Allowed");
  });

  it("keep the inline policy to the China extras: the bucket, its key and the user itself, within a group's 5,120 characters", () => {
    const inline = chinaUserPolicyDocument(SCOPE);
    const reached = [...new Set(inline.Statement.flatMap((s) => s.Resource))].sort();
    expect(reached).toEqual([SCOPE.bucketArn, SCOPE.keyArn, SCOPE.userArn].sort());
    expect(JSON.stringify(inline).length).toBeLessThan(5_120);
  });

  it("have S3 encrypt and decrypt the code objects with the bucket's key, and administer it not", () => {
    // given the key's policy: KMS's default, which leaves its use to the account's IAM policies
    const defaultKeyPolicy = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: `arn:aws-cn:iam::${ACCOUNT}:root` },
          Action: "kms:*",
          Resource: "*",
        },
      ],
    };
    const onKey = (action: string) =>
      decide(
        { ...group(), resourcePolicy: defaultKeyPolicy },
        { principal: SCOPE.userArn, action, resource: SCOPE.keyArn, resourceAccount: ACCOUNT },
      );
    // then
    expect(onKey("kms:GenerateDataKey")).toBe("Allowed");
    expect(onKey("kms:Decrypt")).toBe("Allowed");
    for (const action of KEY_ADMIN_ACTIONS.filter((a) => !readsOnly(a))) {
      expect([action, onKey(action)]).toEqual([action, "ImplicitlyDenied"]);
    }
  });

  it("replace and delete the code under app/<prefix>/ only", () => {
    const code = "arn:aws-cn:s3:::dev-artifacts/app/silkroute-dev/v1.zip";
    expect(may("s3:PutObject", code)).toBe("Allowed");
    expect(may("s3:DeleteObject", code)).toBe("Allowed");
    expect(may("s3:PutObject", "arn:aws-cn:s3:::dev-artifacts/app/silkroute-prod/v1.zip")).toBe(
      "ImplicitlyDenied",
    );
    expect(may("s3:PutObject", "arn:aws-cn:s3:::dev-artifacts/other/v1.zip")).toBe(
      "ImplicitlyDenied",
    );
  });

  it("create and grant roles only under this account's boundary, and never remove it", () => {
    const boundary = { "iam:PermissionsBoundary": SCOPE.boundaryArn };
    for (const action of ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy"]) {
      expect(may(action, ROLE, boundary)).toBe("Allowed");
      expect(may(action, ROLE)).toBe("ImplicitlyDenied");
      expect(may(action, ROLE, { "iam:PermissionsBoundary": `${SCOPE.boundaryArn}-other` })).toBe(
        "ImplicitlyDenied",
      );
    }
    expect(may("iam:DeleteRolePermissionsBoundary", ROLE)).toBe("ExplicitlyDenied");
    expect(may("iam:CreatePolicyVersion", SCOPE.boundaryArn)).toBe("ExplicitlyDenied");
  });

  it("pass the app's roles to Lambda only", () => {
    const to = (service: string) => ({ "iam:PassedToService": service });
    expect(may("iam:PassRole", ROLE, to("lambda.amazonaws.com"))).toBe("Allowed");
    expect(may("iam:PassRole", ROLE, to("ec2.amazonaws.com.cn"))).toBe("ImplicitlyDenied");
  });

  it("reach only the environment's own resources", () => {
    const fn = (name: string) => `arn:aws-cn:lambda:cn-north-1:${ACCOUNT}:function:${name}`;
    expect(may("lambda:UpdateFunctionCode", fn("silkroute-dev-fn"))).toBe("Allowed");
    expect(may("lambda:UpdateFunctionCode", fn("silkroute-prod-fn"))).toBe("ImplicitlyDenied");
    expect(may("lambda:UpdateFunctionCode", fn("silkroute-deploy"))).toBe("ImplicitlyDenied");
  });

  it("pass the audit (but the user's own key check, which names a user) and fit a managed policy each", () => {
    expect(auditPolicyDocument(chinaUserPolicyDocument(SCOPE))).toEqual([
      `OwnAccessKeysAgeCheck: IAM actions on ${SCOPE.userArn}, not on the roles of a name prefix`,
    ]);
    const kinds = ["queue", "topic", "table", "bucket", "api", "event-rule", "alarm"];
    const scope = { ...SCOPE, kinds, transforms: ["Serverless-2016-10-31"] };
    const layout = appPolicyLayout(chinaUserAppLayoutScope(scope));
    for (const d of packStatements(chinaUserAppStatements(scope), layout)) {
      expect(auditPolicyDocument(d, [], MAX_MANAGED_POLICY_CHARS)).toEqual([]);
    }
  });

  it.each([
    ["aws-cn", SCOPE],
    [
      "aws",
      {
        ...SCOPE,
        partition: "aws" as const,
        region: "us-east-1",
        bucketArn: "arn:aws:s3:::dev-artifacts",
        keyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/k`,
        userArn: `arn:aws:iam::${ACCOUNT}:user/silkroute/silkroute-dev-china-deployer`,
        boundaryArn: `arn:aws:iam::${ACCOUNT}:policy/silkroute-app-boundary`,
      },
    ],
  ] as const)(
    "name IAM actions (one verb's at the widest) on ARNs of their own service in %s",
    (partition, scope) => {
      const full = { ...scope, kinds: APP_KINDS.map((k) => k.name) };
      expect(statementProblems(chinaUserPolicyDocument(full).Statement, partition)).toEqual([]);
      expect(statementProblems(chinaUserAppStatements(full), partition)).toEqual([]);
    },
  );
});
