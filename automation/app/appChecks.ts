import * as path from "path";
import { BASE_KINDS } from "../../components/appKinds";
import { readTemplate } from "../../components/cfnTemplate";
import {
  appBoundaryPolicyName,
  appPrefixOf,
  chinaDeployerNames,
  deployRoleName,
} from "../../components/naming";
import { iamArn, Partition, partitionOf } from "../../components/partition";
import { appStackName } from "../../stacks/cfnApp";
import type { AppPermissionNeeds } from "../../stacks/config/app";
import type { Environment, ResolvedGlobalConfig } from "../../stacks/config/global";
import type { EvaluatedStack } from "../plan/evaluate";
import type { RecordedResource } from "../plan/mocks";
import type { PlannedResource, PlannedRule, Violation } from "../plan/types";
import { statementsOf } from "../policies/util";
import { isChinaTarget, Target } from "../targets";
import { PREFLIGHT_POLICY, PreflightIdentity, preflightViolations } from "./preflight";
import type { PreflightTarget } from "./types";
import { lintTemplate } from "./templateLint";
import { templateResources } from "./templateResources";

/*
 * The checks of an app stack that need more than its own resources: its
 * template's resources (a CloudFormation app), the pre-flight against the
 * identity that deploys the target (read from the planned global and china
 * stacks), and the template lint in China.
 */

export const TEMPLATE_LINT_POLICY = "cfn-template-china";

/**
 * The rules appStackChecks runs, as the plan lists them: the pre-flight for
 * every app stack, the template lint for a CloudFormation app's China targets.
 */
export function appCheckRules(
  source: ResolvedGlobalConfig["app"]["source"]["kind"],
  inChina: boolean,
): PlannedRule[] {
  return [
    {
      name: PREFLIGHT_POLICY,
      description:
        "The identity that deploys an app target may, by an IAM policy engine, take every action creating and updating each of the app's resources takes, on its ARN in the target's partition.",
      controls: [],
    },
    ...(source === "cloudformation" && inChina
      ? [
          {
            name: TEMPLATE_LINT_POLICY,
            description:
              "A CloudFormation app's template, for China targets: no ARN, host or Region of the global partition, no resource type or runtime the China Region lacks.",
            controls: [],
          },
        ]
      : []),
  ];
}

/**
 * The identity policies of a role or group: inline ones, and the managed ones
 * attached by name. As the planned JSON text: the IAM policy engine reads each
 * text once however many app stacks the identity deploys (simulate.ts).
 */
function policiesOf(
  resources: readonly RecordedResource[],
  holder: "role" | "group",
  name: string,
): unknown[] {
  const inlineType =
    holder === "role" ? "aws:iam/rolePolicy:RolePolicy" : "aws:iam/groupPolicy:GroupPolicy";
  const attachType =
    holder === "role"
      ? "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
      : "aws:iam/groupPolicyAttachment:GroupPolicyAttachment";
  const inline = resources
    .filter((r) => r.type === inlineType && r.inputs[holder] === name)
    .map((r) => r.inputs.policy);
  const attached = resources
    .filter((r) => r.type === attachType && r.inputs[holder] === name)
    .map((r) => String(r.inputs.policyArn).split("/").pop())
    .flatMap((policy) =>
      resources
        .filter((r) => r.type === "aws:iam/policy:Policy" && r.inputs.name === policy)
        .map((r) => r.inputs.policy),
    );
  return [...inline, ...attached].filter((d) => statementsOf(d).length > 0);
}

