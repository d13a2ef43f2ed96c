import { appCodeFolder } from "./naming";
import { arn, iamArn, Partition, servicePrincipal } from "./partition";
import { allow, deny, objects, Statement } from "./policyStatements";

/** Where the app stacks of one account live, as the pipeline's roles reach them. */
export interface AppScope {
  readonly partition: Partition;
  readonly accountId: string;
  /** Regions the app stacks deploy into. */
  readonly regions: readonly string[];
  /**
   * The app prefixes (naming.ts appPrefixOf, `silkroute-dev`) of the
   * environments reached: their function, role and log group are named
   * `<appPrefix>-…`, their code zips are under `app/<appPrefix>/`. Never a
   * bare `silkroute`, which would also match the pipeline's own roles.
   */
  readonly appPrefixes: readonly string[];
  /** The artifact buckets holding the code zips. */
  readonly artifactBucketArns: readonly string[];
  /**
   * ARN of the app boundary policy (AppBoundary) in this account: every role
   * the app stacks create must carry it, so no role made through these
   * statements can do more than the boundary allows.
   */
  readonly boundaryArn: string;
}

/** `<appPrefix>-` for each app prefix: what the app stack's function, role and log group start with. */
export function appNamePrefixes(appPrefixes: readonly string[]): string[] {
  return appPrefixes.map((p) => `${p}-`);
}

/** The function as the AWS provider creates, reads, updates, tags and deletes it. */
export const APP_FUNCTION_ACTIONS = [
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
];

/** What a refresh reads of the function. */
export const APP_FUNCTION_READ_ACTIONS = [
  "lambda:GetFunction",
  "lambda:GetFunctionCodeSigningConfig",
  "lambda:GetFunctionConfiguration",
  "lambda:ListTags",
  "lambda:ListVersionsByFunction",
];

/**
 * The function's execution role and its inline policy, except what grants
 * permissions (APP_ROLE_BOUNDED_ACTIONS). No iam:AttachRolePolicy: the app
 * attaches no managed policy. DetachRolePolicy, DeleteRolePolicy and the List
 * actions only take permissions away and stay unconditioned, so a role made
 * before the boundary existed can still be deleted.
 */
export const APP_ROLE_ACTIONS = [
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
];

/**
 * What gives the role permissions: allowed only when the role carries the app
 * boundary (`iam:PermissionsBoundary`, which IAM evaluates for CreateRole and
 * PutRolePolicy against the boundary the role has or is created with).
 */
export const APP_ROLE_BOUNDED_ACTIONS = ["iam:CreateRole", "iam:PutRolePolicy"];

/** Changes to the boundary policy itself, denied so the boundary cannot be widened. */
export const BOUNDARY_POLICY_CHANGE_ACTIONS = [
  "iam:CreatePolicyVersion",
  "iam:DeletePolicy",
  "iam:DeletePolicyVersion",
  "iam:SetDefaultPolicyVersion",
];

/** What a refresh reads of the role and its inline policy. */
export const APP_ROLE_READ_ACTIONS = [
  "iam:GetRole",
  "iam:GetRolePolicy",
  "iam:ListAttachedRolePolicies",
  "iam:ListRolePolicies",
  "iam:ListRoleTags",
];

export const APP_LOG_GROUP_ACTIONS = [
  "logs:CreateLogGroup",
  "logs:DeleteLogGroup",
  "logs:ListTagsForResource",
  "logs:PutRetentionPolicy",
  "logs:TagResource",
  "logs:UntagResource",
];

/**
 * The code zip. Every version gets a new key, so each deploy replaces the
 * object, and deleting an object of a versioned bucket deletes its versions.
 */
export const APP_CODE_ACTIONS = [
  "s3:DeleteObject",
  "s3:DeleteObjectVersion",
  "s3:GetObject",
  "s3:GetObjectTagging",
  "s3:GetObjectVersion",
  "s3:PutObject",
  "s3:PutObjectTagging",
];

/**
 * Regional resources are written with the Region `*` and narrowed to the
 * deploy Regions by an `aws:RequestedRegion` condition (inRegions): one ARN
 * per environment instead of one per environment and Region, which keeps the
 * deploy role's policy within IAM's 10,240 characters at 10 environments x
 * 4 Regions.
 */
