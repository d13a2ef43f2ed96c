import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { appNamePrefixes } from "./appPolicyStatements";
import { codeBuildLogGroupPrefix, DEFAULT_PREFIX } from "./naming";
import { Partition } from "./partition";
import type { PipelineRoles } from "./pipelineRoles";
import {
  codeBuildPolicy,
  codePipelinePolicy,
  deployParametersPolicy,
  deployPolicy,
  eventsPolicy,
  PolicyInputs,
  previewPolicy,
  SourceType,
} from "./policyDocuments";
import {
  auditPolicyDocument,
  MAX_INLINE_POLICY_CHARS,
  MAX_MANAGED_POLICY_CHARS,
  PolicyDocument,
} from "./policyStatements";

type Arns = pulumi.Input<pulumi.Input<string>[]>;

export interface PipelinePoliciesArgs {
  /** The roles to give permissions to (a PipelineRoles, or any object with those five roles and their names). */
  readonly roles: Pick<
    PipelineRoles,
    "codeBuild" | "codePipeline" | "deploy" | "events" | "preview" | "names"
  >;
  /** Artifact bucket ARNs, one per deploy Region. */
  readonly artifactBucketArns: Arns;
  /** Artifact KMS key ARNs, one per deploy Region. */
  readonly artifactKeyArns: Arns;
  /** The driver's Pulumi state bucket. */
  readonly stateBucketArn: pulumi.Input<string>;
  /** The state bucket's key, also the `awskms://` secrets provider. */
  readonly stateKeyArn: pulumi.Input<string>;
  /** KMS key of the `/China/<Env>/*` SecureString parameters. */
  readonly parameterKeyArn: pulumi.Input<string>;
  /** The CodeCommit repository ARN, or the CodeConnections connection ARN for GitHub. */
  readonly sourceArn: pulumi.Input<string>;
  /** Which kind of source `sourceArn` is. */
  readonly sourceType: SourceType;
  /** Every CodeBuild project the pipeline starts (build, deploy-global, deploy-china). */
  readonly buildProjectArns: Arns;
  /** Name of the pipeline, which EventBridge starts on pushes (it is created after these policies). */
  readonly pipelineName: string;
  /** The pr-preview project, the only one EventBridge may start. */
  readonly prPreviewProjectArn: pulumi.Input<string>;
  /** Cross-account roles the deploy role may assume. @default none */
  readonly crossAccountRoleArns?: Arns;
  /** `/China/<Env>/*` parameters the deploy role reads (exact ARNs or path wildcards). */
  readonly chinaParameterArns: Arns;
  /**
   * China key parameters the preview role reads, to preview China targets.
   * Pull-request code then holds a China deploy key (which can deploy, not
   * only read): pass them knowingly. @default none: pr-preview previews the
   * global targets only
   */
  readonly previewChinaParameterArns?: Arns;
  /** The seed's `/US/…` parameters the build and deploy roles read. */
  readonly seedParameterArns: Arns;
  /** Prefix of the CodeBuild log group names. @default `codeBuildLogGroupPrefix("silkroute")`: `/silkroute/codebuild/silkroute-` */
  readonly logGroupPrefix?: string;
  /**
   * Prefix of the app stacks' names, which go on with the environment
   * (`silkroute-dev-fn`). @default "silkroute-"
   */
  readonly appPrefix?: string;
  /**
   * Environments whose app stacks the deploy role deploys into this account
   * (those without crossAccount): its function, role and log group names are
   * `<appPrefix><env>-*`, which never match the pipeline's own roles.
   */
  readonly appEnvironments: string[];
  /** Global Regions those app stacks deploy into (the deploy-global projects' Regions). */
  readonly deployRegions: string[];
  /**
   * The app boundary policy (AppBoundary) of this account: the deploy role may
   * create app roles and put their inline policies only with it set.
   */
  readonly appBoundaryArn: pulumi.Input<string>;
  /**
   * Secrets Manager secret (ARN or name) of the GitHub token the pr-preview
   * project reads (github sources only). @default none
   */
  readonly githubTokenSecretArn?: pulumi.Input<string>;
}

