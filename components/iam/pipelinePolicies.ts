import { entryOf, firstOf, itemAt } from "../lookup";
import * as aws from "../aws";
import * as pulumi from "@pulumi/pulumi";
import { appPolicyLayout, appReadStatements, MAX_ATTACHED_POLICIES } from "./appPolicyStatements";
import {
  appPrefixOf,
  DEFAULT_PREFIX,
  deployAppPolicyName,
  deploySecretsPolicyName,
  previewAppPolicyName,
} from "../naming";
import { Partition } from "../partition";
import { allRoleNames, type PipelineRoles } from "./pipelineRoles";
import {
  codeBuildPolicy,
  codePipelinePolicy,
  deployRoleAppStatements,
  deployRoleSecretsPolicy,
  deployRolePolicy,
  eventsPolicy,
  PolicyInputs,
  previewAppStatements,
  previewPolicy,
  SourceType,
} from "./policyDocuments";
import {
  auditPolicyDocument,
  MAX_INLINE_POLICY_CHARS,
  MAX_MANAGED_POLICY_CHARS,
  packStatements,
  PolicyDocument,
} from "./policyStatements";

type Arns = pulumi.Input<pulumi.Input<string>[]>;
type ByRegion = Readonly<Record<string, pulumi.Input<string>>>;

/** One environment as its deploy role reaches it. */
export interface DeployEnvironmentArgs {
  readonly name: string;
  /** Global Regions its deploy projects run in. */
  readonly globalRegions: readonly string[];
  /** It deploys to China too. */
  readonly china: boolean;
  /** Its China key parameters, by exact ARN (never a path wildcard). @default none */
  readonly chinaParameterArns?: Arns;
  /** Its role in another account. @default none: it deploys into this account */
  readonly crossAccountRoleArn?: pulumi.Input<string>;
  /** The seed parameter holding that role's ARN, which only its deploy role reads. @default none */
  readonly crossAccountParameterArn?: pulumi.Input<string>;
}

/** An environment's policy inputs, to be resolved with the others (pulumi.output). */
export function environmentPolicyArgs(e: DeployEnvironmentArgs) {
  return {
    name: e.name,
    globalRegions: e.globalRegions,
    china: e.china,
    chinaParameterArns: e.chinaParameterArns ?? [],
    crossAccountRoleArn: e.crossAccountRoleArn,
    crossAccountParameterArn: e.crossAccountParameterArn,
  };
}

/** A policy document built from the resolved inputs and audited before it is written. */
type Audited = (
  suffix: string,
  build: (p: PolicyInputs) => PolicyDocument,
  maxChars?: number,
) => pulumi.Output<string>;

export interface PipelinePoliciesArgs {
  /** The roles to give permissions to (a PipelineRoles, or any object with those roles and their names). */
  readonly roles: Pick<
    PipelineRoles,
    "codeBuild" | "codePipeline" | "deploy" | "events" | "preview" | "names"
  >;
  /** Prefix of every physical name (projects, app stacks). @default "silkroute" */
  readonly prefix?: string;
  /** Artifact bucket ARN per Region: every deploy Region and the pipeline Region. */
  readonly artifactBucketArns: ByRegion;
  /** Artifact KMS key ARN per Region. */
  readonly artifactKeyArns: ByRegion;
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
  /** Every CodeBuild project the pipeline starts (build and every deploy project). */
  readonly buildProjectArns: Arns;
  /** Name of the pipeline, which EventBridge starts on pushes (it is created after these policies). */
  readonly pipelineName: string;
  /** The pr-preview project, the only one EventBridge may start. */
  readonly prPreviewProjectArn: pulumi.Input<string>;
  /** The environments in pipeline order; each has a role in `roles.deploy`. */
  readonly environments: readonly DeployEnvironmentArgs[];
  /** The environment pr-preview previews. @default the first environment */
  readonly previewEnvironment?: string;
  /**
   * pr-preview previews the preview environment's China target too: the
   * preview role then reads that environment's China deploy key and China app
   * stack (never the `china` stack). Pull-request code then holds a China
   * deploy key: a choice, not a default. @default false
   */
  readonly previewChina?: boolean;
  /**
   * The seed's `/US/…` parameters the build and deploy roles read; not the
   * cross-account role parameters, which only their own environment's deploy
   * role reads (crossAccountParameterArn).
   */
  readonly seedParameterArns: Arns;
  /**
   * The app boundary policy (AppBoundary) of this account: the deploy roles
   * may create app roles and put their inline policies only with it set.
   */
  readonly appBoundaryArn: pulumi.Input<string>;
  /**
   * The bucket pr-preview uploads its result to (the pipeline Region's
   * artifact bucket): the preview role may write under PR_RESULT_FOLDER only.
   * @default none: pr-preview uploads no result
   */
  readonly previewResultBucketArn?: pulumi.Input<string>;
  /**
   * What the app manages (appKinds.ts names) and the CloudFormation
   * transforms its template uses: the deploy roles' app statements are
   * generated from them. @default the sample app: its function, role and log group
   */
  readonly app?: { readonly kinds: readonly string[]; readonly transforms: readonly string[] };
}

