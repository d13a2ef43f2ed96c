import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { BuildspecKind, readBuildspec } from "./buildspecs";
import type { PreviewSource } from "./buildProjectArgs";
import { codeBuildCacheFolder, codeBuildLogGroup, scheduleRoleName } from "./naming";
import { Partition } from "./partition";
import { trustPolicy } from "./iam/pipelineRoles";
import { schedulePolicy } from "./iam/operationsPolicies";
import { auditPolicyDocument } from "./iam/policyStatements";

export interface ScheduledBuildArgs {
  /** Physical name of the CodeBuild project (`<prefix>-operations`). */
  readonly projectName: string;
  /** What the project does, shown in the console. */
  readonly description: string;
  /** The buildspec it runs (components/buildspecs/<kind>.yml), inline: never the repository's. */
  readonly buildspec: BuildspecKind;
  /** The role the project runs as. */
  readonly roleArn: pulumi.Input<string>;
  /** The repository the build clones. */
  readonly source: PreviewSource;
  /** The branch (or ref) the build clones. */
  readonly sourceVersion: string;
  /** The pipeline Region's artifact key: encrypts the project's artifacts, cache and logs. */
  readonly encryptionKeyArn: pulumi.Input<string>;
  /**
   * The pipeline Region's artifact bucket: the project's cache goes to its
   * own folder there. @default none: no cache at all
   */
  readonly cacheBucket?: pulumi.Input<string>;
  /** An EventBridge Scheduler expression: `rate(1 day)`, `cron(0 6 * * ? *)`. */
  readonly scheduleExpression: string;
  /** Project variables (names and values, no secret). */
  readonly variables: Readonly<Record<string, pulumi.Input<string>>>;
  /** CodeBuild image; it must offer the Node.js 22 runtime. */
  readonly image: string;
  /** Days the project's log group keeps events. @default 365 */
  readonly logRetentionDays?: number;
  /** IAM path of the schedule's role. @default "/" */
  readonly rolePath?: string;
}

const PROJECT = /^[A-Za-z0-9][A-Za-z0-9_-]{1,254}$/;

/** Validates ScheduledBuild args; returns the problem or undefined. */
export function validateScheduledBuildArgs(args: ScheduledBuildArgs): string | undefined {
  if (!PROJECT.test(args.projectName)) {
    return `projectName must be 2-255 letters, digits, '-' or '_', got ${args.projectName}`;
  }
  if (scheduleRoleName(args.projectName).length > 64) {
    return `the schedule's role ${scheduleRoleName(args.projectName)} is longer than IAM's 64 characters: use a shorter prefix`;
  }
  if (!/^(rate|cron)\(.+\)$/.test(args.scheduleExpression)) {
    return `scheduleExpression must be rate(…) or cron(…), got ${args.scheduleExpression}`;
  }
  return undefined;
}

/**
 * A CodeBuild project outside the pipeline, started by an EventBridge
 * Scheduler schedule: its log group, the project (source cloned from the
 * repository's branch, the buildspec inline from this repository's
 * components/buildspecs, unprivileged), and the schedule with a role of its
 * own that may start this project and nothing else. The schedule fires at
 * its time exactly (no flexible window) and retries a failed start.
 */
export class ScheduledBuild extends pulumi.ComponentResource {
  readonly project: aws.codebuild.Project;
  readonly projectArn: pulumi.Output<string>;
  readonly schedule: aws.scheduler.Schedule;

  constructor(name: string, args: ScheduledBuildArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("silkroute:operations:ScheduledBuild", name, {}, opts);
    const problem = validateScheduledBuildArgs(args);
    if (problem) throw new pulumi.ResourceError(problem, this);
    const child = { parent: this };

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      {
        name: codeBuildLogGroup(args.projectName),
        retentionInDays: args.logRetentionDays ?? 365,
      },
      child,
    );
    const source = args.source;
    this.project = new aws.codebuild.Project(
      `${name}-project`,
      {
        name: args.projectName,
        description: args.description,
        serviceRole: args.roleArn,
        encryptionKey: args.encryptionKeyArn,
        source: {
          type: source.type === "codecommit" ? "CODECOMMIT" : "GITHUB",
          location: source.cloneUrl,
          // The whole history: the checks check out the commit each environment runs.
          gitCloneDepth: 0,
          buildspec: readBuildspec(args.buildspec),
          ...(source.type === "github"
            ? { auth: { type: "CODECONNECTIONS", resource: source.connectionArn } }
            : {}),
        },
        sourceVersion: args.sourceVersion,
        artifacts: { type: "NO_ARTIFACTS" },
        cache:
          args.cacheBucket === undefined
            ? { type: "NO_CACHE" }
            : {
                type: "S3",
                location: pulumi.interpolate`${args.cacheBucket}/${codeBuildCacheFolder(args.projectName).slice(0, -1)}`,
              },
        environment: {
          type: "LINUX_CONTAINER",
          computeType: "BUILD_GENERAL1_SMALL",
          image: args.image,
          privilegedMode: false,
          environmentVariables: Object.entries(args.variables).map(([n, value]) => ({
            name: n,
            value,
            type: "PLAINTEXT",
          })),
        },
        logsConfig: {
          cloudwatchLogs: { status: "ENABLED", groupName: logGroup.name },
          s3Logs: { status: "DISABLED" },
        },
      },
      child,
    );
    this.projectArn = this.project.arn;

    const partition = aws.getPartitionOutput({}, child).partition;
    const accountId = aws.getCallerIdentityOutput({}, child).accountId;
    const role = new aws.iam.Role(
      `${name}-schedule-role`,
      {
        name: scheduleRoleName(args.projectName),
        path: args.rolePath,
        description: `silkroute: EventBridge Scheduler starts ${args.projectName}, nothing else`,
        assumeRolePolicy: pulumi.jsonStringify(
          pulumi
            .all([partition, accountId])
            .apply(([p, account]) => trustPolicy("scheduler", p as Partition, account)),
        ),
      },
      child,
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-schedule-policy`,
      {
        role: role.name,
        policy: this.projectArn.apply((arn) => {
          const document = schedulePolicy(arn);
          const problems = auditPolicyDocument(document);
          if (problems.length > 0) {
            throw new pulumi.ResourceError(`the schedule's policy: ${problems.join("; ")}`, this);
          }
          return JSON.stringify(document);
        }),
      },
      child,
    );
    this.schedule = new aws.scheduler.Schedule(
      `${name}-schedule`,
      {
        name: args.projectName,
        description: `silkroute: starts ${args.projectName}`,
        scheduleExpression: args.scheduleExpression,
        flexibleTimeWindow: { mode: "OFF" },
        state: "ENABLED",
        // A templated target: the project's ARN makes Scheduler call StartBuild.
        target: {
          arn: this.projectArn,
          roleArn: role.arn,
          retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
        },
      },
      { ...child, dependsOn: [policy] },
    );
    this.registerOutputs({ projectArn: this.projectArn, scheduleArn: this.schedule.arn });
  }
}
