import type { Partition } from "../../components/partition";
import type { Environment } from "../../stacks/config/global";
import { CliError, ExitCode } from "../exitCodes";
import type { Target } from "../targets";
import { createPolicies, POLICIES, Policy, runPolicies } from "../policies";
import { evaluateStack, EvaluatedStack, ORGANIZATION, PROJECT } from "./evaluate";
import { PLAN_ACCOUNTS, RecordedResource } from "./mocks";
import { maskSecrets } from "./secrets";
import { readStackConfig } from "./stackConfig";
import { PlanDocument, PlannedResource, PlannedStack } from "./types";

export interface PlanOptions {
  /** Folder holding Pulumi.yaml and the Pulumi.<stack>.yaml files. */
  readonly projectDir: string;
  /** Keep full stack traces (slower: the Pulumi runtime records one per promise). @default false */
  readonly verbose?: boolean;
  /** Stacks to include (`global`, `china`, `app` for all app stacks, or one `app-<env>-<target>`); default all. */
  readonly stacks?: readonly string[];
}

/**
 * Evaluates every stack under the mock engine, in one process, in dependency
 * order (global → china → one app stack per environment and target), and
 * judges each with the policy rules.
 */
export async function plan(options: PlanOptions): Promise<PlanDocument> {
  // The Pulumi runtime records a stack trace for every promise it makes, for
  // leak reports the plan never prints: about a third of a large plan's time.
  const limit = Error.stackTraceLimit;
  if (!options.verbose) Error.stackTraceLimit = 0;
  try {
    return await planAll(options);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

async function planAll(options: PlanOptions): Promise<PlanDocument> {
  const wanted = (name: string) =>
    options.stacks === undefined ||
    options.stacks.some((s) => s === name || (s === "app" && name.startsWith("app-")));
  const [
    { globalProgram },
    { chinaProgram },
    { targetProgram },
    { loadProjectConfig, targetsOf, isChinaTarget },
    { loadChinaConfig },
  ] = await Promise.all([
    import("../../stacks/global"),
    import("../../stacks/china"),
    import("../appProgram"),
    import("../targets"),
    import("../../stacks/config/china"),
  ]);
  const cfg = loadProjectConfig(options.projectDir);
  const policies = createPolicies({
    environments: cfg.environments,
    prefix: cfg.prefix,
    pipelineRegion: cfg.pipelineRegion,
    previewChina: cfg.previewChina,
  });

  const global = await evaluateStack({
    stack: "global",
    config: readStackConfig(options.projectDir, "global"),
    program: () => globalProgram({ projectDir: options.projectDir }),
  });
  const chinaConfig = readStackConfig(options.projectDir, "china");
  const china = await evaluateStack({
    stack: "china",
    config: chinaConfig,
    program: () => chinaProgram(),
    stackOutputs: { [GLOBAL_STACK_REFERENCE]: global.outputs },
  });
  const evaluated: EvaluatedStack[] = [global, china];
  const { appPermissionNeeds } = await import("../../stacks/config/app");
  const needs = appPermissionNeeds(cfg.app, options.projectDir);
  // Per app stack, what to check it against once every stack is evaluated.
  const appStacks = new Map<
    string,
    { env: Environment; target: Target; accounts: Record<Partition, string> }
  >();

  // Each China environment's app stack runs in that environment's China
  // account (Pulumi.china.yaml); a cross-account environment's global app
  // stacks show the account of the role their provider assumes (the mocks).
  const chinaAccounts = new Map(
    loadChinaConfig((key) => chinaConfig[`silkroute:${key}`]).environments.map((e) => [
      e.name,
      e.accountId,
    ]),
  );
  const globalBuckets = global.outputs.artifactBuckets as Record<string, string>;
  const chinaEnvironments = china.outputs.environments as Record<string, { bucketName: string }>;
  for (const env of cfg.environments) {
    for (const target of targetsOf(cfg, env)) {
      const inChina = isChinaTarget(target);
      const artifactBucket = inChina
        ? chinaEnvironments[env.name]?.bucketName
        : globalBuckets[target.region];
      if (artifactBucket === undefined) {
        throw new CliError(
          `environment ${env.name} deploys to China (Pulumi.global.yaml) but Pulumi.china.yaml has no entry for it: add one to silkroute:environments, or set china: false`,
          ExitCode.Usage,
        );
      }
      const accounts = {
        ...PLAN_ACCOUNTS,
        "aws-cn": chinaAccounts.get(env.name) ?? PLAN_ACCOUNTS["aws-cn"],
      };
      appStacks.set(`app-${target.stackName}`, { env, target, accounts });
      evaluated.push(
        await evaluateStack({
          stack: `app-${target.stackName}`,
          config: {},
          accounts,
          program: targetProgram(cfg, env, target, {
            artifactBucket,
            version: PLAN_VERSION,
            credentials: PLAN_CHINA_CREDENTIALS,
            projectDir: options.projectDir,
          }),
        }),
      );
    }
  }
  const unknown = (options.stacks ?? []).filter(
    (s) => s !== "app" && !evaluated.some((e) => e.name === s),
  );
  if (unknown.length > 0) {
    throw new CliError(
      `unknown stack ${unknown.join(", ")}; this config plans: ${evaluated.map((s) => s.name).join(", ")} (or app for every app stack)`,
      ExitCode.Usage,
    );
  }
  const { appStackChecks, deployIdentity } = await import("../app/appChecks");
  return {
    stacks: evaluated
      .filter((s) => wanted(s.name))
      .map((s) => {
        const planned = toPlannedStack(s, policies);
        const app = appStacks.get(s.name);
        if (app === undefined) return planned;
        const { env, target, accounts } = app;
        const checks = appStackChecks({
          cfg,
          env,
          target,
          needs,
          projectDir: options.projectDir,
          planned: planned.resources,
          identity: deployIdentity(cfg, env, target, global, china, accounts),
          account: isChinaTarget(target)
            ? accounts["aws-cn"]
            : (env.crossAccount?.accountId ?? accounts.aws),
        });
        return {
          ...planned,
          resources: [...planned.resources, ...checks.resources],
          violations: [...planned.violations, ...checks.violations],
        };
      }),
  };
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
