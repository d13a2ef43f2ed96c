import * as fs from "fs";
import * as path from "path";
import { SSMClient } from "@aws-sdk/client-ssm";
import { appCodeFolder, appCodeKey, appPrefixOf } from "../../components/naming";
import { checkAppTemplate } from "../../stacks/config/app";
import type { ResolvedGlobalConfig } from "../../stacks/config/global";
import { StaticCredentials, targetProgram } from "../appProgram";
import { pipelineClientConfig } from "../awsClients";
import {
  resolveChinaParameters,
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
import {
  ARTIFACT_BUCKET_VARIABLE,
  ArtifactBucketPlan,
  planArtifactBuckets,
} from "./artifactBuckets";
import type { DriverContext } from "./context";
import type { CodeSite } from "./pruneCode";

export interface TargetFlags {
  readonly env: string;
  readonly target: string;
}

export interface ProgramFlags extends ChinaParameterFlags {
  /** `<bucket>` or `<region>=<bucket>`, repeatable (artifactBuckets.ts). */
  readonly artifactBucket?: string | readonly string[];
  readonly appVersion?: string;
}

/** A target's stack, and where its code zips live (for `deploy` to prune). */
export interface TargetSpec extends StackSpec {
  readonly code: CodeSite;
}

export interface SpecOptions {
  /** The programs deploy the version's kept code zip, never the checkout (a rollback). @default false */
  readonly keptCode?: boolean;
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

/** The Pulumi runner, once the backend settings resolve and the CLI is found. No call, no file. */
export async function openRunner(ctx: DriverContext, flags: BackendFlags): Promise<PulumiRunner> {
  const settings = resolveWorkspaceSettings(flags, ctx.env, ctx.projectDir, ctx.redactor);
  const factory =
    ctx.services.pulumi ??
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load (module node16)
    (require("../pulumi/automationRunner") as typeof import("../pulumi/automationRunner"))
      .createAutomationRunner;
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

/** What the flags say about the targets' programs, checked: the version, the artifact buckets. */
export interface ProgramPlan {
  readonly flags: ProgramFlags & TargetFlags;
  readonly version: string;
  readonly bucketPlan?: ArtifactBucketPlan;
}

/**
 * Checks what the app programs take — a template app's parameters and
 * capabilities against its template, the version, the artifact buckets —
 * without any call or file written: a usage error before anything starts.
 */
export function planPrograms(
  ctx: DriverContext,
  selection: Selection,
  flags: ProgramFlags & TargetFlags,
): ProgramPlan {
  const { cfg, targets } = selection;
  checkAppTemplate(cfg.app, ctx.projectDir);
  const env = findEnvironment(cfg, flags.env);
  const globalRegions = targets.filter((t) => !isChinaTarget(t)).map((t) => t.region);
  return {
    flags,
    version: appVersion(ctx, flags.appVersion),
    ...(globalRegions.length > 0 && {
      bucketPlan: planArtifactBuckets(
        globalRegions,
        env.globalRegions,
        cfg.pipelineRegion,
        listOf(flags.artifactBucket),
        ctx.env[ARTIFACT_BUCKET_VARIABLE],
      ),
    }),
  };
}

/**
 * The app program of every selected target, with what it needs read first:
 * the China key and bucket from SSM (verified at China STS) when a China
 * target is selected, the pipeline Region's artifact bucket when no flag
 * named it. Any failure here is reported before a Pulumi operation starts.
 */
export async function buildSpecs(
  ctx: DriverContext,
  selection: Selection,
  plan: ProgramPlan,
  options: SpecOptions = {},
): Promise<Map<string, TargetSpec>> {
  const { cfg, targets } = selection;
  const { flags, version, bucketPlan } = plan;
  const env = findEnvironment(cfg, flags.env);
  let china: { credentials: StaticCredentials; bucket: string } | undefined;
  if (targets.some(isChinaTarget)) {
    const access = await readChinaAccess({
      names: resolveChinaParameters(env, flags, ctx.env),
      pipelineRegion: cfg.pipelineRegion,
      chinaRegion: cfg.chinaRegion,
      redactor: ctx.redactor,
      aws: ctx.services.aws,
    });
    ctx.io.err(`China deploy key verified in ${cfg.chinaRegion}: ${access.arn}`);
    china = access;
  }
  const globalBuckets: Record<string, string> = { ...bucketPlan?.given };
  if (bucketPlan?.fromParameter !== undefined) {
    globalBuckets[bucketPlan.fromParameter] = await pipelineArtifactBucket(ctx, cfg);
  }
  const specs = new Map<string, TargetSpec>();
  const appPrefix = appPrefixOf(cfg.prefix, env.name);
  for (const target of targets) {
    const inChina = isChinaTarget(target);
    const artifactBucket = (inChina ? china?.bucket : globalBuckets[target.region]) ?? "";
    specs.set(target.stackName, {
      stackName: target.stackName,
      program: targetProgram(cfg, env, target, {
        artifactBucket,
        version,
        credentials: china?.credentials,
        keptCode: options.keptCode,
        projectDir: ctx.projectDir,
      }),
      code: {
        bucket: artifactBucket,
        folder: appCodeFolder(appPrefix),
        key: appCodeKey(appPrefix, version),
        region: target.region,
        credentials: inChina ? china?.credentials : undefined,
      },
    });
  }
  return specs;
}

function listOf(value: string | readonly string[] | undefined): string[] {
  return value === undefined ? [] : typeof value === "string" ? [value] : [...value];
}

/** The pipeline Region's artifact bucket: the seed's SSM parameter (ssmParameters.deploymentBucket). */
async function pipelineArtifactBucket(
  ctx: DriverContext,
  cfg: ResolvedGlobalConfig,
): Promise<string> {
  const ssm = new SSMClient(pipelineClientConfig(cfg.pipelineRegion, ctx.services.aws));
  try {
    return await readParameter(
      ssm,
      {
        name: cfg.ssmParameters.deploymentBucket,
        from: "default",
        fix: `create it with: pulumi up --stack global, or pass --artifact-bucket ${cfg.pipelineRegion}=<bucket>`,
      },
      cfg.pipelineRegion,
    );
  } finally {
    ssm.destroy();
  }
}
