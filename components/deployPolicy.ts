import { arn, iamArn, Partition, servicePrincipal } from "./partition";

/** Where the China deploy user may act. */
export interface DeployPolicyScope {
  readonly partition: Partition;
  /** The China Region the app stack deploys into. */
  readonly region: string;
  /** The China account id. */
  readonly account: string;
  /** Name prefix of the app stack's function, role and log group (`silkroute-dev`). */
  readonly appPrefix: string;
  /** ARN of the China artifact bucket. */
  readonly bucketArn: string;
  /** ARN of the KMS key that encrypts that bucket. */
  readonly keyArn: string;
  /** ARN of the deploy user itself (for the key age check). */
  readonly userArn: string;
}

export interface PolicyDocumentStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition?: Record<string, Record<string, string>>;
}

export interface DeployPolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyDocumentStatement[];
}

/** What the app stack's Lambda function needs, as the Pulumi AWS provider creates, reads, updates and deletes it. */
export const LAMBDA_ACTIONS = [
  "lambda:CreateFunction",
  "lambda:DeleteFunction",
  "lambda:GetFunction",
  "lambda:GetFunctionConfiguration",
  "lambda:GetFunctionCodeSigningConfig",
  "lambda:UpdateFunctionCode",
  "lambda:UpdateFunctionConfiguration",
  "lambda:ListVersionsByFunction",
  "lambda:PublishVersion",
  "lambda:CreateAlias",
  "lambda:GetAlias",
  "lambda:UpdateAlias",
  "lambda:DeleteAlias",
  "lambda:TagResource",
  "lambda:UntagResource",
  "lambda:ListTags",
] as const;

/** The app function's execution role: its lifecycle, tags and policies (the provider lists them on read and delete). */
export const ROLE_ACTIONS = [
  "iam:CreateRole",
  "iam:DeleteRole",
  "iam:GetRole",
  "iam:UpdateAssumeRolePolicy",
  "iam:TagRole",
  "iam:UntagRole",
  "iam:ListRoleTags",
  "iam:AttachRolePolicy",
  "iam:DetachRolePolicy",
  "iam:ListAttachedRolePolicies",
  "iam:PutRolePolicy",
  "iam:GetRolePolicy",
  "iam:DeleteRolePolicy",
  "iam:ListRolePolicies",
  "iam:ListInstanceProfilesForRole",
] as const;

export const LOG_GROUP_ACTIONS = [
  "logs:CreateLogGroup",
  "logs:DeleteLogGroup",
  "logs:PutRetentionPolicy",
  "logs:TagResource",
  "logs:ListTagsForResource",
] as const;

/**
 * The deploy user's policy: exactly what the app stack (function, role, log
 * group under `appPrefix`, code in the artifact bucket) and the driver's key
 * age check need, in one China account and Region. No wildcard action; no
 * resource wider than the account's log groups (see DescribeLogGroups).
 */
export function deployPolicyDocument(scope: DeployPolicyScope): DeployPolicyDocument {
  const { partition, region, account, appPrefix } = scope;
  const regional = (service: string, resource: string) =>
    arn({ partition, service, region, account, resource });
  const appRoles = iamArn(partition, account, `role/${appPrefix}-*`);
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AppFunction",
        Effect: "Allow",
        Action: [...LAMBDA_ACTIONS],
        // `*` also matches the qualified ARNs (`:version`, `:alias`) of these functions.
        Resource: [regional("lambda", `function:${appPrefix}-*`)],
      },
      {
        Sid: "AppFunctionRole",
        Effect: "Allow",
        Action: [...ROLE_ACTIONS],
        Resource: [appRoles],
      },
      {
        Sid: "PassAppFunctionRoleToLambdaOnly",
        Effect: "Allow",
        Action: ["iam:PassRole"],
        Resource: [appRoles],
        Condition: {
          StringEquals: { "iam:PassedToService": servicePrincipal("lambda", partition) },
        },
      },
      {
        Sid: "AppFunctionLogGroup",
        Effect: "Allow",
        Action: [...LOG_GROUP_ACTIONS],
        Resource: [regional("logs", `log-group:/aws/lambda/${appPrefix}-*`)],
      },
      {
        Sid: "DescribeLogGroups",
        Effect: "Allow",
        Action: ["logs:DescribeLogGroups"],
        // DescribeLogGroups is authorized against the account's log-group
        // collection (`log-group::log-stream:`), never one group: the narrowest
        // resource it accepts is every log group of this account and Region.
        Resource: [regional("logs", "log-group:*")],
      },
      {
        Sid: "ArtifactBucket",
        Effect: "Allow",
        Action: ["s3:ListBucket"],
        Resource: [scope.bucketArn],
      },
      {
        Sid: "ArtifactObjects",
        Effect: "Allow",
        // Lambda fetches the code object with the caller's permissions.
        Action: ["s3:GetObject", "s3:PutObject"],
        Resource: [`${scope.bucketArn}/*`],
      },
      {
        Sid: "ArtifactKey",
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"],
        Resource: [scope.keyArn],
      },
      {
        Sid: "OwnAccessKeysAgeCheck",
        Effect: "Allow",
        Action: ["iam:ListAccessKeys", "iam:GetAccessKeyLastUsed"],
        Resource: [scope.userArn],
      },
      // sts:GetCallerIdentity needs no permission.
    ],
  };
}
