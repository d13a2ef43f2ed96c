import { itemAt } from "./lookup";
import { APP_CODE_ACTIONS } from "./iam/appPolicyStatements";
import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import {
  EncryptedBucket,
  EncryptedBucketArgs,
  validateEncryptedBucketArgs,
} from "./encryptedBucket";
import { BUILD_CACHE_FOLDER, pipelineArtifactFolder, reservedArtifactFolder } from "./naming";
import { endpointHost, iamArn, isChinaRegion, Partition } from "./partition";
import { AccessLogTarget, PolicyStatement, PrefixExpiration } from "./secureBucket";

/**
 * A role in another account that deploys an environment's app through this
 * store: it writes and reads the code zips under its own key prefix only.
 */
export interface CrossAccountWriter {
  /** The environment's cross-account role (the deploy role assumes it). */
  readonly roleArn: pulumi.Input<string>;
  /** Its folder, `app/<prefix>-<env>/` (naming.ts appCodeFolder). */
  readonly keyPrefix: string;
}

/**
 * The code objects as the app stack manages them from another account
 * (BucketObjectv2 puts, reads, tags and deletes them; Lambda there fetches
 * them with the same role's permissions).
 */
export const CROSS_ACCOUNT_OBJECT_ACTIONS = APP_CODE_ACTIONS;

/**
 * The principal and condition naming one role of another account. The
 * account is the principal and the role a condition (aws:PrincipalArn), so
 * the policy can be written before the role exists and keeps holding when it
 * is recreated (a role ARN as principal would be rejected, or turn into the
 * old role's unique id).
 */
function roleOfAccount(roleArn: string) {
  const [, partition, , , account] = roleArn.split(":");
  // An Output, so no validate function saw it: name the value that is no ARN.
  if (partition === undefined || account === undefined) {
    throw new Error(`crossAccountWriters: ${roleArn} is not a role ARN`);
  }
  return {
    Principal: { AWS: iamArn(partition as Partition, account, "root") },
    Condition: { ArnEquals: { "aws:PrincipalArn": roleArn } },
  };
}

/** Bucket policy statements: each writer its own prefix, listing only there. */
export function crossAccountBucketStatements(
  bucketArn: string,
  writers: readonly { roleArn: string; keyPrefix: string }[],
): PolicyStatement[] {
  return writers.flatMap((w, i) => [
    {
      Sid: `CrossAccountAppCode${i}`,
      Effect: "Allow" as const,
      ...roleOfAccount(w.roleArn),
      Action: CROSS_ACCOUNT_OBJECT_ACTIONS,
      Resource: `${bucketArn}/${w.keyPrefix}*`,
    },
    {
      Sid: `CrossAccountAppCodeList${i}`,
      Effect: "Allow" as const,
      Principal: roleOfAccount(w.roleArn).Principal,
      Action: ["s3:ListBucket", "s3:ListBucketVersions"],
      Resource: bucketArn,
      Condition: {
        ...roleOfAccount(w.roleArn).Condition,
        StringLike: { "s3:prefix": `${w.keyPrefix}*` },
      },
    },
  ]);
}

/**
 * Key policy statements: each writer may have S3 encrypt and decrypt its
 * objects with this key, only through S3 in this Region and only for this
 * bucket (the encryption context S3 sends). Which objects is the bucket
 * policy's to say: with S3 Bucket Keys (SecureBucket) the encryption context
 * S3 sends is the bucket's ARN, not the object's, so a key condition cannot
 * tell one prefix from another.
 */
export function crossAccountKeyStatements(
  region: string,
  bucketArn: string,
  roleArns: readonly string[],
): object[] {
  return roleArns.map((roleArn, i) => {
    const { Principal, Condition } = roleOfAccount(roleArn);
    return {
      Sid: `CrossAccountAppCodeThroughS3${i}`,
      Effect: "Allow",
      Principal,
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: "*",
      Condition: {
        ...Condition,
        StringEquals: { "kms:ViaService": endpointHost("s3", region) },
        StringLike: { "kms:EncryptionContext:aws:s3:arn": [bucketArn, `${bucketArn}/*`] },
      },
    };
  });
}

export interface ArtifactStoreArgs {
  /**
   * The Region this store serves; must be the Region of the provider passed in
   * opts. It becomes the key of the pipeline's `artifactStores` entry.
   */
  readonly region: string;
  /** Roles that read and write artifacts (CodePipeline, CodeBuild, deploy). */
  readonly userArns: pulumi.Input<pulumi.Input<string>[]>;
  /** Alias of the artifact key, without `alias/`, e.g. `silkroute-artifacts`. */
  readonly aliasName: string;
  /**
   * Roles in other accounts (cross-account environments) that put and read
   * their code zips here, each under its own prefix. @default none
   */
  readonly crossAccountWriters?: readonly CrossAccountWriter[];
  /** Days noncurrent artifact versions are kept. @default 90 (SecureBucket's) */
  readonly noncurrentVersionDays?: number;
  /** The pipeline whose artifacts this store holds (CodePipeline names their folder after it). */
  readonly pipelineName: string;
  /** Days a pipeline artifact (source and build zips) is kept. @default 30 */
  readonly artifactRetentionDays?: number;
  /**
   * Days a CodeBuild project's cache (`codebuild-cache/<project>/`) is kept
   * after its last build wrote it; a project built less often starts cold.
   * @default 14
   */
  readonly buildCacheDays?: number;
  /** Further folders of short-lived objects (pr-preview results), with their expiry. @default none */
  readonly expirations?: readonly PrefixExpiration[];
  /** Tags for the bucket and the key. @default none */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Where the bucket's server access logs go: a target of its account and Region's AccessLogBucket. */
  readonly accessLogs: AccessLogTarget;
}