const isKnown = <T>(v: pulumi.Input<T> | undefined): v is T =>
  v !== undefined && !pulumi.Output.isInstance(v) && !(v instanceof Promise);

const GLOBAL_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

function validateApp(args: PipelinePoliciesArgs): string | undefined {
  const prefix = args.prefix ?? DEFAULT_PREFIX;
  if (!/^[a-z][a-z0-9-]{1,23}$/.test(prefix)) {
    return `prefix must be 2-24 lower-case letters, digits or '-' (no wildcards), got ${prefix}`;
  }
  if (args.environments.length === 0) return "environments must list at least one environment";
  for (const env of args.environments) {
    if (args.roles.deploy[env.name] === undefined) {
      return `environment ${env.name} has no deploy role: give PipelineRoles every environment`;
    }
    const region = env.globalRegions.find((r) => !GLOBAL_REGION.test(r) || r.startsWith("cn-"));
    if (region !== undefined) {
      return `globalRegions of ${env.name} must be global Regions such as us-east-1 (China targets deploy with the China deploy user), got ${JSON.stringify(region)}`;
    }
    const missing = env.globalRegions.find((r) => args.artifactBucketArns[r] === undefined);
    if (missing !== undefined) {
      return `artifactBucketArns has no bucket in ${missing}, where ${env.name} deploys`;
    }
  }
  const preview = args.previewEnvironment;
  if (preview !== undefined && !args.environments.some((e) => e.name === preview)) {
    return `previewEnvironment ${preview} is not one of the environments`;
  }
  // A deploy role manages the roles `<prefix>-<env>-*`: were a pipeline role
  // among them, it could rewrite its own permissions.
  const roleNames = allRoleNames(args.roles.names);
  for (const env of args.environments) {
    const namePrefix = `${appPrefixOf(prefix, env.name)}-`;
    const clash = roleNames.find((n) => n.startsWith(namePrefix));
    if (clash !== undefined) {
      return `environment ${env.name} gives app roles named ${namePrefix}*, which would include the pipeline role ${clash}: rename the environment or use another prefix`;
    }
  }
  return undefined;
}

/** Validates PipelinePolicies args (the parts known before deployment). */
export function validatePipelinePoliciesArgs(args: PipelinePoliciesArgs): string | undefined {
  if (args.sourceType !== "codecommit" && args.sourceType !== "github") {
    return `sourceType must be codecommit or github, got ${String(args.sourceType)}`;
  }
  for (const key of ["artifactBucketArns", "artifactKeyArns"] as const) {
    if (Object.keys(args[key]).length === 0) return `${key} must name at least one Region's`;
  }
  if (isKnown(args.buildProjectArns) && args.buildProjectArns.length === 0) {
    return "buildProjectArns must list at least one ARN";
  }
  const values = [
    ...Object.values(args).flatMap((v) => (isKnown(v) && Array.isArray(v) ? v : [v])),
    ...Object.values(args.artifactBucketArns),
    ...Object.values(args.artifactKeyArns),
    ...args.environments.flatMap((e) => [
      e.crossAccountRoleArn,
      ...(isKnown(e.chinaParameterArns) ? e.chinaParameterArns : []),
    ]),
  ];
  if (values.some((v) => v === "*")) {
    return `an ARN is "*": that would grant access to every resource; name the resources`;
  }
  return validateApp(args);
}

