import { appManageStatements, appPolicyLayout } from "../../components/appPolicyStatements";
import {
  deployAppLayoutScope,
  deployAppStatements,
  deployPolicyDocument,
} from "../../components/deployPolicy";
import {
  auditPolicyDocument,
  doc,
  MAX_MANAGED_POLICY_CHARS,
  packStatements,
} from "../../components/policyStatements";
import { decide } from "../../automation/policies/simulate";

const ACCOUNT = "210987654321";
const SCOPE = {
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
  identityPolicies: [deployPolicyDocument(scope), doc(deployAppStatements(scope))],
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
  it("get the global deploy role's app statements for this account and Region", () => {
    // given the statements the global deploy role gets for the same app
    const app = appManageStatements({
      partition: "aws-cn",
      accountId: ACCOUNT,
      regions: ["cn-north-1"],
      appPrefixes: ["silkroute-dev"],
      artifactBucketArns: [SCOPE.bucketArn],
      boundaryArn: SCOPE.boundaryArn,
      kinds: ["queue"],
    });
    // then the group's app statements are the same ones
    expect(deployAppStatements({ ...SCOPE, kinds: ["queue"] })).toEqual(app);
    // and its inline policy holds only the China extras (a group's inline policies share 5,120)
    const inline = deployPolicyDocument(SCOPE);
    expect(inline.Statement.map((s) => s.Sid)).toEqual([
      "ArtifactBucket",
      "ArtifactKey",
      "OwnAccessKeysAgeCheck",
    ]);
    expect(JSON.stringify(inline).length).toBeLessThan(5_120);
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
    expect(auditPolicyDocument(deployPolicyDocument(SCOPE))).toEqual([
      `OwnAccessKeysAgeCheck: IAM actions on ${SCOPE.userArn}, not on the roles of a name prefix`,
    ]);
    const kinds = ["queue", "topic", "table", "bucket", "api", "event-rule", "alarm"];
    const scope = { ...SCOPE, kinds, transforms: ["Serverless-2016-10-31"] };
    const layout = appPolicyLayout(deployAppLayoutScope(scope));
    for (const d of packStatements(deployAppStatements(scope), layout)) {
      expect(auditPolicyDocument(d, [], MAX_MANAGED_POLICY_CHARS)).toEqual([]);
    }
  });

  it("use the aws partition's ARNs when given it", () => {
    const global = deployAppStatements({ ...SCOPE, partition: "aws", region: "us-east-1" });
    expect(global[0].Resource).toEqual([`arn:aws:lambda:*:${ACCOUNT}:function:silkroute-dev-*`]);
    expect(global[0].Condition).toEqual({
      StringEquals: { "aws:RequestedRegion": ["us-east-1"] },
    });
  });
});
