import * as aws from "../components/aws";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { appBoundaryArn, DEFAULT_APP_BOUNDARY_NAME } from "../components/iam/appBoundary";
import { logRetentionProblem } from "../components/logRetention";
import {
  appCodeKey,
  appFunctionName,
  appPrefixOf,
  appRoleName,
  DEFAULT_PREFIX,
} from "../components/naming";
import { partitionOf, servicePrincipal } from "../components/partition";
import { projectRoot } from "../components/projectRoot";

/** Where one app stack deploys: an environment in one global Region or in China. */
export interface AppTarget {
  /** Environment name (dev, stage, prod, …). */
  readonly env: string;
  /** Target name as the stack names it: a global Region such as us-east-1, or "china". */
  readonly target: string;
  /** Region the provider deploys into (cn-north-1 when target is "china"). */
  readonly region: string;
  /** Artifact bucket of the target's partition: the code zip is uploaded there. */
  readonly artifactBucket: pulumi.Input<string>;
  /** Version or commit being deployed; names the code object and tags everything. */
  readonly version: string;
  /**
   * Prefix of every physical name. The China deploy user may only touch
   * functions, roles and log groups whose names start with `silkroute-<env>-`.
   * @default `silkroute-${env}`
   */
  readonly prefix?: string;
  /** Days the function's log group keeps events. @default 90 (APP_LOG_RETENTION_DAYS) */
  readonly logRetentionDays?: number;
  /** Folder zipped as the function's code. @default the sample app, `<repo>/app/handler` */
  readonly codeDir?: string;
  /**
   * Deploy the code zip already kept in the artifact bucket
   * (`app/<prefix>/<version>.zip`, which an earlier deploy uploaded) instead
   * of zipping and uploading `codeDir`: what a rollback does, never
   * rebuilding. The stack then holds no code object; the one it held stays in
   * the bucket (retainOnDelete), as every kept zip does. @default false
   */
  readonly keptCode?: boolean;
  /**
   * Name of the app boundary policy (AppBoundary) in the target's account,
   * set as the role's permissions boundary: the global stack creates
   * `<prefix>-app-boundary` in the pipeline account, the china stack in each
   * China account; a cross-account environment's account needs the same
   * policy. @default "silkroute-app-boundary"
   */
  readonly permissionsBoundaryName?: string;
}

/** What the app stack exports (and `silkroute status` compares across targets). */
export interface AppOutputs {
  readonly functionName: pulumi.Output<string>;
  readonly functionArn: pulumi.Output<string>;
  readonly roleArn: pulumi.Output<string>;
  readonly logGroupName: pulumi.Output<string>;
  readonly version: pulumi.Output<string>;
  readonly codeKey: pulumi.Output<string>;
}

/**
 * Runtime of the sample function. Runtimes reach the China Regions later
 * than the global ones, and old ones are blocked: nodejs22.x exists in both
 * partitions and is supported until 2027-04-30, whereas nodejs20.x was
 * deprecated on 2026-04-30 and blocks function creation since 2026-08-31.
 */
export const APP_RUNTIME = "nodejs22.x";
/** Days of application logs kept by default: long enough to compare a release cycle. */
export const APP_LOG_RETENTION_DAYS = 90;

const PREFIX = /^[a-z][a-z0-9-]{1,40}$/;
const ENV = /^[a-z][a-z0-9-]{0,15}$/;
const TARGET = /^(china|[a-z]{2}(-[a-z]+)+-\d)$/;
// An S3 key segment and a tag value: letters, digits and . _ - only.
const VERSION = /^[A-Za-z0-9._-]{1,128}$/;

/** The physical name prefix of a target: `silkroute-<env>` unless given. */
export function appPrefix(target: Pick<AppTarget, "env" | "prefix">): string {
  return target.prefix ?? appPrefixOf(DEFAULT_PREFIX, target.env);
}

/** Key of the code zip in the artifact bucket: `app/<prefix>/<version>.zip`. */
export function codeKeyOf(target: Pick<AppTarget, "env" | "prefix" | "version">): string {
  return appCodeKey(appPrefix(target), target.version);
}

/**
 * Name of the function's role: `<prefix>-<target>-fn`. IAM is global, so the
 * app stacks of one environment in several Regions of an account need one
 * role each; the name stays under the deploy scope `role/<prefix>-*`.
 */
export function roleNameOf(target: Pick<AppTarget, "env" | "prefix" | "target">): string {
  return appRoleName(appPrefix(target), target.target);
}

const MAX_ROLE_NAME = 64;
const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;

/** Validates an app target; returns one line per problem (empty when valid). */
export function validateAppTarget(target: AppTarget): string[] {
  const problems: string[] = [];
  const prefix = appPrefix(target);
  if (!ENV.test(target.env)) {
    problems.push(
      `env must be lower-case letters, digits or '-', got ${JSON.stringify(target.env)}`,
    );
  }
  if (!TARGET.test(target.target)) {
    problems.push(
      `target must be a global Region or "china", got ${JSON.stringify(target.target)}`,
    );
  }
  const china = partitionOf(target.region) === "aws-cn";
  if (china !== (target.target === "china")) {
    problems.push(
      `target ${target.target} does not match region ${target.region}: target "china" deploys into a cn- Region, any other target into that global Region`,
    );
  } else if (!china && target.region !== target.target) {
    problems.push(
      `target ${target.target} must deploy into region ${target.target}, got ${target.region}`,
    );
  }
  if (!VERSION.test(target.version)) {
    problems.push(
      `version must be 1-128 letters, digits, '.', '_' or '-' (a version or commit id), got ${JSON.stringify(target.version)}`,
    );
  }
  if (!PREFIX.test(prefix)) {
    problems.push(
      `prefix must be 2-41 lower-case letters, digits or '-', got ${JSON.stringify(prefix)}`,
    );
  }
  const roleName = roleNameOf(target);
  if (roleName.length > MAX_ROLE_NAME) {
    problems.push(
      `role name ${roleName} is longer than IAM's ${MAX_ROLE_NAME} characters: use a shorter prefix`,
    );
  }
  const boundary = target.permissionsBoundaryName;
  if (boundary !== undefined && !POLICY_NAME.test(boundary)) {
    problems.push(
      `permissionsBoundaryName must be an IAM policy name (letters, digits, +=,.@_-), got ${JSON.stringify(boundary)}`,
    );
  }
  const retentionProblem = logRetentionProblem(target.logRetentionDays);
  if (retentionProblem) problems.push(retentionProblem);
  return problems;
}

