import { appStackName, CHINA_TARGET } from "../components/naming";
import { Environment, loadGlobalConfig, ResolvedGlobalConfig } from "../stacks/config/global";
import { CliError, ExitCode } from "./exitCodes";
import { readStackConfig } from "./plan/stackConfig";

/** One app stack the driver deploys: an environment in one global Region, or in China. */
export interface Target {
  readonly env: string;
  /** A global Region (`us-east-1`) or `china`. */
  readonly target: string;
  readonly region: string;
  /** `<env>-<target>`, e.g. `dev-us-east-1`, `dev-china`. */
  readonly stackName: string;
}

/** The selectors `--target` takes besides a Region name. */
export const TARGET_GROUPS = ["global", "china", "all"] as const;

export { CHINA_TARGET };

export function isChinaTarget(target: Target): boolean {
  return target.target === CHINA_TARGET;
}

/**
 * The global stack's config (Pulumi.global.yaml): the one source of environments and Regions.
 * `flat` is the file as read already (the plan reads it once).
 */
export function loadProjectConfig(
  projectDir: string,
  flat: Readonly<Record<string, string>> = readStackConfig(projectDir, "global"),
): ResolvedGlobalConfig {
  return loadGlobalConfig(flat);
}

/** The environment named `name`, or a usage error listing the valid ones. */
export function findEnvironment(cfg: ResolvedGlobalConfig, name: string): Environment {
  const env = cfg.environments.find((e) => e.name === name);
  if (env) return env;
  const valid = cfg.environments.map((e) => e.name).join(", ");
  throw new CliError(
    `unknown environment "${name}"; valid environments (Pulumi.global.yaml): ${valid}`,
    ExitCode.Usage,
  );
}

/** Every target of an environment: its global Regions in order, then China. */
export function targetsOf(cfg: ResolvedGlobalConfig, env: Environment): Target[] {
  const targets: Target[] = env.globalRegions.map((region) => ({
    env: env.name,
    target: region,
    region,
    stackName: appStackName(env.name, region),
  }));
  if (env.china) {
    targets.push({
      env: env.name,
      target: CHINA_TARGET,
      region: cfg.chinaRegion,
      stackName: appStackName(env.name, CHINA_TARGET),
    });
  }
  return targets;
}

/**
 * The targets `--target` selects: `global` (every global Region of the
 * environment), `china`, `all`, or one Region (the China Region names the
 * China target). Anything else is a usage error listing the valid values.
 */
export function selectTargets(
  cfg: ResolvedGlobalConfig,
  envName: string,
  selector: string,
): Target[] {
  const env = findEnvironment(cfg, envName);
  const all = targetsOf(cfg, env);
  const global = all.filter((t) => t.target !== CHINA_TARGET);
  const china = all.filter((t) => t.target === CHINA_TARGET);
  let selected: Target[];
  if (selector === "all") selected = all;
  else if (selector === "global") selected = global;
  else if (selector === CHINA_TARGET || selector === cfg.chinaRegion) selected = china;
  else selected = global.filter((t) => t.region === selector);
  if (selected.length > 0) return selected;
  const valid = [
    ...TARGET_GROUPS.filter((g) => g !== CHINA_TARGET || china.length > 0),
    ...global.map((t) => t.region),
  ];
  const why =
    china.length === 0 && (selector === CHINA_TARGET || selector === cfg.chinaRegion)
      ? ` (environment ${envName} has china: false)`
      : "";
  throw new CliError(
    `unknown target "${selector}" for environment ${envName}${why}; valid targets: ${valid.join(", ")}`,
    ExitCode.Usage,
  );
}