const DEFAULT_APP_PREFIX = "silkroute-";

const isKnown = <T>(v: pulumi.Input<T> | undefined): v is T =>
  v !== undefined && !pulumi.Output.isInstance(v) && !(v instanceof Promise);

const ENV = /^[a-z][a-z0-9-]{0,15}$/;
const GLOBAL_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

function validateApp(args: PipelinePoliciesArgs): string | undefined {
  const prefix = args.appPrefix;
  if (prefix !== undefined && !/^[a-z][a-z0-9-]{0,40}$/.test(prefix)) {
    return `appPrefix must be lower-case letters, digits or '-' (no wildcards), got ${prefix}`;
  }
  const bad = args.appEnvironments.find((env) => !ENV.test(env));
  if (bad !== undefined) {
    return `appEnvironments must be environment names such as dev, got ${JSON.stringify(bad)}`;
  }
  const region = args.deployRegions.find((r) => !GLOBAL_REGION.test(r) || r.startsWith("cn-"));
  if (region !== undefined) {
    return `deployRegions must be global Regions such as us-east-1 (China targets deploy with the China deploy user), got ${JSON.stringify(region)}`;
  }
  if (args.appEnvironments.length > 0 && args.deployRegions.length === 0) {
    return "deployRegions must list at least one Region when appEnvironments is not empty";
  }
  // The deploy role manages the roles `<appPrefix><env>-*`: were a pipeline
  // role among them, the deploy role could rewrite its own permissions.
  const roleNames = Object.values(args.roles.names ?? {});
  for (const namePrefix of appNamePrefixes(prefix ?? DEFAULT_APP_PREFIX, args.appEnvironments)) {
    const clash = roleNames.find((n) => n.startsWith(namePrefix));
    if (clash !== undefined) {
      return `appPrefix and appEnvironments give app roles named ${namePrefix}*, which would include the pipeline role ${clash}: use another appPrefix or another PipelineRoles prefix`;
    }
  }
  return undefined;
}

