import * as aws from "../components/aws";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { appBoundaryArn, DEFAULT_APP_BOUNDARY_NAME } from "../components/iam/appBoundary";
import { appCodeFolder } from "../components/naming";
import { arn, dnsSuffix, Partition, partitionOf, servicePrincipal } from "../components/partition";
import { appPrefix, AppTarget, validateAppTarget } from "./app";

/*
 * The target context: everything an app module is given, and the whole
 * public API silkroute offers app authors (docs/app.md). An app module
 * exports one function of a TargetContext that declares the app's
 * resources on `ctx.provider` and returns its stack outputs.
 */

/** A folder zipped into the target partition's artifact bucket. */
export interface UploadedCode {
  /** The artifact bucket (of the target's partition and Region). */
  readonly bucket: pulumi.Output<string>;
  /** `app/<prefix>/<version>/<name>.zip`: a new key per version. */
  readonly key: pulumi.Output<string>;
  /** The object; kept when a new version replaces it (the driver prunes old versions). */
  readonly object: aws.s3.BucketObjectv2;
}

/** What one target of one environment gives an app module. */
export interface TargetContext {
  /**
   * The target's AWS provider (its Region; in China the deploy key, held in
   * memory only; in a cross-account environment the role it assumes). Pass
   * it to every resource: `{ provider: ctx.provider }`. Default providers
   * are disabled.
   */
  readonly provider: aws.Provider;
  /** Environment: `dev`, `stage`, `prod`, … */
  readonly env: string;
  /** Target: a global Region such as `us-east-1`, or `china`. */
  readonly target: string;
  /** The Region the provider deploys into (`cn-north-1` for `china`). */
  readonly region: string;
  /** `aws` or `aws-cn`. */
  readonly partition: Partition;
  /** The account the provider deploys into (from STS, through the provider). */
  readonly account: pulumi.Output<string>;
  /**
   * `<prefix>-<env>` (`silkroute-dev`): the deploy identities may manage only
   * resources named `<prefix>-<env>-…`.
   */
  readonly prefix: string;
  /** `<prefix>-<env>-<suffix>`: the name of a regional resource (queue, table, function, …). */
  name(suffix: string): string;
  /**
   * `<prefix>-<env>-<target>-<suffix>`: the name of a resource whose names
   * are per account, not per Region (IAM roles), so that the targets of one
   * environment in one account do not collide.
   */
  globalName(suffix: string): string;
  /** `silkroute:version`, `silkroute:env`, `silkroute:target`: put them on every taggable resource. */
  readonly tags: Readonly<Record<string, string>>;
  /** The version (commit) being deployed. */
  readonly version: string;
  /** An ARN in the target's partition; Region and account default to the target's (`""` for none). */
  arn(parts: {
    readonly service: string;
    readonly resource: string;
    readonly region?: string;
    readonly account?: pulumi.Input<string>;
  }): pulumi.Output<string>;
  /** A service's principal in the target's partition (`servicePrincipal("lambda")`). */
  servicePrincipal(service: string): string;
  /** The partition's DNS suffix (components/partition.ts dnsSuffix): China's ends in `.cn`. */
  readonly dnsSuffix: string;
  /**
   * Zips `folder` (relative to the project folder, or absolute) into the
   * artifact bucket, under the environment's code folder: use its bucket
   * and key as a function's `s3Bucket` / `s3Key`.
   */
  uploadCode(name: string, folder: string): UploadedCode;
  /**
   * The permissions boundary (the account's app boundary policy) every role
   * the app creates must carry: the deploy identities may create roles only
   * with it.
   */
  readonly permissionsBoundaryArn: pulumi.Output<string>;
}

/** What an app module's function returns: its stack outputs. `version` is added when absent. */
export type AppOutputs = Readonly<Record<string, pulumi.Input<unknown>>>;

/** The function an app module exports. */
export type AppModule = (ctx: TargetContext) => AppOutputs | Promise<AppOutputs>;

const SUFFIX = /^[a-z0-9][a-z0-9-]*$/;
const UPLOAD_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** The context of one target; `baseDir` resolves relative code folders. */
export function targetContext(
  target: AppTarget,
  provider: aws.Provider,
  baseDir: string,
): TargetContext {
  const problems = validateAppTarget(target);
  if (problems.length > 0) {
    throw new pulumi.RunError(`app stack ${target.env}/${target.target}: ${problems.join("; ")}`);
  }
  const partition = partitionOf(target.region);
  const prefix = appPrefix(target);
  const account = aws.getCallerIdentityOutput({}, { provider }).accountId;
  const named = (suffix: string, full: string) => {
    if (!SUFFIX.test(suffix)) {
      throw new pulumi.RunError(
        `name suffix ${JSON.stringify(suffix)} must be lower-case letters, digits or '-'`,
      );
    }
    return full;
  };
  const uploads = new Set<string>();
  return {
    provider,
    env: target.env,
    target: target.target,
    region: target.region,
    partition,
    account,
    prefix,
    name: (suffix) => named(suffix, `${prefix}-${suffix}`),
    globalName: (suffix) => named(suffix, `${prefix}-${target.target}-${suffix}`),
    tags: {
      "silkroute:version": target.version,
      "silkroute:env": target.env,
      "silkroute:target": target.target,
    },
    version: target.version,
    arn: (parts) =>
      pulumi.output(parts.account ?? account).apply((a) =>
        arn({
          partition,
          service: parts.service,
          region: parts.region ?? target.region,
          account: a,
          resource: parts.resource,
        }),
      ),
    servicePrincipal: (service) => servicePrincipal(service, partition),
    dnsSuffix: dnsSuffix(partition),
    uploadCode: (name, folder) => {
      if (!UPLOAD_NAME.test(name) || uploads.has(name)) {
        throw new pulumi.RunError(
          `uploadCode name ${JSON.stringify(name)} must be unique in the app and 1-64 letters, digits, '_' or '-'`,
        );
      }
      uploads.add(name);
      const object = new aws.s3.BucketObjectv2(
        `${name}-code`,
        {
          bucket: target.artifactBucket,
          key: `${appCodeFolder(prefix)}${target.version}/${name}.zip`,
          source: new pulumi.asset.AssetArchive({
            ".": new pulumi.asset.FileArchive(path.resolve(baseDir, folder)),
          }),
          contentType: "application/zip",
        },
        // Each version is a new key: keep the previous one (the driver prunes).
        { provider, retainOnDelete: true },
      );
      return { bucket: object.bucket, key: object.key, object };
    },
    permissionsBoundaryArn: account.apply((a) =>
      appBoundaryArn(partition, a, target.permissionsBoundaryName ?? DEFAULT_APP_BOUNDARY_NAME),
    ),
  };
}