/**
 * Least-privilege policies for the PipelineRoles: one aws.iam.RolePolicy per
 * role, and per environment a managed policy of its secrets. The documents
 * come from the pure functions of policyDocuments.ts; each is audited (no
 * wildcard actions, no `*` resources, IAM only on the app's roles and never
 * on a pipeline role, role creation only under the app boundary) before it is
 * attached.
 */
export class PipelinePolicies extends pulumi.ComponentResource {
  readonly codeBuild: aws.iam.RolePolicy;
  readonly codePipeline: aws.iam.RolePolicy;
  /** Per environment. */
  readonly deploy: Readonly<Record<string, aws.iam.RolePolicy>>;
  /** Per environment, a managed policy `<prefix>-deploy-<env>-secrets`. */
  readonly deploySecrets: Readonly<Record<string, aws.iam.Policy>>;
  /**
   * Per environment deploying into this account, the managed policies
   * `<prefix>-deploy-<env>-app-<n>` of its app stacks: as many as the app's
   * kinds fill.
   */
  readonly deployApp: Readonly<Record<string, aws.iam.Policy[]>>;
  readonly events: aws.iam.RolePolicy;
  readonly preview: aws.iam.RolePolicy;
  /** What the preview role reads of the preview environment's app stacks: `<prefix>-preview-app-<n>`. */
  readonly previewApp: aws.iam.Policy[];

