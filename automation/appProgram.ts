/* eslint-disable @typescript-eslint/no-require-imports -- lazy loads: module node16 emits a
   require() as written, while an import() would stay an ECMAScript import (tsconfig.json). */
import * as path from "path";
import { appBoundaryPolicyName, appPrefixOf } from "../components/naming";
import { iamArn, partitionOf } from "../components/partition";
import type { AppTarget } from "../stacks/app";
import type { AppSource } from "../stacks/config/app";
import type { Environment, ResolvedGlobalConfig } from "../stacks/config/global";
import { isChinaTarget, Target } from "./targets";

/** China deploy credentials, held in memory only: never in a file, an argument or a child's environment. */
export interface StaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface InlineAppOptions {
  /** Role the provider assumes (cross-account environments). @default none: the caller's account */
  readonly assumeRoleArn?: string;
  /** The app (`silkroute:app`). @default the sample */
  readonly app?: AppSource;
  /** The folder the app's paths are relative to. @default the working folder */
  readonly projectDir?: string;
}

/**
 * The name of the app stack's provider. Never rename it: explicit provider
 * credentials live in its state, and a rename would replace every resource.
 */
export const APP_PROVIDER_NAME = "app";

/**
 * The app stack as an inline Pulumi program for one target: one explicit
 * `aws.Provider` in the target's Region and the app program on it. China keys
 * reach the provider only through this closure, as secret inputs — never as
 * stack config (passed as CLI arguments), environment variables or files.
 */
export function inlineAppProgram(
  target: AppTarget,
  credentials?: StaticCredentials,
  options: InlineAppOptions = {},
): () => Promise<Record<string, unknown>> {
  return async () => {
    // Loaded when Pulumi runs the program, not when the driver builds it (@pulumi/aws takes ~1 s).
    const aws = require("../components/aws") as typeof import("../components/aws");
    const pulumi = require("@pulumi/pulumi") as typeof import("@pulumi/pulumi");
    const { appProgram } = require("../stacks/app") as typeof import("../stacks/app");
    const provider = new aws.Provider(APP_PROVIDER_NAME, {
      region: target.region,
      ...(credentials && {
        accessKey: pulumi.secret(credentials.accessKeyId),
        secretKey: pulumi.secret(credentials.secretAccessKey),
      }),
      ...(options.assumeRoleArn && {
        assumeRoles: [
          {
            roleArn: options.assumeRoleArn,
            sessionName: `silkroute-${target.env}-${target.target}`,
          },
        ],
      }),
    });
    const app = options.app ?? { kind: "sample" };
    if (app.kind === "sample") return { ...appProgram(target, provider) };
    const baseDir = options.projectDir ?? process.cwd();
    const { targetContext } =
      require("../stacks/appContext") as typeof import("../stacks/appContext");
    const ctx = targetContext(target, provider, baseDir);
    if (app.kind === "cloudformation") {
      const { cloudformationApp } =
        require("../stacks/cfnApp") as typeof import("../stacks/cfnApp");
      return {
        ...cloudformationApp(ctx, {
          ...app,
          artifactBucket: String(target.artifactBucket),
          baseDir,
        }),
      };
    }
    // esbuild and the team's module load only for a program app.
    const { loadAppModule } = require("./app/loadModule") as typeof import("./app/loadModule");
    const outputs = await loadAppModule(path.resolve(baseDir, app.program))(ctx);
    return { ...outputs, version: outputs.version ?? target.version };
  };
}

/** What one deployment of a target takes besides the config. */
export interface TargetDeployment {
  /** The artifact bucket of the target's partition and Region. */
  readonly artifactBucket: string;
  /** The version (commit) being deployed; tagged on every resource. */
  readonly version: string;
  /** China targets: the deploy key, in memory. */
  readonly credentials?: StaticCredentials;
  /** Deploy the version's kept code zip instead of uploading the checkout (a rollback). @default false */
  readonly keptCode?: boolean;
  /** The project folder: the app's paths are relative to it. @default the working folder */
  readonly projectDir?: string;
}

/**
 * The inline program of one target, named the same way in the driver and the
 * offline plan: app names `<prefix>-<env>-…` (the scope the deploy role and
 * the China deploy user may touch), the `<prefix>-app-boundary` permissions
 * boundary both stacks create, and for a cross-account environment's global
 * targets the role the provider assumes.
 */
export function targetProgram(
  cfg: ResolvedGlobalConfig,
  env: Environment,
  target: Target,
  deployment: TargetDeployment,
): () => Promise<Record<string, unknown>> {
  const china = isChinaTarget(target);
  const appTarget: AppTarget = {
    env: target.env,
    target: target.target,
    region: target.region,
    artifactBucket: deployment.artifactBucket,
    version: deployment.version,
    prefix: appPrefixOf(cfg.prefix, target.env),
    permissionsBoundaryName: appBoundaryPolicyName(cfg.prefix),
    ...(deployment.keptCode === true && { keptCode: true }),
  };
  const assumeRoleArn =
    !china && env.crossAccount
      ? iamArn(
          partitionOf(target.region),
          env.crossAccount.accountId,
          `role/${env.crossAccount.roleName}`,
        )
      : undefined;
  return inlineAppProgram(appTarget, china ? deployment.credentials : undefined, {
    assumeRoleArn,
    app: cfg.app.source,
    projectDir: deployment.projectDir,
  });
}
