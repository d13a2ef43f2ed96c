import { AppLayoutScope, appManageStatements } from "./appPolicyStatements";
import { Partition } from "../partition";
import { allow, doc, PolicyDocument, Statement } from "./policyStatements";

/** Where the China deploy user may act. */
export interface ChinaUserPolicyScope {
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
  /** What the app manages (appKinds.ts names). @default the sample app's kinds */
  readonly kinds?: readonly string[];
  /** CloudFormation transforms the app's template uses. @default none */
  readonly transforms?: readonly string[];
}

/**
 * The deploy group's app statements: the same ones the global deploy roles
 * get (appManageStatements, generated from what the app manages: its
 * resources, its roles under the app boundary, its code under
 * `app/<appPrefix>/` in the artifact bucket), for one China account and
 * Region. Managed policies of their own (ChinaDeployer), as many as the
 * app's kinds fill: a group's inline policies share 5,120 characters.
 */
export function chinaUserAppStatements(scope: ChinaUserPolicyScope): Statement[] {
  return appManageStatements({
    partition: scope.partition,
    accountId: scope.account,
    regions: [scope.region],
    appPrefixes: [scope.appPrefix],
    artifactBucketArns: [scope.bucketArn],
    boundaryArn: scope.boundaryArn,
    kinds: scope.kinds,
    transforms: scope.transforms,
  });
}

/** What decides how many managed policies chinaUserAppStatements fill. */
export function chinaUserAppLayoutScope(
  scope: Pick<ChinaUserPolicyScope, "region" | "appPrefix" | "kinds" | "transforms">,
): AppLayoutScope {
  return {
    regions: [scope.region],
    appPrefixes: [scope.appPrefix],
    kinds: scope.kinds,
    transforms: scope.transforms,
    buckets: 1,
  };
}

/**
 * The deploy group's inline policy: what only the China side needs besides
 * the app statements (chinaUserAppStatements): listing its bucket (so a missing
 * code object reads as missing, not as access denied), its bucket's KMS key,
 * and the driver's key age check. No wildcard action.
 */
export function chinaUserPolicyDocument(scope: ChinaUserPolicyScope): PolicyDocument {
  return doc([
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
