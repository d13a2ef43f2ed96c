import { entryOf } from "./lookup";
import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { iamArn, Partition } from "./partition";

/** The seed's five `/US/…` parameters, by role (the `ssmParameters` config keys). */
export const SEED_KEYS = [
  "codeBuildRole",
  "codePipelineRole",
  "cloudformationRole",
  "deploymentBucket",
  "codeBuildImage",
] as const;

export type SeedKey = (typeof SEED_KEYS)[number];

export interface CrossAccountParameter {
  /** Parameter name; the seed uses `/US/Stage/CrossAccountStageRole` and `/US/Prod/CrossAccountStageRole`. */
  readonly parameterName: string;
  /** The 12-digit account the role lives in. */
  readonly accountId: string;
  /** The role the deploy project assumes there. */
  readonly roleName: string;
}

export interface SeedParametersArgs {
  /** Parameter name per seed key (config `ssmParameters`, seed defaults `/US/Dev/…`). */
  readonly names: Readonly<Record<SeedKey, string>>;
  /**
   * Value per seed key: the CodeBuild, CodePipeline and deploy role ARNs
   * (`cloudformationRole` is the deploy role), the artifact bucket name of the
   * pipeline Region and the CodeBuild image.
   */
  readonly values: Readonly<Record<SeedKey, pulumi.Input<string>>>;
  /** One `CrossAccountStageRole` parameter per cross-account environment. @default none */
  readonly crossAccountRoles?: readonly CrossAccountParameter[];
  /** Tags for every parameter. @default none */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

const DESCRIPTIONS: Record<SeedKey, string> = {
  codeBuildRole: "silkroute: ARN of the CodeBuild role",
  codePipelineRole: "silkroute: ARN of the CodePipeline role",
  cloudformationRole: "silkroute: ARN of the deploy role (the seed's CloudformationRole)",
  deploymentBucket: "silkroute: artifact bucket of the pipeline Region",
  codeBuildImage: "silkroute: CodeBuild image of every project",
};

const SSM_NAME = /^\/[A-Za-z0-9_.\-/]{1,1010}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/** A stable resource-name suffix from a parameter name: `/US/Stage/X` → `us-stage-x`. */
export function parameterSlug(parameterName: string): string {
  return parameterName
    .replace(/^\/+/, "")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .toLowerCase();
}

/** Validates SeedParameters args; returns the problem or undefined. */
export function validateSeedParametersArgs(args: SeedParametersArgs): string | undefined {
  const seen = new Set<string>();
  const named: [string, string][] = [
    ...SEED_KEYS.map((k): [string, string] => [`names.${k}`, args.names[k]]),
    ...(args.crossAccountRoles ?? []).map((r, i): [string, string] => [
      `crossAccountRoles[${i}].parameterName`,
      r.parameterName,
    ]),
  ];
  for (const [key, name] of named) {
    if (!SSM_NAME.test(name)) {
      return `${key} must be an SSM parameter name starting with /, got ${name}`;
    }
    if (seen.has(name)) return `${key} repeats the parameter name ${name}: each name is used once`;
    seen.add(name);
  }
  const slugs = new Set<string>();
  for (const [i, r] of (args.crossAccountRoles ?? []).entries()) {
    const slug = parameterSlug(r.parameterName);
    if (slugs.has(slug)) {
      return `crossAccountRoles[${i}].parameterName ${r.parameterName} differs from another only in case or punctuation`;
    }
    slugs.add(slug);
    if (!/^\d{12}$/.test(r.accountId)) {
      return `crossAccountRoles[${i}].accountId must be a 12-digit AWS account id, got ${r.accountId}`;
    }
    if (!ROLE_NAME.test(r.roleName)) {
      return `crossAccountRoles[${i}].roleName must be an IAM role name, got ${r.roleName}`;
    }
  }
  return undefined;
}

/**
 * The SSM parameters the seed walkthrough's pipeline reads: plain `String`
 * parameters (they hold ARNs and names, nothing secret) in the Standard tier.
 */
export class SeedParameters extends pulumi.ComponentResource {
  /** Every parameter, by parameter name. */
  readonly parameters: Readonly<Record<string, aws.ssm.Parameter>>;
  /** Parameter name → parameter ARN. */
  readonly arns: pulumi.Output<Record<string, string>>;
  /** The seed's own parameters (SEED_KEYS), without the cross-account role parameters. */
  readonly seedArns: pulumi.Output<string[]>;

  constructor(name: string, args: SeedParametersArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("silkroute:config:SeedParameters", name, {}, opts);
    const problem = validateSeedParametersArgs(args);
    if (problem) throw new pulumi.ResourceError(problem, this);

    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    const parameters: Record<string, aws.ssm.Parameter> = {};
    const parameter = (
      suffix: string,
      parameterName: string,
      value: pulumi.Input<string>,
      description: string,
    ) => {
      parameters[parameterName] = new aws.ssm.Parameter(
        `${name}-${suffix}`,
        {
          name: parameterName,
          type: "String",
          tier: "Standard",
          value,
          description,
          tags: args.tags,
        },
        { parent: this },
      );
    };

    for (const key of SEED_KEYS) {
      parameter(key, args.names[key], args.values[key], DESCRIPTIONS[key]);
    }
    for (const role of args.crossAccountRoles ?? []) {
      parameter(
        parameterSlug(role.parameterName),
        role.parameterName,
        partition.apply((p) => iamArn(p as Partition, role.accountId, `role/${role.roleName}`)),
        `silkroute: cross-account role ${role.roleName} in ${role.accountId}`,
      );
    }

    this.parameters = parameters;
    this.arns = pulumi.output(
      Object.fromEntries(Object.entries(parameters).map(([n, p]) => [n, p.arn])),
    );
    this.seedArns = pulumi.all(
      SEED_KEYS.map((key) => entryOf(parameters, args.names[key], "the seed parameter").arn),
    );
    this.registerOutputs({ arns: this.arns, seedArns: this.seedArns });
  }
}
