import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";

export type PrTriggerArgs =
  | {
      readonly type: "codecommit";
      /** ARN of the CodeCommit repository whose pull requests are previewed. */
      readonly repositoryArn: pulumi.Input<string>;
      /** ARN of the pr-preview CodeBuild project. */
      readonly projectArn: pulumi.Input<string>;
      /** Role EventBridge assumes; needs codebuild:StartBuild on the project. */
      readonly eventsRoleArn: pulumi.Input<string>;
    }
  | {
      readonly type: "github";
      /** Name of the pr-preview CodeBuild project (source type GITHUB). */
      readonly projectName: pulumi.Input<string>;
      /** Only pull requests into this branch are previewed. @default every branch */
      readonly baseBranch?: string;
    };

/** CodeCommit pull-request events that mean "there is new code to preview". */
export const CODECOMMIT_PR_EVENTS = ["pullRequestCreated", "pullRequestSourceBranchUpdated"];
/** GitHub webhook events that start pr-preview. */
export const GITHUB_PR_EVENTS = [
  "PULL_REQUEST_CREATED",
  "PULL_REQUEST_UPDATED",
  "PULL_REQUEST_REOPENED",
];

/**
 * Who may approve a fork's pull request for a preview build: CodeBuild's
 * PullRequestBuildApproverRole values for GitHub's admin, maintain and write
 * repository roles (`GITHUB_MAINTAIN`, not `GITHUB_MAINTAINER`).
 */
export const FORK_PR_APPROVER_ROLES = ["GITHUB_ADMIN", "GITHUB_MAINTAIN", "GITHUB_WRITE"] as const;

/** The EventBridge pattern of a repository's pull-request events. */
export function codeCommitPrPattern(repositoryArn: string) {
  return {
    source: ["aws.codecommit"],
    "detail-type": ["CodeCommit Pull Request State Change"],
    resources: [repositoryArn],
    detail: { event: CODECOMMIT_PR_EVENTS, pullRequestStatus: ["Open"] },
  };
}

/**
 * The input transformer that turns a pull-request event into CodeBuild
 * StartBuild parameters: build the PR's source commit, and tell the
 * preview which pull request, repository and commits to comment on.
 */
export function codeCommitPrInput() {
  const variable = (name: string, placeholder: string) => ({
    name,
    value: `<${placeholder}>`,
    type: "PLAINTEXT",
  });
  return {
    inputPaths: {
      pullRequestId: "$.detail.pullRequestId",
      repositoryName: "$.detail.repositoryNames[0]",
      sourceCommit: "$.detail.sourceCommit",
      destinationCommit: "$.detail.destinationCommit",
    },
    // EventBridge substitutes the <placeholders>; the rest is StartBuild input.
    inputTemplate: JSON.stringify({
      sourceVersion: "<sourceCommit>",
      environmentVariablesOverride: [
        variable("SILKROUTE_PR", "pullRequestId"),
        variable("SILKROUTE_REPOSITORY", "repositoryName"),
        variable("SILKROUTE_SOURCE_COMMIT", "sourceCommit"),
        variable("SILKROUTE_DESTINATION_COMMIT", "destinationCommit"),
      ],
    }),
  };
}

/** Webhook filter groups: the PR events, optionally only into one base branch. */
export function gitHubFilterGroups(baseBranch?: string) {
  const filters = [{ type: "EVENT", pattern: GITHUB_PR_EVENTS.join(", ") }];
  if (baseBranch !== undefined) {
    filters.push({ type: "BASE_REF", pattern: `^refs/heads/${escapeRegExp(baseBranch)}$` });
  }
  return [{ filters }];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Validates PrTrigger args; returns the problem or undefined. */
export function validatePrTriggerArgs(args: PrTriggerArgs): string | undefined {
  if (args.type === "github" && args.baseBranch !== undefined && args.baseBranch.trim() === "") {
    return "baseBranch must be a branch name when given, got an empty string";
  }
  return undefined;
}

/**
 * Starts the pr-preview project for each new or updated pull request: an
 * EventBridge rule on CodeCommit pull-request events, or a CodeBuild webhook
 * on GitHub's. Pull requests from forks need a maintainer's comment approval
 * first, since pr-preview runs with the CodeBuild role.
 */
export class PrTrigger extends pulumi.ComponentResource {
  /** ARN of the EventBridge rule (CodeCommit) or URL of the webhook (GitHub). */
  readonly triggerId: pulumi.Output<string>;

  constructor(name: string, args: PrTriggerArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("silkroute:pipeline:PrTrigger", name, {}, opts);
    const problem = validatePrTriggerArgs(args);
    if (problem) throw new pulumi.ResourceError(problem, this);

    if (args.type === "codecommit") {
      const rule = new aws.cloudwatch.EventRule(
        `${name}-rule`,
        {
          description: "Start pr-preview on new or updated CodeCommit pull requests",
          eventPattern: pulumi
            .output(args.repositoryArn)
            .apply((repositoryArn) => JSON.stringify(codeCommitPrPattern(repositoryArn))),
        },
        { parent: this },
      );
      new aws.cloudwatch.EventTarget(
        `${name}-target`,
        {
          rule: rule.name,
          arn: args.projectArn,
          roleArn: args.eventsRoleArn,
          inputTransformer: codeCommitPrInput(),
        },
        { parent: this },
      );
      this.triggerId = rule.arn;
    } else {
      const webhook = new aws.codebuild.Webhook(
        `${name}-webhook`,
        {
          projectName: args.projectName,
          buildType: "BUILD",
          filterGroups: gitHubFilterGroups(args.baseBranch),
          pullRequestBuildPolicy: {
            requiresCommentApproval: "FORK_PULL_REQUESTS",
            approverRoles: [...FORK_PR_APPROVER_ROLES],
          },
        },
        { parent: this },
      );
      this.triggerId = webhook.url;
    }
    this.registerOutputs({ triggerId: this.triggerId });
  }
}
