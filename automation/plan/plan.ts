/* eslint-disable @typescript-eslint/no-require-imports -- lazy loads: module node16 emits a
   require() as written, while an import() would stay an ECMAScript import (tsconfig.json). */
import type { Partition } from "../../components/partition";
import { checkAppTemplate } from "../../stacks/config/app";
import type { Environment, ResolvedGlobalConfig } from "../../stacks/config/global";
import type { AppStackChecks } from "../app/appChecks";
import { CliError, ExitCode } from "../exitCodes";
import type { Target } from "../targets";
import { createPolicies, POLICIES, Policy, runPolicies } from "../policies";
import { evaluateStack, EvaluatedStack, ORGANIZATION, PROJECT } from "./evaluate";
import { PLAN_ACCOUNTS, RecordedResource } from "./mocks";
import { maskSecrets } from "./secrets";
import { plural } from "./render";
import { readStackConfig } from "./stackConfig";
import {
  PLAN_SCHEMA_VERSION,
  PlanDocument,
  PlannedResource,
  PlannedRule,
  PlannedStack,
} from "./types";

export interface PlanOptions {
  /** Folder holding Pulumi.yaml and the Pulumi.<stack>.yaml files. */
  readonly projectDir: string;
  /** Keep full stack traces (slower: the Pulumi runtime records one per promise). @default false */
  readonly verbose?: boolean;
  /** Stacks to include (`global`, `china`, `app` for all app stacks, or one `app-<env>-<target>`); default all. */
  readonly stacks?: readonly string[];
  /** Told once, when every config is read and checked, what the plan does. @default none */
  readonly progress?: (line: string) => void;
}

/**
 * Evaluates the stacks asked for (default: every stack) and those they read
 * outputs of under the mock engine, in one process, in dependency order
 * (global → china → one app stack per environment and target), and judges
 * the ones asked for with the policy rules.
 */