/** The sample handler's folder, from the sources and the build alike. */
export function defaultCodeDir(): string {
  return path.join(projectRoot(), "app", "handler");
}

/**
 * The application stack the driver deploys into one target: a Lambda function
 * (code shipped as a zip in the partition's artifact bucket, not uploaded
 * inline), its role trusted by the Lambda principal of the partition,
 * allowed only to write to its own log group and capped by the account's app
 * boundary, and that log group with a retention. Everything carries
 * `silkroute:version` so `silkroute status` can tell whether the targets of
 * an environment run the same build.
 */
export function appProgram(target: AppTarget, provider: aws.Provider): AppOutputs {
  const problems = validateAppTarget(target);
  if (problems.length > 0) {
    throw new pulumi.RunError(`app stack ${target.env}/${target.target}: ${problems.join("; ")}`);
  }
  const partition = partitionOf(target.region);
  const prefix = appPrefix(target);
  const functionName = appFunctionName(prefix);
  const roleName = roleNameOf(target);
  const codeKey = codeKeyOf(target);
  const tags = {
    "silkroute:version": target.version,
    "silkroute:env": target.env,
    "silkroute:target": target.target,
  };
  const opts = { provider };

  const logGroup = new aws.cloudwatch.LogGroup(
    "app-logs",
    {
      // Lambda writes to /aws/lambda/<function>; creating it first sets the retention.
      name: `/aws/lambda/${functionName}`,
      retentionInDays: target.logRetentionDays ?? APP_LOG_RETENTION_DAYS,
      tags,
    },
    opts,
  );

  // The deploy role and user may create this role only with the boundary:
  // the boundary of the account the provider deploys into.
  const account = aws.getCallerIdentityOutput({}, opts).accountId;
  const boundaryName = target.permissionsBoundaryName ?? DEFAULT_APP_BOUNDARY_NAME;
  const role = new aws.iam.Role(
    "app-role",
    {
      name: roleName,
      description: `Runs ${functionName} (${target.env} in ${target.target})`,
      permissionsBoundary: account.apply((a) => appBoundaryArn(partition, a, boundaryName)),
      assumeRolePolicy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: servicePrincipal("lambda", partition) },
            Action: "sts:AssumeRole",
          },
        ],
      }),
      tags,
    },
    opts,
  );

  // Least privilege instead of AWSLambdaBasicExecutionRole (logs:* on every
  // group): write events to this function's own log group, which exists.
  const logPolicy = new aws.iam.RolePolicy(
    "app-role-logs",
    {
      role: role.name,
      name: "write-own-logs",
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "WriteOwnLogGroup",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:*`],
          },
        ],
      }),
    },
    opts,
  );

  // A rollback names the kept zip; the driver has checked it is in the bucket.
  const code = target.keptCode === true ? undefined : uploadCode(target, codeKey, opts);
  const fn = new aws.lambda.Function(
    "app-fn",
    {
      name: functionName,
      description: `silkroute sample app ${target.version}`,
      role: role.arn,
      runtime: APP_RUNTIME,
      handler: "index.handler",
      architectures: ["x86_64"],
      s3Bucket: code?.bucket ?? target.artifactBucket,
      // One key per version: a new version is a new key, so no s3ObjectVersion.
      s3Key: code?.key ?? codeKey,
      memorySize: 128,
      timeout: 10,
      environment: { variables: { APP_VERSION: target.version } },
      tags,
    },
    { provider, dependsOn: [logGroup, logPolicy] },
  );

  return {
    functionName: fn.name,
    functionArn: fn.arn,
    roleArn: role.arn,
    logGroupName: logGroup.name,
    version: pulumi.output(target.version),
    codeKey: code?.key ?? pulumi.output(codeKey),
  };
}

/** The version's code, zipped from `codeDir` and uploaded to the artifact bucket. */
function uploadCode(
  target: AppTarget,
  codeKey: string,
  opts: { provider: aws.Provider },
): aws.s3.BucketObjectv2 {
  return new aws.s3.BucketObjectv2(
    "app-code",
    {
      bucket: target.artifactBucket,
      key: codeKey,
      source: new pulumi.asset.AssetArchive({
        ".": new pulumi.asset.FileArchive(target.codeDir ?? defaultCodeDir()),
      }),
      contentType: "application/zip",
      // No tags: the key already names the version.
    },
    // A new version is a new key, so each deploy replaces this resource:
    // without this Pulumi would delete the previous version's zip. The driver
    // keeps the newest silkroute:appVersionsKept of them per environment, and
    // a rollback deploys one of them again without this resource.
    { ...opts, retainOnDelete: true },
  );
}
