import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { Partition, servicePrincipal } from "./partition";

export interface PipelineRolesArgs {
  /** Prefix of the role names (`<prefix>-codebuild`, …), fixed so ARNs are predictable. @default "silkroute" */
  readonly prefix?: string;
  /** Tags for every role. @default none */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** The service that assumes each role (the principal is looked up per partition). */
export const ROLE_SERVICES = {
  codeBuild: "codebuild",
  codePipeline: "codepipeline",
  deploy: "codebuild",
  events: "events",
  preview: "codebuild",
} as const;

export type PipelineRoleKey = keyof typeof ROLE_SERVICES;

/** Physical role names from the prefix. */
export function pipelineRoleNames(prefix: string): Record<PipelineRoleKey, string> {
  return {
    codeBuild: `${prefix}-codebuild`,
    codePipeline: `${prefix}-codepipeline`,
    deploy: `${prefix}-deploy`,
    events: `${prefix}-events`,
    preview: `${prefix}-preview`,
  };
}

/**
 * A trust policy letting one service assume the role, only on behalf of this
 * account (`aws:SourceAccount`, against the confused deputy).
 */
export function trustPolicy(service: string, partition: Partition, accountId: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: servicePrincipal(service, partition) },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
  };
}

const PREFIX = /^[a-z][a-z0-9-]{1,23}$/;

/** Validates PipelineRoles args; returns the problem or undefined. */
export function validatePipelineRolesArgs(args: PipelineRolesArgs): string | undefined {
  if (args.prefix !== undefined && !PREFIX.test(args.prefix)) {
    return `prefix must be 2-24 lower-case letters, digits or '-', starting with a letter, got ${args.prefix}`;
  }
  return undefined;
}

const DESCRIPTIONS: Record<PipelineRoleKey, string> = {
  codeBuild: "silkroute CodeBuild: the build project",
  codePipeline: "silkroute CodePipeline",
  deploy: "silkroute deploy projects (the seed's CloudformationRole)",
  events: "silkroute EventBridge: starts the pr-preview build",
  preview: "silkroute pr-preview: runs pull-request code, so reads and comments only",
};

/**
 * The five roles of the pipeline, with trust policies only: their permissions
 * are PipelinePolicies, added once the resources they reach exist (roles come
 * first because key and bucket policies name them).
 */
export class PipelineRoles extends pulumi.ComponentResource {
  /** Runs the build CodeBuild project. */
  readonly codeBuild: aws.iam.Role;
  /** CodePipeline's service role. */
  readonly codePipeline: aws.iam.Role;
  /** Runs the deploy-global and deploy-china CodeBuild projects. */
  readonly deploy: aws.iam.Role;
  /** Lets EventBridge start the pr-preview build. */
  readonly events: aws.iam.Role;
  /**
   * Runs the pr-preview project. It runs pull-request code, which could
   * change the program, so it is never the deploy role: it reads the state and
   * the app stacks and comments on the pull request.
   */
  readonly preview: aws.iam.Role;
  /** The roles' physical names, known before deployment. */
  readonly names: Record<PipelineRoleKey, string>;
  readonly codeBuildArn: pulumi.Output<string>;
  readonly codePipelineArn: pulumi.Output<string>;
  readonly deployArn: pulumi.Output<string>;
  readonly eventsArn: pulumi.Output<string>;
  readonly previewArn: pulumi.Output<string>;

  constructor(
    name: string,
    args: PipelineRolesArgs = {},
    opts: pulumi.ComponentResourceOptions = {},
  ) {
    super("silkroute:iam:PipelineRoles", name, {}, opts);
    const problem = validatePipelineRolesArgs(args);
    if (problem) throw new pulumi.ResourceError(problem, this);

    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const names = pipelineRoleNames(args.prefix ?? "silkroute");
    this.names = names;
    const role = (key: PipelineRoleKey, suffix: string) =>
      new aws.iam.Role(
        `${name}-${suffix}`,
        {
          name: names[key],
          description: DESCRIPTIONS[key],
          assumeRolePolicy: pulumi.jsonStringify(
            pulumi
              .all([partition, accountId])
              .apply(([p, account]) => trustPolicy(ROLE_SERVICES[key], p as Partition, account)),
          ),
          tags: args.tags,
        },
        { parent: this },
      );

    this.codeBuild = role("codeBuild", "codebuild");
    this.codePipeline = role("codePipeline", "codepipeline");
    this.deploy = role("deploy", "deploy");
    this.events = role("events", "events");
    this.preview = role("preview", "preview");
    this.codeBuildArn = this.codeBuild.arn;
    this.codePipelineArn = this.codePipeline.arn;
    this.deployArn = this.deploy.arn;
    this.eventsArn = this.events.arn;
    this.previewArn = this.preview.arn;
    this.registerOutputs({
      codeBuildArn: this.codeBuildArn,
      codePipelineArn: this.codePipelineArn,
      deployArn: this.deployArn,
      eventsArn: this.eventsArn,
      previewArn: this.previewArn,
    });
  }
}
