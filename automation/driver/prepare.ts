import * as fs from "fs";
import * as path from "path";
import { SSMClient } from "@aws-sdk/client-ssm";
import type { AppTarget } from "../../stacks/app";
import { iamArn, partitionOf } from "../../components/partition";
import type { Environment, ResolvedGlobalConfig } from "../../stacks/config/global";
import { inlineAppProgram, StaticCredentials } from "../appProgram";
import { pipelineClientConfig } from "../awsClients";
import {
  chinaParameterNames,
  ChinaParameterFlags,
  readChinaAccess,
  readParameter,
} from "../credentials";
import { CliError, ExitCode } from "../exitCodes";
import type { PulumiRunner, StackSpec } from "../pulumi/runner";
import { BackendFlags, resolveWorkspaceSettings } from "../pulumi/settings";
import {
  findEnvironment,
  isChinaTarget,
  loadProjectConfig,
  selectTargets,
  Target,
} from "../targets";
import type { DriverContext } from "./context";

export interface TargetFlags {
  readonly env: string;
  readonly target: string;
}

export interface ProgramFlags extends ChinaParameterFlags {
  readonly artifactBucket?: string;
  readonly appVersion?: string;
}

export interface Selection {
  readonly cfg: ResolvedGlobalConfig;
  readonly targets: Target[];
}

/** Config and targets; a usage error for an unknown environment or target. No AWS call. */
export function selectFromConfig(ctx: DriverContext, flags: TargetFlags): Selection {
  const cfg = loadProjectConfig(ctx.projectDir);
  return { cfg, targets: selectTargets(cfg, flags.env, flags.target) };
}

/** The Pulumi runner, once the backend settings resolve and the CLI is found. No AWS call. */
export async function openRunner(ctx: DriverContext, flags: BackendFlags): Promise<PulumiRunner> {
  const settings = resolveWorkspaceSettings(flags, ctx.env, ctx.projectDir, ctx.redactor);
  const factory =
    ctx.services.pulumi ?? (await import("../pulumi/automationRunner")).createAutomationRunner;
  const runner = factory(settings);
  await runner.ensureCli();
  return runner;
}

/** Version deployed: --app-version, SILKROUTE_APP_VERSION, the CodeBuild commit, package.json. */
export function appVersion(ctx: DriverContext, flag: string | undefined): string {
  const version =
    flag ??
    ctx.env.SILKROUTE_APP_VERSION ??
    ctx.env.CODEBUILD_RESOLVED_SOURCE_VERSION ??
    packageVersion(ctx.projectDir);
  if (!/^[A-Za-z0-9._-]{1,128}$/.test(version)) {
    throw new CliError(
      `--app-version must be 1-128 letters, digits, '.', '_' or '-', got ${JSON.stringify(version)}`,
      ExitCode.Usage,
    );
  }
  return version;
}

function packageVersion(projectDir: string): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(projectDir, "package.json"), "utf8"));
    return typeof pkg.version === "string" ? pkg.version : "0.0.0";
  } catch {
    return "0.0.0";
  }
}

/**
 * The app program of every selected target, with what it needs read first:
 * the China key and bucket from SSM (verified at China STS) when a China
 * target is selected, the global artifact bucket when a global one is.
 * Any failure here is reported before a Pulumi operation starts.
 */
export async function buildSpecs(
  ctx: DriverContext,
  selection: Selection,
  flags: ProgramFlags & TargetFlags,
): Promise<Map<string, StackSpec>> {
  const { cfg, targets } = selection;
  const env = findEnvironment(cfg, flags.env);
  const version = appVersion(ctx, flags.appVersion);
  let china: { credentials: StaticCredentials; bucket: string } | undefined;
  if (targets.some(isChinaTarget)) {
    const access = await readChinaAccess({
      names: chinaParameterNames(env, flags, ctx.env),
      pipelineRegion: cfg.pipelineRegion,
      chinaRegion: cfg.chinaRegion,
      redactor: ctx.redactor,
      aws: ctx.services.aws,
    });
    ctx.io.err(`China deploy key verified in ${cfg.chinaRegion}: ${access.arn}`);
    china = access;
  }
  const globalBucket = targets.some((t) => !isChinaTarget(t))
    ? await globalArtifactBucket(ctx, cfg, flags.artifactBucket)
    : undefined;
  const specs = new Map<string, StackSpec>();
  for (const target of targets) {
    const appTarget: AppTarget = {
      env: target.env,
      target: target.target,
      region: target.region,
      artifactBucket: (isChinaTarget(target) ? china?.bucket : globalBucket) ?? "",
      version,
      ...(cfg.prefix !== "silkroute" && { prefix: `${cfg.prefix}-${target.env}` }),
    };
    const assumeRoleArn = isChinaTarget(target) ? undefined : crossAccountRole(env, target);
    specs.set(target.stackName, {
      stackName: target.stackName,
      program: inlineAppProgram(appTarget, isChinaTarget(target) ? china?.credentials : undefined, {
        assumeRoleArn,
      }),
    });
  }
  return specs;
}

/** --artifact-bucket, SILKROUTE_ARTIFACT_BUCKET, else the seed's SSM parameter in the pipeline Region. */
async function globalArtifactBucket(
  ctx: DriverContext,
  cfg: ResolvedGlobalConfig,
  flag: string | undefined,
): Promise<string> {
  const given = flag ?? ctx.env.SILKROUTE_ARTIFACT_BUCKET;
  if (given !== undefined && given !== "") return given;
  const ssm = new SSMClient(pipelineClientConfig(cfg.pipelineRegion, ctx.services.aws));
  try {
    return await readParameter(
      ssm,
      {
        name: cfg.ssmParameters.deploymentBucket,
        from: "default",
        fix: "create it with: pulumi up --stack global, or pass --artifact-bucket",
      },
      cfg.pipelineRegion,
    );
  } finally {
    ssm.destroy();
  }
}

/** The role a cross-account environment deploys through (global targets only). */
function crossAccountRole(env: Environment, target: Target): string | undefined {
  if (!env.crossAccount) return undefined;
  const { accountId, roleName } = env.crossAccount;
  return iamArn(partitionOf(target.region), accountId, `role/${roleName}`);
}
