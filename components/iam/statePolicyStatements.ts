import {
  CHINA_TARGET,
  PULUMI_META_KEY,
  PULUMI_PROJECT,
  SECRETS_CONTEXT_KEY,
  stackCheckpointPattern,
  stackStatePatterns,
} from "../naming";
import { endpointHost } from "../partition";
import { allow, deny, Statement } from "./policyStatements";

/*
 * What a pipeline role may do in the driver's DIY state backend: exactly the
 * objects of the stacks it runs, and the secrets of those stacks only. The
 * state key is usable through IAM alone (its key policy grants no pipeline
 * role), so these conditions are the whole grant.
 */

/** Where the state lives, as the statements reach it. */
export interface StateScope {
  /** The pipeline Region: the state bucket's and its key's. */
  readonly region: string;
  readonly stateBucketArn: string;
  readonly stateKeyArn: string;
}

/** The infrastructure stack holding the China bootstrap keys: no pipeline role ever reads it. */
export const CHINA_STACK = "china";

/**
 * Every object of the `china` stack, in any project of the backend and in
 * the legacy layout (`.pulumi/stacks/china.json`) too. `.pulumi/<any>/china/`
 * holds its history, backups and locks in either layout; an app stack's
 * folder (`…/dev-china/`) never matches, as `/china/` must follow a `/`.
 */
export function chinaStackObjects(stateBucketArn: string): string[] {
  const keys = [
    stackCheckpointPattern("*", CHINA_STACK),
    `.pulumi/stacks/${CHINA_STACK}.*`,
    `.pulumi/*/${CHINA_STACK}/*`,
  ];
  return keys.map((k) => `${stateBucketArn}/${k}`);
}

/** The condition a stack's secrets carry: the driver's `context_silkroute-stack=<stack>`. */
const ownSecrets = (stacks: readonly string[]) => ({
  StringEquals: { [`kms:EncryptionContext:${SECRETS_CONTEXT_KEY}`]: [...stacks] },
});

/**
 * The state key used by S3 for the state objects (SSE-KMS): only through S3
 * and only for this bucket. With S3 Bucket Keys the context is the bucket's
 * ARN, without them the object's; which objects is the bucket grants' job.
 */
function keyThroughS3(scope: StateScope, actions: string[]): Statement {
  return {
    ...allow("StateKeyThroughS3", actions, [scope.stateKeyArn]),
    Condition: {
      StringEquals: { "kms:ViaService": endpointHost("s3", scope.region) },
      StringLike: {
        "kms:EncryptionContext:aws:s3:arn": [scope.stateBucketArn, `${scope.stateBucketArn}/*`],
      },
    },
  };
}

/**
 * Run (`pulumi up`, `destroy`, `refresh`) the given app stacks: list the
 * bucket, read the backend's metadata, read and write each stack's
 * checkpoint, history, backups and locks, and encrypt and decrypt its
 * secrets. s3:ListBucket carries no key condition: S3 answers a missing
 * object with 404 (a stack not created yet) only to a caller that may list
 * the bucket, and 403 otherwise; a listing shows names, never contents.
 */
export function stateRunStatements(scope: StateScope, stacks: readonly string[]): Statement[] {
  const objects = stacks.flatMap((stack) =>
    stackStatePatterns(PULUMI_PROJECT, stack).map((k) => `${scope.stateBucketArn}/${k}`),
  );
  return [
    allow("ListState", ["s3:ListBucket"], [scope.stateBucketArn]),
    allow("ReadStateMeta", ["s3:GetObject"], [`${scope.stateBucketArn}/${PULUMI_META_KEY}`]),
    allow("OwnStackState", ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"], objects),
    keyThroughS3(scope, ["kms:Decrypt", "kms:GenerateDataKey"]),
    {
      ...allow("OwnStackSecrets", ["kms:Decrypt", "kms:Encrypt"], [scope.stateKeyArn]),
      Condition: ownSecrets(stacks),
    },
    noChinaStackState(scope),
  ];
}

/**
 * Preview the given app stacks: read their checkpoints, never write (a DIY
 * preview takes no lock and writes no history). kms:Encrypt stays, with the
 * stacks' context: the `awskms://` provider wraps a fresh data key for a
 * workspace without a saved `encryptedkey`.
 */
export function stateReadStatements(scope: StateScope, stacks: readonly string[]): Statement[] {
  const objects = stacks.map(
    (stack) => `${scope.stateBucketArn}/${stackCheckpointPattern(PULUMI_PROJECT, stack)}`,
  );
  return [
    allow("ListState", ["s3:ListBucket"], [scope.stateBucketArn]),
    allow(
      "ReadState",
      ["s3:GetObject"],
      [`${scope.stateBucketArn}/${PULUMI_META_KEY}`, ...objects],
    ),
    keyThroughS3(scope, ["kms:Decrypt"]),
    {
      ...allow("PreviewedStackSecrets", ["kms:Decrypt", "kms:Encrypt"], [scope.stateKeyArn]),
      Condition: ownSecrets(stacks),
    },
    noChinaStackState(scope),
  ];
}

/** An explicit Deny: it holds whatever Allow is added later, and whatever previewChina says. */
function noChinaStackState(scope: StateScope): Statement {
  return deny("NoChinaStackState", ["s3:*"], chinaStackObjects(scope.stateBucketArn));
}

/**
 * Explicit Denies of every China app stack (`<env>-china`) for an identity
 * that runs pull-request code: its state objects, and its secrets under the
 * state key (their encryption context names the stack). Such a stack's
 * state holds its environment's China deploy key as provider inputs; with
 * previewChina the China target is previewed against an empty throwaway
 * stack instead. A global app stack's name ends in a Region, never in `china`.
 */
export function noChinaAppStackStatements(scope: StateScope): Statement[] {
  const stacks = `*-${CHINA_TARGET}`;
  return [
    deny(
      "NoChinaAppStackState",
      ["s3:*"],
      stackStatePatterns(PULUMI_PROJECT, stacks).map((k) => `${scope.stateBucketArn}/${k}`),
    ),
    {
      ...deny("NoChinaAppStackSecrets", ["kms:*"], [scope.stateKeyArn]),
      Condition: {
        StringLike: { [`kms:EncryptionContext:${SECRETS_CONTEXT_KEY}`]: [stacks, CHINA_STACK] },
      },
    },
  ];
}
