import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { EncryptionKey, validateEncryptionKeyArgs } from "./encryptionKey";
import { isChinaRegion } from "./partition";
import { SecureBucket, validateSecureBucketArgs } from "./secureBucket";

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
  /** Days noncurrent artifact versions are kept. @default 90 (SecureBucket's) */
  readonly noncurrentVersionDays?: number;
  /** Tags for the bucket and the key. @default none */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
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
  return (
    validateEncryptionKeyArgs({ aliasName: args.aliasName, userArns: args.userArns }) ??
    validateSecureBucketArgs({ kmsKeyArn: "", noncurrentVersionDays: args.noncurrentVersionDays })
  );
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
 * its own customer key (CodePipeline cannot use a key from another Region) and
 * a SecureBucket encrypted with it. `artifactStore` is the pipeline's
 * `artifactStores` entry for the Region.
 */
export class ArtifactStore extends pulumi.ComponentResource {
  readonly key: EncryptionKey;
  readonly bucket: SecureBucket;
  readonly bucketName: pulumi.Output<string>;
  readonly bucketArn: pulumi.Output<string>;
  readonly keyArn: pulumi.Output<string>;
  readonly artifactStore: pulumi.Output<ArtifactStoreEntry>;

  constructor(name: string, args: ArtifactStoreArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("silkroute:pipeline:ArtifactStore", name, {}, opts);
    const problem = validateArtifactStoreArgs(args);
    if (problem) throw new pulumi.ResourceError(problem, this);

    // A provider in another Region would put the store where CodePipeline
    // does not look for it; fail the plan instead.
    const providerRegion = aws.getRegionOutput({}, { parent: this }).region;
    const region = providerRegion.apply((actual) => {
      const mismatch = providerRegionProblem(name, args.region, actual);
      if (mismatch) throw new pulumi.ResourceError(mismatch, this);
      return actual;
    });

    this.key = new EncryptionKey(
      `${name}-key`,
      {
        aliasName: args.aliasName,
        description: `silkroute pipeline artifacts in ${args.region}`,
        userArns: args.userArns,
        tags: args.tags,
      },
      { parent: this },
    );
    this.bucket = new SecureBucket(
      `${name}-bucket`,
      {
        kmsKeyArn: this.key.arn,
        noncurrentVersionDays: args.noncurrentVersionDays,
        tags: args.tags,
      },
      { parent: this },
    );

    this.bucketName = this.bucket.bucketName;
    this.bucketArn = this.bucket.arn;
    this.keyArn = this.key.arn;
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