function resources(scope: AppScope) {
  const { partition, accountId: account } = scope;
  const namePrefixes = appNamePrefixes(scope.appPrefixes);
  const regional = (service: string, resource: (prefix: string) => string) =>
    namePrefixes.map((prefix) =>
      arn({ partition, service, region: "*", account, resource: resource(prefix) }),
    );
  return {
    // `*` also matches the qualified ARNs (`:version`) of these functions.
    functions: regional("lambda", (prefix) => `function:${prefix}*`),
    roles: namePrefixes.map((prefix) => iamArn(partition, account, `role/${prefix}*`)),
    logGroups: regional("logs", (prefix) => `log-group:/aws/lambda/${prefix}*`),
    // DescribeLogGroups is authorized against the account's log-group
    // collection, never one group: the narrowest resource it accepts is every
    // log group of the account and Region.
    allLogGroups: [
      arn({ partition, service: "logs", region: "*", account, resource: "log-group:*" }),
    ],
    // An environment's own folder only: `app/silkroute-dev/` never prefixes `app/silkroute-dev-eu/`.
    code: scope.appPrefixes.flatMap((p) => objects(scope.artifactBucketArns, appCodeFolder(p))),
    codeFolders: scope.appPrefixes.map((p) => `${appCodeFolder(p)}*`),
  };
}

/** A statement on regional resources, limited to the deploy Regions. */
const inRegions = (scope: AppScope, statement: Statement): Statement => ({
  ...statement,
  Condition: { StringEquals: { "aws:RequestedRegion": [...scope.regions] } },
});

const isEmpty = (scope: AppScope) => scope.regions.length === 0 || scope.appPrefixes.length === 0;

/**
 * The app roles are capped by the boundary: created and given inline policies
 * only with it, never without it or with another one, and the boundary policy
 * itself cannot be changed or deleted. Without this, whoever may create the
 * app's roles and pass them to Lambda could grant itself any permission.
 */
function boundaryStatements(scope: AppScope, roles: string[]): Statement[] {
  const boundary = { "iam:PermissionsBoundary": scope.boundaryArn };
  return [
    {
      ...allow("AppRolesUnderBoundary", APP_ROLE_BOUNDED_ACTIONS, roles),
      Condition: { StringEquals: boundary },
    },
    deny("KeepAppRoleBoundary", ["iam:DeleteRolePermissionsBoundary"], roles),
    {
      ...deny("NoOtherAppRoleBoundary", ["iam:PutRolePermissionsBoundary"], roles),
      Condition: { StringNotEquals: boundary },
    },
    deny("KeepBoundaryPolicy", BOUNDARY_POLICY_CHANGE_ACTIONS, [scope.boundaryArn]),
  ];
}

/**
 * Create, update and delete the app stacks: function, role (under the app
 * boundary), log group, code zip. The global deploy role and the China deploy
 * user both get these: they deploy the same app.
 */
export function appManageStatements(scope: AppScope): Statement[] {
  if (isEmpty(scope)) return [];
  const r = resources(scope);
  return [
    inRegions(scope, allow("AppFunctions", APP_FUNCTION_ACTIONS, r.functions)),
    allow("AppRoles", APP_ROLE_ACTIONS, r.roles),
    ...boundaryStatements(scope, r.roles),
    {
      ...allow("PassAppRolesToLambda", ["iam:PassRole"], r.roles),
      Condition: {
        StringEquals: { "iam:PassedToService": servicePrincipal("lambda", scope.partition) },
      },
    },
    inRegions(scope, allow("AppLogGroups", APP_LOG_GROUP_ACTIONS, r.logGroups)),
    inRegions(scope, allow("DescribeLogGroups", ["logs:DescribeLogGroups"], r.allLogGroups)),
    allow("AppCode", APP_CODE_ACTIONS, r.code),
    {
      // Deleting every version of a code object lists them first; the driver
      // lists an environment's code zips to keep only the newest.
      ...allow("ListAppCode", ["s3:ListBucket", "s3:ListBucketVersions"], scope.artifactBucketArns),
      Condition: { StringLike: { "s3:prefix": r.codeFolders } },
    },
  ];
}

/** Read the app stacks, as `pulumi preview --refresh` does; no write anywhere. */
export function appReadStatements(scope: AppScope): Statement[] {
  if (isEmpty(scope)) return [];
  const r = resources(scope);
  return [
    inRegions(scope, allow("ReadAppFunctions", APP_FUNCTION_READ_ACTIONS, r.functions)),
    allow("ReadAppRoles", APP_ROLE_READ_ACTIONS, r.roles),
    inRegions(scope, allow("ReadAppLogGroups", ["logs:ListTagsForResource"], r.logGroups)),
    inRegions(scope, allow("DescribeLogGroups", ["logs:DescribeLogGroups"], r.allLogGroups)),
    allow("ReadAppCode", ["s3:GetObject", "s3:GetObjectTagging"], r.code),
  ];
}
