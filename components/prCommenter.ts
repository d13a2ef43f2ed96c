import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { COMMENTER_RUNTIME, commenterBundle } from "./commenterBundle";
import {
  BUILD_END_STATUSES,
  BUILD_STATE_CHANGE,
  COMMENTER_VARIABLES,
  GITHUB_API,
} from "./commenterContract";
import { logRetentionProblem } from "./logRetention";
import { PR_RESULT_FOLDER, prCommenterName } from "./naming";
import { Partition, servicePrincipal } from "./partition";
import { prCommenterPolicy } from "./iam/prCommenterPolicy";
import { auditPolicyDocument } from "./iam/policyStatements";
import type { PrefixExpiration } from "./secureBucket";

/**
 * How long pr-preview results are kept: the poster reads one within minutes
 * (EventBridge retries for an hour); a week leaves time to look into a comment.
 */
export const PR_RESULT_EXPIRY: PrefixExpiration = {
  id: "expire-pr-preview-results",
  prefix: PR_RESULT_FOLDER,
  days: 7,
};

/** Where the poster comments: the pipeline's source. */
export type CommenterSource =
  | {
      readonly type: "codecommit";
      readonly repositoryName: pulumi.Input<string>;
      readonly repositoryArn: pulumi.Input<string>;
    }
  | {
      readonly type: "github";
      /** `owner/repo`. */
      readonly repository: string;
      /** Secrets Manager secret (ARN or name) of a token allowed to write pull-request comments. */
      readonly tokenSecret: string;
      /** API base URL, for GitHub Enterprise Server. @default https://api.github.com */
      readonly apiUrl?: string;
    };

export interface PrCommenterArgs {
  /** Prefix of the names: the function and its log group are `<prefix>-commenter`. */
  readonly prefix: string;
  /** The role PrCommenterRole made for the function (its permissions are added here). */
  readonly role: { readonly name: pulumi.Input<string>; readonly arn: pulumi.Input<string> };
  /** The pr-preview CodeBuild project whose finished builds are commented on. */
  readonly projectName: pulumi.Input<string>;
  /** The environment pr-preview previews: marks the comment. */
  readonly env: string;
  /** The bucket (name and ARN) pr-preview uploads its results to, under PR_RESULT_FOLDER. */
  readonly resultBucket: pulumi.Input<string>;
  readonly resultBucketArn: pulumi.Input<string>;
  readonly source: CommenterSource;
  /** Days the function's log is kept (a CloudWatch Logs retention value). @default 365 */
  readonly logRetentionDays?: number;
  /** Tags for every resource. @default none */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

const PREFIX = /^[a-z][a-z0-9-]{1,23}$/;
const ENV = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Validates PrCommenter args; returns the problem or undefined. */
export function validatePrCommenterArgs(args: PrCommenterArgs): string | undefined {
  if (!PREFIX.test(args.prefix)) {
    return `prefix must be 2-24 lower-case letters, digits or '-', starting with a letter, got ${args.prefix}`;
  }
  if (!ENV.test(args.env)) return `env must be an environment name such as dev, got ${args.env}`;
  const source = args.source;
  if (source.type === "github") {
    if (!/^[\w.-]+\/[\w.-]+$/.test(source.repository)) {
      return `source.repository must be owner/repo, got ${JSON.stringify(source.repository)}`;
    }
    if (source.tokenSecret.trim() === "") {
      return "source.tokenSecret must name the Secrets Manager secret of the GitHub token";
    }
    if (source.apiUrl !== undefined && !/^https:\/\/[^\s/]+(\/[^\s]*)?$/.test(source.apiUrl)) {
      return `source.apiUrl must be an https URL, got ${JSON.stringify(source.apiUrl)}`;
    }
  }
  return logRetentionProblem(args.logRetentionDays);
}

/** The EventBridge pattern of the project's finished builds. */
export function buildEndPattern(projectName: string) {
  return {
    source: ["aws.codebuild"],
    "detail-type": [BUILD_STATE_CHANGE],
    detail: { "project-name": [projectName], "build-status": [...BUILD_END_STATUSES] },
  };
}

/**
 * The poster's execution role, apart from the function: the artifact key's
 * policy must name it before the bucket and key exist for the function to use.
 */
export class PrCommenterRole extends pulumi.ComponentResource {
  readonly role: aws.iam.Role;
  readonly name: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;

  constructor(
    name: string,
    args: {
      /** Prefix of the role name (`<prefix>-commenter`). */
      readonly prefix: string;
      /** Tags for the role. @default none */
      readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
    },
    opts: pulumi.ComponentResourceOptions = {},
  ) {
    super("silkroute:pipeline:PrCommenterRole", name, {}, opts);
    if (!PREFIX.test(args.prefix)) {
      throw new pulumi.ResourceError(
        `prefix must be 2-24 lower-case letters, got ${args.prefix}`,
        this,
      );
    }
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        name: prCommenterName(args.prefix),
        description:
          "silkroute PR comment poster: reads pr-preview results, comments on pull requests",
        assumeRolePolicy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: {
                Service: partition.apply((p) => servicePrincipal("lambda", p as Partition)),
              },
              Action: "sts:AssumeRole",
            },
          ],
        }),
        tags: args.tags,
      },
      { parent: this },
    );
    this.name = this.role.name;
    this.arn = this.role.arn;
    this.registerOutputs({ name: this.name, arn: this.arn });
  }
}

