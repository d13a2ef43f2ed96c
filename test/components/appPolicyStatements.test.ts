import {
  appManageStatements,
  appNamePrefixes,
  AppScope,
  appReadStatements,
} from "../../components/appPolicyStatements";
import { auditPolicyDocument } from "../../components/policyStatements";
import { ACCOUNT, PIPELINE_ROLES } from "../helpers/policyInputs";

const SCOPE: AppScope = {
  partition: "aws",
  accountId: ACCOUNT,
  regions: ["us-east-1", "eu-west-1"],
  appPrefixes: ["silkroute-dev", "silkroute-stage"],
  artifactBucketArns: ["arn:aws:s3:::art-use1", "arn:aws:s3:::art-euw1"],
  boundaryArn: `arn:aws:iam::${ACCOUNT}:policy/silkroute-app-boundary`,
};
const BOUNDARY = { "iam:PermissionsBoundary": SCOPE.boundaryArn };
// Regional resources: Region `*`, narrowed by IN_REGIONS to the deploy Regions.
const FUNCTIONS = [
  `arn:aws:lambda:*:${ACCOUNT}:function:silkroute-dev-*`,
  `arn:aws:lambda:*:${ACCOUNT}:function:silkroute-stage-*`,
];
const IN_REGIONS = { StringEquals: { "aws:RequestedRegion": ["us-east-1", "eu-west-1"] } };
const ROLES = [
  `arn:aws:iam::${ACCOUNT}:role/silkroute-dev-*`,
  `arn:aws:iam::${ACCOUNT}:role/silkroute-stage-*`,
];
const LOG_GROUPS = [
  `arn:aws:logs:*:${ACCOUNT}:log-group:/aws/lambda/silkroute-dev-*`,
  `arn:aws:logs:*:${ACCOUNT}:log-group:/aws/lambda/silkroute-stage-*`,
];
const ALL_LOG_GROUPS = [`arn:aws:logs:*:${ACCOUNT}:log-group:*`];
// Each environment's own folder: `app/silkroute-dev/` never prefixes `app/silkroute-dev-eu/`.
const CODE = [
  "arn:aws:s3:::art-use1/app/silkroute-dev/*",
  "arn:aws:s3:::art-euw1/app/silkroute-dev/*",
  "arn:aws:s3:::art-use1/app/silkroute-stage/*",
  "arn:aws:s3:::art-euw1/app/silkroute-stage/*",
];

