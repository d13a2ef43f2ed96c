import * as aws from "../aws";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_PREFIX, deployRoleName } from "../naming";
import { Partition, servicePrincipal } from "../partition";

export interface PipelineRolesArgs {
  /** Prefix of the role names (`<prefix>-codebuild`, …), fixed so ARNs are predictable. @default "silkroute" */
  readonly prefix?: string;
  /**
   * The environments, each deployed by a role of its own
   * (`<prefix>-deploy-<env>`, naming.ts deployRoleName).
   */
  readonly environments: readonly string[];
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
/** The roles there is one of. */
export type SharedRoleKey = Exclude<PipelineRoleKey, "deploy">;

/** Physical role names: one of each shared role, one deploy role per environment. */
export interface PipelineRoleNames extends Record<SharedRoleKey, string> {
  readonly deploy: Readonly<Record<string, string>>;
}

/** Physical role names from the prefix and the environments. */
export function pipelineRoleNames(
  prefix: string,
  environments: readonly string[],
): PipelineRoleNames {
  return {
    codeBuild: `${prefix}-codebuild`,
    codePipeline: `${prefix}-codepipeline`,
    deploy: Object.fromEntries(environments.map((env) => [env, deployRoleName(prefix, env)])),
    events: `${prefix}-events`,
    preview: `${prefix}-preview`,
  };
}

/** Every role name, the deploy roles in environment order. */
export function allRoleNames(names: PipelineRoleNames): string[] {
  return [
    names.codeBuild,
    names.codePipeline,
    ...Object.values(names.deploy),
    names.events,
    names.preview,
  ];
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
const ENV = /^[a-z][a-z0-9-]{0,15}$/;
/** IAM's limit on a role name. */
export const MAX_ROLE_NAME = 64;

/** Validates PipelineRoles args; returns the problem or undefined. */
export function validatePipelineRolesArgs(args: PipelineRolesArgs): string | undefined {
  if (args.prefix !== undefined && !PREFIX.test(args.prefix)) {
    return `prefix must be 2-24 lower-case letters, digits or '-', starting with a letter, got ${args.prefix}`;
  }
  if (args.environments.length === 0) return "environments must list at least one environment";
  const bad = args.environments.find((env) => !ENV.test(env));
  if (bad !== undefined) {
    return `environments must be environment names such as dev (at most 16 characters), got ${JSON.stringify(bad)}`;
  }
  const twice = args.environments.find((env, i) => args.environments.indexOf(env) !== i);
  if (twice !== undefined) return `environment ${twice} is listed twice`;
  const names = allRoleNames(pipelineRoleNames(args.prefix ?? DEFAULT_PREFIX, args.environments));
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) {
    return `two roles would be named ${duplicate}: rename the environment`;
  }
  const long = names.find((n) => n.length > MAX_ROLE_NAME);
  if (long !== undefined)
    return `role name ${long} is longer than IAM's ${MAX_ROLE_NAME} characters`;
  return undefined;
}

const DESCRIPTIONS: Record<PipelineRoleKey, string> = {
  codeBuild: "silkroute CodeBuild: the build project",
  codePipeline: "silkroute CodePipeline",
  deploy: "silkroute deploy projects of one environment",
  events: "silkroute EventBridge: starts the pr-preview build",
  preview: "silkroute pr-preview: runs pull-request code, so reads and writes its result only",
};

/**
 * The roles of the pipeline, with trust policies only: their permissions are
 * PipelinePolicies, added once the resources they reach exist (roles come
 * first because key and bucket policies name them). Each environment's deploy
 * actions run as a role of their own, so the approval before an environment
 * gates that environment's credentials.
 */
export class PipelineRoles extends pulumi.ComponentResource {
  /** Runs the build CodeBuild project. */
  readonly codeBuild: aws.iam.Role;
  /** CodePipeline's service role. */
  readonly codePipeline: aws.iam.Role;
  /** Per environment: runs that environment's deploy projects, and nothing else. */
  readonly deploy: Readonly<Record<string, aws.iam.Role>>;
  /** Lets EventBridge start the pr-preview build. */
  readonly events: aws.iam.Role;
  /**
   * Runs the pr-preview project. It runs pull-request code, which could
   * change the program, so it is never the deploy role: it reads the state and
   * the app stacks and writes its result; the PR comment poster comments.
   */
  readonly preview: aws.iam.Role;
  /** The roles' physical names, known before deployment. */
  readonly names: PipelineRoleNames;
  readonly codeBuildArn: pulumi.Output<string>;
  readonly codePipelineArn: pulumi.Output<string>;
  /** Per environment. */
  readonly deployArns: Readonly<Record<string, pulumi.Output<string>>>;
  readonly eventsArn: pulumi.Output<string>;
  readonly previewArn: pulumi.Output<string>;

  constructor(name: string, args: PipelineRolesArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("silkroute:iam:PipelineRoles", name, {}, opts);
    const problem = validatePipelineRolesArgs(args);
    if (problem) throw new pulumi.ResourceError(problem, this);

    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const names = pipelineRoleNames(args.prefix ?? DEFAULT_PREFIX, args.environments);
    this.names = names;
    const role = (key: PipelineRoleKey, suffix: string, env?: string) =>
      new aws.iam.Role(
        `${name}-${suffix}`,
        {
          name: env === undefined ? names[key as SharedRoleKey] : names.deploy[env],
          description: env === undefined ? DESCRIPTIONS[key] : `${DESCRIPTIONS[key]}: ${env}`,
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
    // Resource names `<name>-deploy-<env>`: a new environment adds a role, renames none.
    this.deploy = Object.fromEntries(
      args.environments.map((env) => [env, role("deploy", `deploy-${env}`, env)]),
    );
    this.events = role("events", "events");
    this.preview = role("preview", "preview");
    this.codeBuildArn = this.codeBuild.arn;
    this.codePipelineArn = this.codePipeline.arn;
    this.deployArns = Object.fromEntries(
      Object.entries(this.deploy).map(([env, r]) => [env, r.arn]),
    );
    this.eventsArn = this.events.arn;
    this.previewArn = this.preview.arn;
    this.registerOutputs({
      codeBuildArn: this.codeBuildArn,
      codePipelineArn: this.codePipelineArn,
      deployArns: this.deployArns,
      eventsArn: this.eventsArn,
      previewArn: this.previewArn,
    });
  }
}