/**
 * The trusted half of the PR preview: a Lambda function, its code bundled
 * from this repository when the global stack runs, started by EventBridge
 * when a pr-preview build ends (whatever its status). It reads the build's
 * result as untrusted data and comments on the pull request the build's
 * event names (automation/commenter/handler.ts). Not public (only this rule
 * may invoke it), on a supported runtime, its log kept for a set time.
 */
export class PrCommenter extends pulumi.ComponentResource {
  readonly function: aws.lambda.Function;
  readonly functionArn: pulumi.Output<string>;
  readonly ruleArn: pulumi.Output<string>;

  constructor(name: string, args: PrCommenterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("silkroute:pipeline:PrCommenter", name, {}, opts);
    const problem = validatePrCommenterArgs(args);
    if (problem) throw new pulumi.ResourceError(problem, this);
    const child = { parent: this };
    const functionName = prCommenterName(args.prefix);

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      {
        // Lambda writes to /aws/lambda/<function>; creating it first sets the retention.
        name: `/aws/lambda/${functionName}`,
        retentionInDays: args.logRetentionDays ?? 365,
        tags: args.tags,
      },
      child,
    );

    const source = args.source;
    const policy = pulumi
      .all([
        aws.getPartitionOutput({}, child).partition,
        aws.getRegionOutput({}, child).region,
        aws.getCallerIdentityOutput({}, child).accountId,
        args.resultBucketArn,
        source.type === "codecommit" ? source.repositoryArn : source.tokenSecret,
      ])
      .apply(([partition, region, accountId, resultBucketArn, reached]) => {
        const document = prCommenterPolicy({
          partition: partition as Partition,
          region,
          accountId,
          functionName,
          resultBucketArn,
          source:
            source.type === "codecommit"
              ? { type: "codecommit", repositoryArn: reached }
              : { type: "github", tokenSecret: reached },
        });
        const problems = auditPolicyDocument(document);
        if (problems.length > 0) {
          throw new pulumi.ResourceError(
            `the commenter policy fails the audit: ${problems.join("; ")}`,
            this,
          );
        }
        return JSON.stringify(document);
      });
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-policy`,
      { role: args.role.name, name: "comment-on-pull-requests", policy },
      child,
    );

    const variables: Record<string, pulumi.Input<string>> = {
      [COMMENTER_VARIABLES.provider]: source.type,
      [COMMENTER_VARIABLES.env]: args.env,
      [COMMENTER_VARIABLES.project]: args.projectName,
      [COMMENTER_VARIABLES.bucket]: args.resultBucket,
      [COMMENTER_VARIABLES.repository]:
        source.type === "codecommit" ? source.repositoryName : source.repository,
      ...(source.type === "github" && {
        [COMMENTER_VARIABLES.tokenSecret]: source.tokenSecret,
        [COMMENTER_VARIABLES.apiUrl]: source.apiUrl ?? GITHUB_API,
      }),
    };
    this.function = new aws.lambda.Function(
      `${name}-fn`,
      {
        name: functionName,
        description: "silkroute: comments pr-preview results on pull requests",
        role: args.role.arn,
        runtime: COMMENTER_RUNTIME,
        architectures: ["arm64"],
        handler: "index.handler",
        code: new pulumi.asset.AssetArchive({
          "index.js": new pulumi.asset.StringAsset(commenterBundle()),
        }),
        memorySize: 256,
        timeout: 60,
        environment: { variables },
        tags: args.tags,
      },
      { parent: this, dependsOn: [logGroup, rolePolicy] },
    );

    const rule = new aws.cloudwatch.EventRule(
      `${name}-rule`,
      {
        description: "silkroute: a finished pr-preview build starts the PR comment poster",
        eventPattern: pulumi
          .output(args.projectName)
          .apply((project) => JSON.stringify(buildEndPattern(project))),
        tags: args.tags,
      },
      child,
    );
    // Lambda.1: only this rule may invoke the function.
    const permission = new aws.lambda.Permission(
      `${name}-invoke`,
      {
        action: "lambda:InvokeFunction",
        function: this.function.name,
        principal: aws
          .getPartitionOutput({}, child)
          .partition.apply((p) => servicePrincipal("events", p as Partition)),
        sourceArn: rule.arn,
      },
      child,
    );
    new aws.cloudwatch.EventTarget(
      `${name}-target`,
      {
        rule: rule.name,
        arn: this.function.arn,
        // Lambda may be throttled for a while: keep trying for an hour, not the default day.
        retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 20 },
      },
      { parent: this, dependsOn: [permission] },
    );

    this.functionArn = this.function.arn;
    this.ruleArn = rule.arn;
    this.registerOutputs({ functionArn: this.functionArn, ruleArn: this.ruleArn });
  }
}