export async function plan(options: PlanOptions): Promise<PlanDocument> {
  // The Pulumi runtime makes an Error in advance for every resource operation,
  // whose stack trace only --verbose prints (its promise records and source
  // positions are off while a stack is evaluated: withoutDiagnostics).
  const limit = Error.stackTraceLimit;
  if (!options.verbose) Error.stackTraceLimit = 0;
  try {
    return await planAll(options);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

async function planAll(options: PlanOptions): Promise<PlanDocument> {
  const { loadProjectConfig, targetsOf, isChinaTarget } =
    require("../targets") as typeof import("../targets");
  const { targetProgram } = require("../appProgram") as typeof import("../appProgram");
  const globalConfig = readStackConfig(options.projectDir, "global");
  const cfg = loadProjectConfig(options.projectDir, globalConfig);
  const apps: AppStack[] = cfg.environments.flatMap((env) =>
    targetsOf(cfg, env).map((target) => ({
      name: `app-${target.stackName}`,
      env,
      target,
      inChina: isChinaTarget(target),
    })),
  );
  const order = stacksToEvaluate(options.stacks, apps);
  // A template app's settings, before any stack runs: a config error, not a failed app stack.
  if (apps.some((a) => order.includes(a.name))) checkAppTemplate(cfg.app, options.projectDir);
  const files = ["global", ...(order.includes("china") ? ["china"] : [])]
    .map((s) => `Pulumi.${s}.yaml`)
    .join(" and ");
  const judged = order.filter((s) => isWanted(options.stacks, s)).length;
  const also =
    judged === order.length ? "" : `, and the ${order.length - judged} it reads outputs of,`;
  const opening = `Planning ${plural(judged, "stack")}${also} offline under Pulumi's mock engine, with the config of ${files}: no cloud is called, nothing is created or changed`;
  const policies = createPolicies({
    environments: cfg.environments,
    prefix: cfg.prefix,
    pipelineRegion: cfg.pipelineRegion,
    previewChina: cfg.previewChina,
    functionsUse: cfg.app.functionsUse,
    manages: cfg.app.manages,
  });

  // Loaded only for the stacks being evaluated: each pulls in its components.
  const global = order.includes("global")
    ? await evaluateGlobal(globalConfig, options.projectDir)
    : undefined;
  const chinaConfig = order.includes("china")
    ? readStackConfig(options.projectDir, "china")
    : undefined;
  const china = chinaConfig && (await evaluateChina(chinaConfig, global!));
  // Each China environment's app stack runs in that environment's China
  // account (Pulumi.china.yaml); a cross-account environment's global app
  // stacks show the account of the role their provider assumes (the mocks).
  const chinaAccounts = chinaConfig
    ? await chinaAccountsOf(chinaConfig)
    : new Map<string, string | undefined>();
  const evaluated: EvaluatedStack[] = [global, china].filter((s) => s !== undefined);
  // Per app stack evaluated, what its checks need: its target and the accounts of its plan.
  const appStacks = new Map<string, { app: AppStack; accounts: Record<Partition, string> }>();

  // stacksToEvaluate put global before every app stack, and china before China targets.
  for (const app of apps.filter((a) => order.includes(a.name))) {
    const artifactBucket = app.inChina
      ? (china!.outputs.environments as Record<string, { bucketName: string }>)[app.env.name]
          ?.bucketName
      : (global!.outputs.artifactBuckets as Record<string, string>)[app.target.region];
    if (artifactBucket === undefined) {
      throw new CliError(
        `environment ${app.env.name} deploys to China (Pulumi.global.yaml) but Pulumi.china.yaml has no entry for it: add one to silkroute:environments, or set china: false`,
        ExitCode.Usage,
      );
    }
    const accounts = {
      ...PLAN_ACCOUNTS,
      "aws-cn": chinaAccounts.get(app.env.name) ?? PLAN_ACCOUNTS["aws-cn"],
    };
    appStacks.set(app.name, { app, accounts });
    evaluated.push(
      await evaluateStack({
        stack: app.name,
        config: {},
        accounts,
        program: targetProgram(cfg, app.env, app.target, {
          artifactBucket,
          version: PLAN_VERSION,
          credentials: PLAN_CHINA_CREDENTIALS,
          projectDir: options.projectDir,
        }),
      }),
    );
  }
  // The pre-flight and the template lint, loaded only when an app stack is planned.
  const checker =
    appStacks.size > 0
      ? await appStackChecker(
          cfg,
          options.projectDir,
          { global: global!, china },
          [...appStacks.values()].some((a) => a.app.inChina),
        )
      : undefined;
  const stacks = evaluated
    .filter((s) => isWanted(options.stacks, s.name))
    .map((s) => {
      const planned = toPlannedStack(s, policies);
      const app = appStacks.get(s.name);
      if (app === undefined || checker === undefined) return planned;
      const checks = checker.check(app.app, app.accounts, planned.resources);
      return {
        ...planned,
        resources: [...planned.resources, ...checks.resources],
        violations: [...planned.violations, ...checks.violations],
      };
    });
  const rules: PlannedRule[] = [
    ...policies.map((p) => ({
      name: p.name,
      description: p.description,
      controls: p.controls ?? [],
    })),
    ...(checker?.rules ?? []),
  ];
  // Said once every config was read and checked: a config error is the one line a failure gets.
  options.progress?.(opening);
  return {
    schemaVersion: PLAN_SCHEMA_VERSION,
    summary: {
      stacks: stacks.length,
      resources: stacks.reduce((n, s) => n + s.resources.length, 0),
      violations: stacks.reduce((n, s) => n + s.violations.length, 0),
      rules: rules.length,
    },
    rules,
    stacks,
  };
}

/** Whether the stack `name` was asked for (every stack when none were named). */
function isWanted(asked: readonly string[] | undefined, name: string): boolean {
  return (
    asked === undefined || asked.some((s) => s === name || (s === "app" && name.startsWith("app-")))
  );
}

/**
 * The checks of a planned app stack beyond the policy rules (the pre-flight
 * against the identity that deploys it, a template's resources and its China
 * lint), given the evaluated global stack and, for China targets, the china
 * stack; and the rules those checks are, for the plan's list of rules.
 */
async function appStackChecker(
  cfg: ResolvedGlobalConfig,
  projectDir: string,
  stacks: { readonly global: EvaluatedStack; readonly china: EvaluatedStack | undefined },
  inChina: boolean,
): Promise<{
  readonly rules: readonly PlannedRule[];
  check(
    app: AppStack,
    accounts: Record<Partition, string>,
    planned: readonly PlannedResource[],
  ): AppStackChecks;
}> {
  const { appPermissionNeeds } =
    require("../../stacks/config/app") as typeof import("../../stacks/config/app");
  const { appCheckRules, appStackChecks, deployIdentity } =
    require("../app/appChecks") as typeof import("../app/appChecks");
  const needs = appPermissionNeeds(cfg.app, projectDir);
  return {
    rules: appCheckRules(cfg.app.source.kind, inChina),
    check: (app, accounts, planned) =>
      appStackChecks({
        cfg,
        env: app.env,
        target: app.target,
        needs,
        projectDir,
        planned,
        identity: deployIdentity(cfg, app.env, app.target, stacks, accounts),
        account: app.inChina
          ? accounts["aws-cn"]
          : (app.env.crossAccount?.accountId ?? accounts.aws),
      }),
  };
}

async function evaluateGlobal(
  config: Record<string, string>,
  projectDir: string,
): Promise<EvaluatedStack> {
  const { globalProgram } = require("../../stacks/global") as typeof import("../../stacks/global");
  return evaluateStack({ stack: "global", config, program: () => globalProgram({ projectDir }) });
}

async function evaluateChina(
  config: Record<string, string>,
  global: EvaluatedStack,
): Promise<EvaluatedStack> {
  const { chinaProgram } = require("../../stacks/china") as typeof import("../../stacks/china");
  return evaluateStack({
    stack: "china",
    config,
    program: () => chinaProgram(),
    stackOutputs: { [GLOBAL_STACK_REFERENCE]: global.outputs },
  });
}

/** Each China environment's account id, from Pulumi.china.yaml (when it names one). */
async function chinaAccountsOf(
  config: Record<string, string>,
): Promise<Map<string, string | undefined>> {
  const { loadChinaConfig } =
    require("../../stacks/config/china") as typeof import("../../stacks/config/china");
  const cfg = loadChinaConfig(config);
  return new Map(cfg.environments.map((e) => [e.name, e.accountId]));
}

/** One app stack of the config: an environment's target. */
export interface AppStack {
  /** `app-<env>-<target>` */
  readonly name: string;
  readonly env: Environment;
  readonly target: Target;
  /** Whether it deploys to China, and so takes its artifact bucket from the china stack. */
  readonly inChina: boolean;
}

/**
 * The stacks to evaluate, in order, for the stacks asked for (`undefined`: all): those, and
 * the ones they read outputs of. The china stack reads the global stack's outputs; an app stack
 * takes its artifact bucket from the global stack's outputs, or from the china stack's for a
 * China target. A name that is no stack of this config is a usage error listing the stacks.
 */
export function stacksToEvaluate(
  asked: readonly string[] | undefined,
  apps: readonly AppStack[],
): string[] {
  const all = ["global", "china", ...apps.map((a) => a.name)];
  const unknown = (asked ?? []).filter((s) => s !== "app" && !all.includes(s));
  if (unknown.length > 0) {
    throw new CliError(
      `unknown stack ${unknown.join(", ")}; this config plans: ${all.join(", ")} (or app for every app stack)`,
      ExitCode.Usage,
    );
  }
  if (asked === undefined) return all;
  const selectedApps = apps.filter((a) => asked.includes(a.name) || asked.includes("app"));
  const china = asked.includes("china") || selectedApps.some((a) => a.inChina);
  const global = china || asked.includes("global") || selectedApps.length > 0;
  return [
    ...(global ? ["global"] : []),
    ...(china ? ["china"] : []),
    ...selectedApps.map((a) => a.name),
  ];
}

/** The version the plan deploys: no commit is being built offline. */
const PLAN_VERSION = "plan";

/** Stand-ins for the China deploy key; the plan shows them as "[secret]". */
const PLAN_CHINA_CREDENTIALS = {
  accessKeyId: "plan-secret-access-key-id",
  secretAccessKey: "plan-secret-secret-access-key",
};

export const GLOBAL_STACK_REFERENCE = `${ORGANIZATION}/${PROJECT}/global`;

export function toPlannedStack(
  stack: EvaluatedStack,
  policies: readonly Policy[] = POLICIES,
): PlannedStack {
  const resources = stack.resources.map(toPlannedResource);
  return { name: stack.name, resources, violations: runPolicies(resources, policies) };
}

function toPlannedResource(r: RecordedResource): PlannedResource {
  return {
    urn: r.urn,
    id: r.id,
    type: r.type,
    name: r.name,
    parent: r.parent,
    region: r.region,
    partition: r.partition,
    provider: r.provider,
    custom: r.custom,
    inputs: maskSecrets(r.inputs) as Record<string, unknown>,
  };
}
