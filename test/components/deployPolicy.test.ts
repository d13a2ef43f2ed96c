import { appManageStatements } from "../../components/appPolicyStatements";
import { deployPolicyDocument } from "../../components/deployPolicy";
import { auditPolicyDocument } from "../../components/policyStatements";

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
const ROLES = [`arn:aws-cn:iam::${ACCOUNT}:role/silkroute-dev-*`];

describe("deployPolicyDocument (the China deploy user)", () => {
  const doc = deployPolicyDocument(SCOPE);
  const statement = (sid: string) => doc.Statement.find((s) => s.Sid === sid);

  it("is the global deploy role's app statements for this account and Region, then the China extras", () => {
    // given: the statements the global deploy role gets for the same app
    const app = appManageStatements({
      partition: "aws-cn",
      accountId: ACCOUNT,
      regions: ["cn-north-1"],
      appPrefixes: ["silkroute-dev"],
      artifactBucketArns: [SCOPE.bucketArn],
      boundaryArn: SCOPE.boundaryArn,
    });
    // when / then
    expect(doc).toEqual({
      Version: "2012-10-17",
      Statement: [
        ...app,
        {
          Sid: "ArtifactBucket",
          Effect: "Allow",
          Action: ["s3:ListBucket"],
          Resource: [SCOPE.bucketArn],
        },
        {
          Sid: "ArtifactKey",
          Effect: "Allow",
          Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
          Resource: [SCOPE.keyArn],
        },
        {
          Sid: "OwnAccessKeysAgeCheck",
          Effect: "Allow",
          Action: ["iam:GetAccessKeyLastUsed", "iam:ListAccessKeys"],
          Resource: [SCOPE.userArn],
        },
      ],
    });
  });

  it("replaces and deletes the code zip under app/ only, reading its tags and versions", () => {
    expect(statement("AppCode")).toEqual({
      Sid: "AppCode",
      Effect: "Allow",
      Action: [
        "s3:DeleteObject",
        "s3:DeleteObjectVersion",
        "s3:GetObject",
        "s3:GetObjectTagging",
        "s3:GetObjectVersion",
        "s3:PutObject",
        "s3:PutObjectTagging",
      ],
      Resource: ["arn:aws-cn:s3:::dev-artifacts/app/silkroute-dev/*"],
    });
    expect(statement("ListAppCode")).toEqual({
      Sid: "ListAppCode",
      Effect: "Allow",
      Action: ["s3:ListBucket", "s3:ListBucketVersions"],
      Resource: [SCOPE.bucketArn],
      Condition: { StringLike: { "s3:prefix": ["app/silkroute-dev/*"] } },
    });
  });

  it("creates the app's roles and their inline policies only under this account's boundary", () => {
    expect(statement("AppRolesUnderBoundary")).toEqual({
      Sid: "AppRolesUnderBoundary",
      Effect: "Allow",
      Action: ["iam:CreateRole", "iam:PutRolePolicy"],
      Resource: ROLES,
      Condition: { StringEquals: { "iam:PermissionsBoundary": SCOPE.boundaryArn } },
    });
    expect(doc.Statement.flatMap((s) => s.Action)).not.toContain("iam:AttachRolePolicy");
    expect(statement("KeepBoundaryPolicy")).toMatchObject({
      Effect: "Deny",
      Resource: [SCOPE.boundaryArn],
    });
  });

  it("passes the app's roles to the Lambda principal only", () => {
    expect(statement("PassAppRolesToLambda")).toEqual({
      Sid: "PassAppRolesToLambda",
      Effect: "Allow",
      Action: ["iam:PassRole"],
      Resource: ROLES,
      Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } },
    });
  });

  it("passes the audit except for the user's own key check, which names a user", () => {
    expect(auditPolicyDocument(doc)).toEqual([
      `OwnAccessKeysAgeCheck: IAM actions on ${SCOPE.userArn}, not on the roles of a name prefix`,
    ]);
  });

  it("uses the aws partition's ARNs when given it", () => {
    const global = deployPolicyDocument({ ...SCOPE, partition: "aws", region: "us-east-1" });
    expect(global.Statement[0].Resource).toEqual([
      `arn:aws:lambda:*:${ACCOUNT}:function:silkroute-dev-*`,
    ]);
    expect(global.Statement[0].Condition).toEqual({
      StringEquals: { "aws:RequestedRegion": ["us-east-1"] },
    });
  });
});