/** Validates PipelinePolicies args (the parts known before deployment). */
export function validatePipelinePoliciesArgs(args: PipelinePoliciesArgs): string | undefined {
  if (args.sourceType !== "codecommit" && args.sourceType !== "github") {
    return `sourceType must be codecommit or github, got ${String(args.sourceType)}`;
  }
  if (args.githubTokenSecretArn !== undefined && args.sourceType !== "github") {
    return "githubTokenSecretArn is the pr-preview token of a github source: leave it out for codecommit";
  }
  const prefix = args.logGroupPrefix;
  if (prefix !== undefined && !/^[\w#./-]{1,200}$/.test(prefix)) {
    return `logGroupPrefix must be a log group name prefix without wildcards, got ${prefix}`;
  }
  for (const key of ["artifactBucketArns", "artifactKeyArns", "buildProjectArns"] as const) {
    const value = args[key];
    if (isKnown(value) && value.length === 0) return `${key} must list at least one ARN`;
  }
  for (const [key, value] of Object.entries(args)) {
    const values = isKnown(value) && Array.isArray(value) ? value : [value];
    if (values.some((v) => v === "*")) {
      return `${key} must name resources, got "*": that would grant access to every resource`;
    }
  }
  return validateApp(args);
}

/**
 * Least-privilege inline policies for the five PipelineRoles, one
 * aws.iam.RolePolicy per role. The documents come from the pure functions of
 * policyDocuments.ts; each is audited (no wildcard actions, no `*` resources,
 * IAM only on the app's roles and never on a pipeline role, role creation
 * only under the app boundary) before it is attached.
 */
export class PipelinePolicies extends pulumi.ComponentResource {
  readonly codeBuild: aws.iam.RolePolicy;
  readonly codePipeline: aws.iam.RolePolicy;
  readonly deploy: aws.iam.RolePolicy;
  /** A managed policy: the parameter names grow with the environments. */
  readonly deployParameters: aws.iam.Policy;
  readonly events: aws.iam.RolePolicy;
  readonly preview: aws.iam.RolePolicy;

  constructor(
    name: string,
    args: PipelinePoliciesArgs,
    opts: pulumi.ComponentResourceOptions = {},
  ) {
    super("silkroute:iam:PipelinePolicies", name, {}, opts);
    const problem = validatePipelinePoliciesArgs(args);
    if (problem) throw new pulumi.ResourceError(problem, this);

    const { roles } = args;
    const inputs = pulumi.output({
      partition: aws.getPartitionOutput({}, { parent: this }).partition as pulumi.Output<Partition>,
      region: aws.getRegionOutput({}, { parent: this }).region,
      accountId: aws.getCallerIdentityOutput({}, { parent: this }).accountId,
      artifactBucketArns: args.artifactBucketArns,
      artifactKeyArns: args.artifactKeyArns,
      stateBucketArn: args.stateBucketArn,
      stateKeyArn: args.stateKeyArn,
      parameterKeyArn: args.parameterKeyArn,
      sourceArn: args.sourceArn,
      sourceType: args.sourceType,
      buildProjectArns: args.buildProjectArns,
      prPreviewProjectArn: args.prPreviewProjectArn,
      pipelineName: args.pipelineName,
      crossAccountRoleArns: args.crossAccountRoleArns ?? [],
      chinaParameterArns: args.chinaParameterArns,
      previewChinaParameterArns: args.previewChinaParameterArns ?? [],
      seedParameterArns: args.seedParameterArns,
      logGroupPrefix: args.logGroupPrefix ?? codeBuildLogGroupPrefix(DEFAULT_PREFIX),
      appPrefix: args.appPrefix ?? DEFAULT_APP_PREFIX,
      appEnvironments: args.appEnvironments,
      deployRegions: args.deployRegions,
      appBoundaryArn: args.appBoundaryArn,
      githubTokenSecretArn: args.githubTokenSecretArn,
    }) as pulumi.Output<PolicyInputs>;
    // No document may let a role reach the pipeline's own roles.
    const pipelineRoleNames = pulumi.all(
      [roles.codeBuild, roles.codePipeline, roles.deploy, roles.events, roles.preview].map(
        (r) => r.name,
      ),
    );

    const audited = (
      suffix: string,
      build: (p: PolicyInputs) => PolicyDocument,
      maxChars = MAX_INLINE_POLICY_CHARS,
    ) =>
      pulumi.all([inputs, pipelineRoleNames]).apply(([p, protectedNames]) => {
        const document = build(p);
        const problems = auditPolicyDocument(document, protectedNames, maxChars);
        if (problems.length > 0) {
          throw new pulumi.ResourceError(
            `the ${suffix} policy fails the audit: ${problems.join("; ")}`,
            this,
          );
        }
        return JSON.stringify(document);
      });
    const attach = (
      suffix: string,
      role: aws.iam.Role,
      build: (p: PolicyInputs) => PolicyDocument,
    ) =>
      new aws.iam.RolePolicy(
        `${name}-${suffix}`,
        { role: role.name, policy: audited(suffix, build) },
        { parent: this },
      );

    this.codeBuild = attach("codebuild", roles.codeBuild, codeBuildPolicy);
    this.codePipeline = attach("codepipeline", roles.codePipeline, codePipelinePolicy);
    this.deploy = attach("deploy", roles.deploy, deployPolicy);
    this.deployParameters = new aws.iam.Policy(
      `${name}-deploy-parameters`,
      {
        description:
          "silkroute: the SSM parameters the deploy role reads (China deploy keys by name)",
        policy: audited("deploy-parameters", deployParametersPolicy, MAX_MANAGED_POLICY_CHARS),
      },
      { parent: this },
    );
    new aws.iam.RolePolicyAttachment(
      `${name}-deploy-parameters`,
      { role: roles.deploy.name, policyArn: this.deployParameters.arn },
      { parent: this },
    );
    this.events = attach("events", roles.events, eventsPolicy);
    this.preview = attach("preview", roles.preview, previewPolicy);
    this.registerOutputs({});
  }
}