/** Who deploys a target: the China deploy group, the cross-account role, or the environment's deploy role. */
export function deployIdentity(
  cfg: ResolvedGlobalConfig,
  env: Environment,
  target: Target,
  stacks: { readonly global: EvaluatedStack; readonly china?: EvaluatedStack },
  accounts: Readonly<Record<Partition, string>>,
): PreflightIdentity {
  const { global, china } = stacks;
  const appPrefix = appPrefixOf(cfg.prefix, env.name);
  if (isChinaTarget(target)) {
    // plan's stacksToEvaluate evaluates the china stack before every China target.
    if (china === undefined) throw new Error(`no china stack planned for ${target.stackName}`);
    const names = chinaDeployerNames(appPrefix);
    const user = china.resources.find(
      (r) => r.type === "aws:iam/user:User" && r.inputs.name === names.user,
    );
    const userPath = typeof user?.inputs.path === "string" ? user.inputs.path : "/";
    return {
      label: `the ${env.name} China deploy group ${names.group}`,
      principal: iamArn("aws-cn", accounts["aws-cn"], `user${userPath}${names.user}`),
      policies: { identityPolicies: policiesOf(china.resources, "group", names.group) },
    };
  }
  if (env.crossAccount) {
    const requirements = (
      global.outputs.crossAccountRoles as Record<string, { appPolicies?: unknown[] }>
    )?.[env.name];
    return {
      label: `the ${env.name} cross-account role ${env.crossAccount.roleName} (with the global stack's crossAccountRoles.${env.name}.appPolicies)`,
      principal: iamArn(
        partitionOf(target.region),
        env.crossAccount.accountId,
        `role/${env.crossAccount.roleName}`,
      ),
      policies: { identityPolicies: requirements?.appPolicies ?? [] },
    };
  }
  const role = deployRoleName(cfg.prefix, env.name);
  return {
    label: `the ${env.name} deploy role ${role}`,
    principal: iamArn(partitionOf(target.region), accounts.aws, `role/${role}`),
    policies: { identityPolicies: policiesOf(global.resources, "role", role) },
  };
}

/** What one app stack adds to its plan: its template's resources and the checks' violations. */
export interface AppStackChecks {
  readonly resources: PlannedResource[];
  readonly violations: Violation[];
}

export interface AppStackInput {
  readonly cfg: ResolvedGlobalConfig;
  readonly env: Environment;
  readonly target: Target;
  readonly needs: AppPermissionNeeds;
  readonly projectDir: string;
  /** The app stack's planned resources (Pulumi's). */
  readonly planned: readonly PlannedResource[];
  readonly identity: PreflightIdentity;
  /** The account the target's provider deploys into. */
  readonly account: string;
  /** The runtime dates' today. @default now */
  readonly today?: Date;
}

/** The template resources, pre-flight and template lint of one app stack. */
export function appStackChecks(input: AppStackInput): AppStackChecks {
  const { cfg, env, target, projectDir } = input;
  const source = cfg.app.source;
  const appPrefix = appPrefixOf(cfg.prefix, env.name);
  const preflightTarget: PreflightTarget = {
    env: env.name,
    region: target.region,
    partition: partitionOf(target.region),
    account: input.account,
    appPrefix,
    kinds: [...new Set([...BASE_KINDS, ...input.needs.kinds])],
    manages: cfg.app.manages,
    ...(source.kind === "cloudformation" && {
      stackName: appStackName(appPrefix),
      parameters: {
        ...source.parameters,
        SilkrouteEnv: env.name,
        SilkrouteTarget: target.target,
        SilkroutePrefix: appPrefix,
        SilkroutePermissionsBoundary: iamArn(
          partitionOf(target.region),
          input.account,
          `policy/${appBoundaryPolicyName(cfg.prefix)}`,
        ),
      },
      transforms: input.needs.transforms,
    }),
  };
  if (source.kind !== "cloudformation") {
    return {
      resources: [],
      violations: preflightViolations(input.planned, input.identity, preflightTarget),
    };
  }
  const stack = input.planned.find((r) => r.type === "aws:cloudformation/stack:Stack");
  if (stack === undefined) return { resources: [], violations: [] };
  const template = readTemplate(path.resolve(projectDir, source.template));
  const fromTemplate = templateResources(stack, template, projectDir);
  const globals = (template.body.Globals ?? {}) as Record<string, unknown>;
  const violations = preflightViolations(
    [...input.planned, ...fromTemplate],
    input.identity,
    preflightTarget,
    globals,
  );
  if (isChinaTarget(target)) {
    for (const f of lintTemplate(
      template,
      target.region,
      (file) => path.relative(projectDir, file),
      { today: input.today },
    )) {
      violations.push({
        policy: TEMPLATE_LINT_POLICY,
        urn: stack.urn,
        message: `${f.file}:${f.line}: ${f.message}`,
      });
    }
  }
  return { resources: fromTemplate, violations };
}