describe("app stack statements", () => {
  it("names the app's resources <appPrefix>-, one prefix per environment", () => {
    expect(appNamePrefixes(["silkroute-dev", "silkroute-stage"])).toEqual([
      "silkroute-dev-",
      "silkroute-stage-",
    ]);
  });

  it("deploy: manages function, role, log group and code of the app only, in every Region", () => {
    expect(appManageStatements(SCOPE)).toEqual([
      {
        Sid: "AppFunctions",
        Effect: "Allow",
        Action: [
          "lambda:CreateFunction",
          "lambda:DeleteFunction",
          "lambda:GetFunction",
          "lambda:GetFunctionCodeSigningConfig",
          "lambda:GetFunctionConfiguration",
          "lambda:ListTags",
          "lambda:ListVersionsByFunction",
          "lambda:PublishVersion",
          "lambda:TagResource",
          "lambda:UntagResource",
          "lambda:UpdateFunctionCode",
          "lambda:UpdateFunctionConfiguration",
        ],
        Resource: FUNCTIONS,
        Condition: IN_REGIONS,
      },
      {
        Sid: "AppRoles",
        Effect: "Allow",
        Action: [
          "iam:DeleteRole",
          "iam:DeleteRolePolicy",
          "iam:DetachRolePolicy",
          "iam:GetRole",
          "iam:GetRolePolicy",
          "iam:ListAttachedRolePolicies",
          "iam:ListInstanceProfilesForRole",
          "iam:ListRolePolicies",
          "iam:ListRoleTags",
          "iam:TagRole",
          "iam:UntagRole",
          "iam:UpdateAssumeRolePolicy",
        ],
        Resource: ROLES,
      },
      {
        Sid: "AppRolesUnderBoundary",
        Effect: "Allow",
        Action: ["iam:CreateRole", "iam:PutRolePolicy"],
        Resource: ROLES,
        Condition: { StringEquals: BOUNDARY },
      },
      {
        Sid: "KeepAppRoleBoundary",
        Effect: "Deny",
        Action: ["iam:DeleteRolePermissionsBoundary"],
        Resource: ROLES,
      },
      {
        Sid: "NoOtherAppRoleBoundary",
        Effect: "Deny",
        Action: ["iam:PutRolePermissionsBoundary"],
        Resource: ROLES,
        Condition: { StringNotEquals: BOUNDARY },
      },
      {
        Sid: "KeepBoundaryPolicy",
        Effect: "Deny",
        Action: [
          "iam:CreatePolicyVersion",
          "iam:DeletePolicy",
          "iam:DeletePolicyVersion",
          "iam:SetDefaultPolicyVersion",
        ],
        Resource: [SCOPE.boundaryArn],
      },
      {
        Sid: "PassAppRolesToLambda",
        Effect: "Allow",
        Action: ["iam:PassRole"],
        Resource: ROLES,
        Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } },
      },
      {
        Sid: "AppLogGroups",
        Effect: "Allow",
        Action: [
          "logs:CreateLogGroup",
          "logs:DeleteLogGroup",
          "logs:ListTagsForResource",
          "logs:PutRetentionPolicy",
          "logs:TagResource",
          "logs:UntagResource",
        ],
        Resource: LOG_GROUPS,
        Condition: IN_REGIONS,
      },
      {
        Sid: "DescribeLogGroups",
        Effect: "Allow",
        Action: ["logs:DescribeLogGroups"],
        Resource: ALL_LOG_GROUPS,
        Condition: IN_REGIONS,
      },
      {
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
        Resource: CODE,
      },
      {
        Sid: "ListAppCode",
        Effect: "Allow",
        Action: ["s3:ListBucket", "s3:ListBucketVersions"],
        Resource: SCOPE.artifactBucketArns,
        Condition: {
          StringLike: { "s3:prefix": ["app/silkroute-dev/*", "app/silkroute-stage/*"] },
        },
      },
    ]);
  });

  it("deploy: may not attach managed policies to the app's role", () => {
    const actions = appManageStatements(SCOPE).flatMap((s) => s.Action);
    expect(actions).not.toContain("iam:AttachRolePolicy");
  });

  it("deploy: creates roles and puts their inline policies only under the app boundary", () => {
    // given / when
    const allowed = appManageStatements(SCOPE).filter((s) => s.Effect === "Allow");
    const granting = allowed.filter((s) =>
      s.Action.some((a) => ["iam:CreateRole", "iam:PutRolePolicy"].includes(a)),
    );
    // then: exactly one statement grants them, and only with the boundary
    expect(granting).toHaveLength(1);
    expect(granting[0].Condition).toEqual({ StringEquals: BOUNDARY });
    expect(allowed.flatMap((s) => s.Action)).not.toContain("iam:PutRolePermissionsBoundary");
  });

  it("deploy: may neither remove a role's boundary nor change the boundary policy", () => {
    const denied = appManageStatements(SCOPE)
      .filter((s) => s.Effect === "Deny" && s.Condition === undefined)
      .flatMap((s) => s.Action);
    expect(denied).toEqual([
      "iam:DeleteRolePermissionsBoundary",
      "iam:CreatePolicyVersion",
      "iam:DeletePolicy",
      "iam:DeletePolicyVersion",
      "iam:SetDefaultPolicyVersion",
    ]);
  });

  it("preview: reads the same resources and writes none of them", () => {
    expect(appReadStatements(SCOPE)).toEqual([
      {
        Sid: "ReadAppFunctions",
        Effect: "Allow",
        Action: [
          "lambda:GetFunction",
          "lambda:GetFunctionCodeSigningConfig",
          "lambda:GetFunctionConfiguration",
          "lambda:ListTags",
          "lambda:ListVersionsByFunction",
        ],
        Resource: FUNCTIONS,
        Condition: IN_REGIONS,
      },
      {
        Sid: "ReadAppRoles",
        Effect: "Allow",
        Action: [
          "iam:GetRole",
          "iam:GetRolePolicy",
          "iam:ListAttachedRolePolicies",
          "iam:ListRolePolicies",
          "iam:ListRoleTags",
        ],
        Resource: ROLES,
      },
      {
        Sid: "ReadAppLogGroups",
        Effect: "Allow",
        Action: ["logs:ListTagsForResource"],
        Resource: LOG_GROUPS,
        Condition: IN_REGIONS,
      },
      {
        Sid: "DescribeLogGroups",
        Effect: "Allow",
        Action: ["logs:DescribeLogGroups"],
        Resource: ALL_LOG_GROUPS,
        Condition: IN_REGIONS,
      },
      {
        Sid: "ReadAppCode",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:GetObjectTagging"],
        Resource: CODE,
      },
    ]);
    for (const action of appReadStatements(SCOPE).flatMap((s) => s.Action)) {
      expect(action).toMatch(/:(Get|List|Describe)[A-Za-z]+$/);
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
    expect(statements.find((s) => s.Sid === "PassAppRolesToLambda")?.Condition).toEqual({
      StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" },
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
      `AppRoles: IAM actions on arn:aws:iam::${ACCOUNT}:role/silkroute-* reach the pipeline role silkroute-codebuild, which could then grant itself anything`,
    );
    // AppRoles, AppRolesUnderBoundary and PassAppRolesToLambda each reach them
    expect(problems).toHaveLength(3 * PIPELINE_ROLES.length);
  });
});