/** The shape of `aws.types.input.codepipeline.PipelineArtifactStore`, resolved. */
export interface ArtifactStoreEntry {
  readonly location: string;
  readonly type: "S3";
  readonly region: string;
  readonly encryptionKey: { readonly id: string; readonly type: "KMS" };
}

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/** Validates ArtifactStore args; returns the problem or undefined. */
export function validateArtifactStoreArgs(args: ArtifactStoreArgs): string | undefined {
  if (!REGION.test(args.region)) {
    return `region must be an AWS Region such as us-east-1, got ${args.region}`;
  }
  if (isChinaRegion(args.region)) {
    return `region must be a global Region (CodePipeline does not run in ${args.region}); China artifacts live in the china stack`;
  }
  const reserved = reservedArtifactFolder(args.pipelineName);
  if (reserved !== undefined) {
    return `pipelineName ${args.pipelineName} would keep the pipeline's artifacts in ${reserved.folder}, where silkroute keeps ${reserved.holds}: choose another name`;
  }
  const prefix = (args.crossAccountWriters ?? []).find(
    (w) => !/^app\/[a-z][a-z0-9-]*\/$/.test(w.keyPrefix),
  );
  if (prefix !== undefined) {
    return `crossAccountWriters keyPrefix must be an app folder such as app/silkroute-stage/ (no wildcard), got ${JSON.stringify(prefix.keyPrefix)}`;
  }
  return validateEncryptedBucketArgs(storeBucketArgs(args));
}

/** Pipeline artifacts and build caches expire; the app's code zips (`app/`) are pruned by the driver. */
function expirationsOf(args: ArtifactStoreArgs) {
  return [
    {
      id: "expire-pipeline-artifacts",
      prefix: pipelineArtifactFolder(args.pipelineName),
      days: args.artifactRetentionDays ?? 30,
    },
    { id: "expire-build-caches", prefix: BUILD_CACHE_FOLDER, days: args.buildCacheDays ?? 14 },
    ...(args.expirations ?? []),
  ];
}

/**
 * The store's key and bucket: the key used only through S3 for this bucket
 * (or CodeBuild) in the store's Region; each cross-account writer reaches its
 * own folder in the bucket policy and the key through S3 in the key policy.
 */
function storeBucketArgs(args: ArtifactStoreArgs): EncryptedBucketArgs {
  const writers = args.crossAccountWriters ?? [];
  const writerRoles = () => pulumi.all(writers.map((w) => w.roleArn));
  return {
    aliasName: args.aliasName,
    description: `silkroute pipeline artifacts in ${args.region}`,
    userArns: args.userArns,
    usersThroughS3In: args.region,
    keyPolicyStatements: (bucketArn) =>
      pulumi
        .all([bucketArn, writerRoles()])
        .apply(([bucket, roles]) => crossAccountKeyStatements(args.region, bucket, roles)),
    bucketPolicyStatements: (bucketArn) =>
      writerRoles().apply((roles) =>
        crossAccountBucketStatements(
          bucketArn,
          writers.map((w, i) => ({
            roleArn: itemAt(roles, i, "the role ARN of cross-account writer"),
            keyPrefix: w.keyPrefix,
          })),
        ),
      ),
    noncurrentVersionDays: args.noncurrentVersionDays,
    expirations: expirationsOf(args),
    tags: args.tags,
    accessLogs: args.accessLogs,
  };
}

/** The problem when the provider given to ArtifactStore `name` is not in `region`. */
export function providerRegionProblem(
  name: string,
  region: string,
  providerRegion: string,
): string | undefined {
  return providerRegion === region
    ? undefined
    : `region is ${region} but the provider passed to ArtifactStore ${name} is in ${providerRegion}: pass that Region's provider`;
}

/**
 * The KMS-encrypted S3 artifact store of one deploy Region of the pipeline:
 * an EncryptedBucket with a customer key of its own (CodePipeline cannot use
 * a key from another Region). `artifactStore` is the pipeline's
 * `artifactStores` entry for the Region.
 */
export class ArtifactStore extends EncryptedBucket {
  readonly artifactStore: pulumi.Output<ArtifactStoreEntry>;

  constructor(name: string, args: ArtifactStoreArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super(
      "silkroute:pipeline:ArtifactStore",
      name,
      storeBucketArgs(args),
      opts,
      validateArtifactStoreArgs(args),
    );

    // A provider in another Region would put the store where CodePipeline
    // does not look for it; fail the plan instead.
    const providerRegion = aws.getRegionOutput({}, { parent: this }).region;
    const region = providerRegion.apply((actual) => {
      const mismatch = providerRegionProblem(name, args.region, actual);
      if (mismatch) throw new pulumi.ResourceError(mismatch, this);
      return actual;
    });

    this.artifactStore = pulumi
      .all([this.bucketName, this.keyArn, region])
      .apply(([location, keyArn, r]) => ({
        location,
        type: "S3" as const,
        region: r,
        encryptionKey: { id: keyArn, type: "KMS" as const },
      }));
    this.registerOutputs({
      bucketName: this.bucketName,
      bucketArn: this.bucketArn,
      keyArn: this.keyArn,
      artifactStore: this.artifactStore,
    });
  }
}
