import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import {
  EncryptedBucket,
  EncryptedBucketArgs,
  validateEncryptedBucketArgs,
} from "./encryptedBucket";
import { DEFAULT_PREFIX, keyAliases, PULUMI_META_KEY } from "./naming";
import { AccessLogTarget } from "./secureBucket";
import { chinaStackObjects } from "./iam/statePolicyStatements";

export interface StateBackendArgs {
  /**
   * Roles the key policy lets use the key with no condition. Leave it empty
   * and set usableThroughIam to grant through IAM policies instead, where an
   * encryption-context condition can keep each role to its own stacks'
   * secrets. @default none
   */
  readonly userArns?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Roles that may never touch the `china` stack's objects (its state holds
   * the China bootstrap keys), denied in the bucket policy whatever their own
   * policies say: every pipeline role. @default none
   */
  readonly deniedChinaStackRoleArns?: pulumi.Input<pulumi.Input<string>[]>;
  /** Alias of the state and secrets key, without `alias/`. @default "silkroute-pulumi-state" */
  readonly aliasName?: string;
  /**
   * Let IAM policies grant use of the state key too, so administrators can
   * read and repair the state. @default false: only `userArns`
   */
  readonly usableThroughIam?: boolean;
  /** Days noncurrent state versions are kept (your undo history). @default 90 */
  readonly noncurrentVersionDays?: number;
  /** Tags for the bucket and the key. @default none */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Where the bucket's server access logs go: a target of its account and Region's AccessLogBucket. */
  readonly accessLogs: AccessLogTarget;
}

/** `s3://<bucket>?region=<region>`: a Pulumi DIY backend URL. */
export function backendUrlOf(bucket: string, region: string): string {
  return `s3://${bucket}?region=${region}`;
}

/** `awskms://alias/<alias>?region=<region>`: a Pulumi secrets provider URL. */
export function secretsProviderOf(aliasName: string, region: string): string {
  return `awskms://alias/${aliasName}?region=${region}`;
}

/**
 * The backend's metadata as the Pulumi CLI writes it into an empty bucket
 * (pkg/backend/diy meta.go): the project-scoped layout, version 1.
 */
export const PULUMI_META_CONTENT = "version: 1\n";

/** The bucket policy's Deny of the `china` stack's objects to the given roles. */
export function chinaStackDenyStatement(bucketArn: string, roleArns: readonly string[]) {
  return {
    Sid: "NoPipelineRoleReadsChinaStackState",
    Effect: "Deny" as const,
    Principal: "*",
    Action: ["s3:*"],
    Resource: chinaStackObjects(bucketArn),
    Condition: { ArnEquals: { "aws:PrincipalArn": [...roleArns] } },
  };
}

/** The state key and bucket: the key under its alias, the bucket denying the china stack's objects. */
function stateBucketArgs(args: StateBackendArgs): EncryptedBucketArgs & { aliasName: string } {
  return {
    aliasName: args.aliasName ?? keyAliases(DEFAULT_PREFIX).state,
    description: "silkroute Pulumi state and stack secrets",
    userArns: args.userArns ?? [],
    usableThroughIam: args.usableThroughIam,
    bucketPolicyStatements: (bucketArn) =>
      pulumi
        .output(args.deniedChinaStackRoleArns ?? [])
        .apply((roles) => (roles.length === 0 ? [] : [chinaStackDenyStatement(bucketArn, roles)])),
    noncurrentVersionDays: args.noncurrentVersionDays,
    tags: args.tags,
    accessLogs: args.accessLogs,
  };
}

/** Validates StateBackend args; returns the problem or undefined. */
export function validateStateBackendArgs(args: StateBackendArgs): string | undefined {
  return validateEncryptedBucketArgs(stateBucketArgs(args));
}

/**
 * The S3 bucket and KMS key behind the driver's Pulumi backend (an
 * EncryptedBucket): state objects are SSE-KMS encrypted with the key, and
 * stack secrets are encrypted with the same key through the `awskms://`
 * secrets provider.
 */
export class StateBackend extends EncryptedBucket {
  /** `s3://<bucket>?region=<region>` for `pulumi login` / the workspace. */
  readonly backendUrl: pulumi.Output<string>;
  /** `awskms://alias/<alias>?region=<region>` for the workspace and stack settings. */
  readonly secretsProvider: pulumi.Output<string>;

  constructor(name: string, args: StateBackendArgs, opts: pulumi.ComponentResourceOptions = {}) {
    const bucketArgs = stateBucketArgs(args);
    super("silkroute:state:StateBackend", name, bucketArgs, opts, validateStateBackendArgs(args));
    const child = { parent: this };

    // Written here, so no pipeline role needs to write an object shared by
    // every stack: the CLI writes it only into an empty bucket, and reads it
    // on every run.
    new aws.s3.BucketObjectv2(
      `${name}-meta`,
      {
        bucket: this.bucketName,
        key: PULUMI_META_KEY,
        content: PULUMI_META_CONTENT,
        contentType: "application/yaml",
      },
      child,
    );

    const region = aws.getRegionOutput({}, child).region;
    this.backendUrl = pulumi.all([this.bucketName, region]).apply(([b, r]) => backendUrlOf(b, r));
    // After the alias exists, so a consumer never reads a URL that does not resolve yet.
    this.secretsProvider = pulumi
      .all([this.key.aliasName, region])
      .apply(([, r]) => secretsProviderOf(bucketArgs.aliasName, r));
    this.registerOutputs({
      bucketName: this.bucketName,
      bucketArn: this.bucketArn,
      keyArn: this.keyArn,
      backendUrl: this.backendUrl,
      secretsProvider: this.secretsProvider,
    });
  }
}