  constructor(
    name: string,
    args: PipelinePoliciesArgs,
    opts: pulumi.ComponentResourceOptions = {},
  ) {
    super("silkroute:iam:PipelinePolicies", name, {}, opts);
    const problem = validatePipelinePoliciesArgs(args);
    if (problem) throw new pulumi.ResourceError(problem, this);

    const { roles } = args;
    const prefix = args.prefix ?? DEFAULT_PREFIX;
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
      prefix,
      environments: args.environments.map(environmentPolicyArgs),
      previewEnvironment:
        args.previewEnvironment ?? firstOf(args.environments, "environments").name,
      previewChina: args.previewChina ?? false,
      seedParameterArns: args.seedParameterArns,
      appBoundaryArn: args.appBoundaryArn,
      previewResultBucketArn: args.previewResultBucketArn,
      appKinds: args.app?.kinds ?? [],
      appTransforms: args.app?.transforms ?? [],
    }) as pulumi.Output<PolicyInputs>;
    // No document may let a role reach the pipeline's own roles.
    const pipelineRoleNames = pulumi.all(
      [
        roles.codeBuild,
        roles.codePipeline,
        ...Object.values(roles.deploy),
        roles.events,
        roles.preview,
      ].map((r) => r.name),
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
    const envNames = args.environments.map((e) => e.name);
    this.deploy = Object.fromEntries(
      envNames.map((env) => [
        env,
        attach(`deploy-${env}`, entryOf(roles.deploy, env, "the deploy role of environment"), (p) =>
          deployRolePolicy(p, env),
        ),
      ]),
    );
    this.deploySecrets = Object.fromEntries(
      envNames.map((env) => {
        const policy = new aws.iam.Policy(
          `${name}-deploy-${env}-secrets`,
          {
            // Named, so its ARN is known and the plan's rules can find it.
            name: deploySecretsPolicyName(prefix, env),
            description: `silkroute: what the ${env} deploy role reads that holds secrets: its China deploy key (by name) and its app stacks' state`,
            policy: audited(
              `deploy-${env}-secrets`,
              (p) => deployRoleSecretsPolicy(p, env),
              MAX_MANAGED_POLICY_CHARS,
            ),
          },
          { parent: this },
        );
        new aws.iam.RolePolicyAttachment(
          `${name}-deploy-${env}-secrets`,
          {
            role: entryOf(roles.deploy, env, "the deploy role of environment").name,
            policyArn: policy.arn,
          },
          { parent: this },
        );
        return [env, policy];
      }),
    );
    this.deployApp = Object.fromEntries(
      args.environments
        .filter((env) => env.crossAccountRoleArn === undefined)
        .map((env) => [env.name, this.appPolicies(name, args, env, audited)]),
    );
    this.events = attach("events", roles.events, eventsPolicy);
    this.preview = attach("preview", roles.preview, previewPolicy);
    this.previewApp = this.previewAppPolicies(name, args, audited);
    this.registerOutputs({});
  }

  /** The preview role's app reads, laid out before the ARNs are known. */
  private previewAppPolicies(
    name: string,
    args: PipelinePoliciesArgs,
    audited: Audited,
  ): aws.iam.Policy[] {
    const prefix = args.prefix ?? DEFAULT_PREFIX;
    const envName = args.previewEnvironment ?? firstOf(args.environments, "environments").name;
    const env = args.environments.find((e) => e.name === envName)!;
    if (env.crossAccountRoleArn !== undefined) return [];
    const layout = appPolicyLayout(
      {
        regions: env.globalRegions,
        appPrefixes: [appPrefixOf(prefix, env.name)],
        kinds: args.app?.kinds,
        transforms: args.app?.transforms,
        buckets: env.globalRegions.length,
      },
      appReadStatements,
    );
    return layout.map((_, i) => {
      const suffix = `preview-app-${i + 1}`;
      const policy = new aws.iam.Policy(
        `${name}-${suffix}`,
        {
          name: previewAppPolicyName(prefix, i + 1),
          description: `silkroute: what the preview role reads of the ${env.name} app stacks (${i + 1} of ${layout.length}), generated from the app`,
          policy: audited(
            suffix,
            (p) => itemAt(packStatements(previewAppStatements(p), layout), i, "preview app policy"),
            MAX_MANAGED_POLICY_CHARS,
          ),
        },
        { parent: this },
      );
      new aws.iam.RolePolicyAttachment(
        `${name}-${suffix}`,
        { role: args.roles.preview.name, policyArn: policy.arn },
        { parent: this },
      );
      return policy;
    });
  }

  /** The app policies of one environment, laid out before the ARNs are known. */
  private appPolicies(
    name: string,
    args: PipelinePoliciesArgs,
    env: DeployEnvironmentArgs,
    audited: Audited,
  ): aws.iam.Policy[] {
    const prefix = args.prefix ?? DEFAULT_PREFIX;
    const layout = appPolicyLayout({
      regions: env.globalRegions,
      appPrefixes: [appPrefixOf(prefix, env.name)],
      kinds: args.app?.kinds,
      transforms: args.app?.transforms,
      buckets: env.globalRegions.length,
    });
    // One is the secrets policy's.
    if (layout.length > MAX_ATTACHED_POLICIES - 1) {
      throw new pulumi.ResourceError(
        `the app's kinds need ${layout.length} managed policies for the ${env.name} deploy role, more than IAM attaches to a role (${MAX_ATTACHED_POLICIES}, one of them its secrets policy): manage fewer kinds`,
        this,
      );
    }
    return layout.map((_, i) => {
      const suffix = `deploy-${env.name}-app-${i + 1}`;
      const policy = new aws.iam.Policy(
        `${name}-${suffix}`,
        {
          name: deployAppPolicyName(prefix, env.name, i + 1),
          description: `silkroute: the ${env.name} deploy role's app stacks in this account (${i + 1} of ${layout.length}), generated from the app`,
          policy: audited(
            suffix,
            (p) =>
              itemAt(
                packStatements(deployRoleAppStatements(p, env.name), layout),
                i,
                "deploy app policy",
              ),
            MAX_MANAGED_POLICY_CHARS,
          ),
        },
        { parent: this },
      );
      new aws.iam.RolePolicyAttachment(
        `${name}-${suffix}`,
        {
          role: entryOf(args.roles.deploy, env.name, "the deploy role of environment").name,
          policyArn: policy.arn,
        },
        { parent: this },
      );
      return policy;
    });
  }
}
