import { appManageStatements } from "./appPolicyStatements";
import { Partition } from "./partition";
import { allow, doc, PolicyDocument } from "./policyStatements";

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
  /** ARN of the app boundary policy in this account: every app role must carry it. */
  readonly boundaryArn: string;
}

/**
 * The deploy user's policy: the app stack's statements, the same ones the
 * global deploy role gets (appManageStatements: function, role under the app
 * boundary, log group, code under `app/<appPrefix>/` in the artifact bucket), for one
 * China account and Region; then what only the China side needs: listing its
 * bucket (so a missing code object reads as missing, not as access denied),
 * its bucket's KMS key, and the driver's key age check. No wildcard action;
 * no resource wider than the account's log groups (see DescribeLogGroups).
 */
export function deployPolicyDocument(scope: DeployPolicyScope): PolicyDocument {
  return doc([
    ...appManageStatements({
      partition: scope.partition,
      accountId: scope.account,
      regions: [scope.region],
      appPrefixes: [scope.appPrefix],
      artifactBucketArns: [scope.bucketArn],
      boundaryArn: scope.boundaryArn,
    }),
    allow("ArtifactBucket", ["s3:ListBucket"], [scope.bucketArn]),
    // Lambda fetches the code object with the caller's permissions, through this key.
    allow("ArtifactKey", ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], [scope.keyArn]),
    allow(
      "OwnAccessKeysAgeCheck",
      ["iam:GetAccessKeyLastUsed", "iam:ListAccessKeys"],
      [scope.userArn],
    ),
    // sts:GetCallerIdentity needs no permission.
  ]);
}
