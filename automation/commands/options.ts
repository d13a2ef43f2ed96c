import type { Argv } from "yargs";

/** Flags shared by the driver's commands; option groups keep --help readable. */

export function withTarget<T>(y: Argv<T>, defaultTarget?: string) {
  return y
    .option("env", {
      type: "string",
      demandOption: true,
      describe: "Environment from Pulumi.global.yaml (dev, stage, prod, …)",
    })
    .option("target", {
      type: "string",
      ...(defaultTarget === undefined ? { demandOption: true } : { default: defaultTarget }),
      describe: "global (every global Region of the environment), china, all, or one Region",
    });
}

/** `--env` and an optional `--target` (preview, where --stacks alone is enough). */
export function withOptionalTarget<T>(y: Argv<T>) {
  return withEnv(y).option("target", {
    type: "string",
    describe:
      "global (every global Region of the environment), china, all, or one Region; optional with --stacks",
  });
}

export function withEnv<T>(y: Argv<T>) {
  return y.option("env", {
    type: "string",
    demandOption: true,
    describe: "Environment from Pulumi.global.yaml (dev, stage, prod, …)",
  });
}

export function withBackend<T>(y: Argv<T>) {
  return y
    .option("backend", {
      type: "string",
      group: "State:",
      describe:
        "Pulumi backend URL [env PULUMI_BACKEND_URL; default file://<project>/.pulumi-state]",
    })
    .option("secrets-provider", {
      type: "string",
      group: "State:",
      describe:
        "Secrets provider, e.g. awskms://alias/<name>?region=us-east-1 [env SILKROUTE_SECRETS_PROVIDER; default passphrase]",
    });
}

export function withChinaParameters<T>(y: Argv<T>) {
  return y
    .option("access-key-parameter", {
      type: "string",
      group: "China deploy key (SSM parameter names):",
      describe:
        "Access key id [env USER_ACCESS_KEY_SSM; default <chinaParameterPrefix>/UserAccessKey]",
    })
    .option("secret-key-parameter", {
      type: "string",
      group: "China deploy key (SSM parameter names):",
      describe:
        "Secret key [env USER_SECRET_KEY_SSM; default <chinaParameterPrefix>/UserSecretKey]",
    })
    .option("bucket-parameter", {
      type: "string",
      group: "China deploy key (SSM parameter names):",
      describe:
        "China artifact bucket [env S3_BUCKET_SSM; default <chinaParameterPrefix>/DeploymentS3Bucket]",
    });
}

/** The China key parameters and the global Regions' artifact buckets: what an app program reads. */
export function withArtifactBuckets<T>(y: Argv<T>) {
  return withChinaParameters(y).option("artifact-bucket", {
    type: "string",
    array: true,
    requiresArg: true,
    group: "App:",
    describe:
      "Artifact bucket of a global Region, <region>=<bucket> (repeatable), or <bucket> when one global Region is selected [env SILKROUTE_ARTIFACT_BUCKET, one Region only; default for the pipeline Region: the SSM parameter ssmParameters.deploymentBucket]",
  });
}

export function withProgram<T>(y: Argv<T>) {
  return withArtifactBuckets(y).option("app-version", {
    type: "string",
    group: "App:",
    describe:
      "Version deployed [env SILKROUTE_APP_VERSION, else CODEBUILD_RESOLVED_SOURCE_VERSION, else package.json]",
  });
}

export function withJson<T>(y: Argv<T>, what: string) {
  return y.option("json", {
    type: "boolean",
    default: false,
    describe: `Print ${what} as JSON on stdout`,
  });
}

/** Parsed flags (yargs adds the camel-case names). */
export interface TargetArgs {
  env: string;
  target: string;
}
export interface BackendArgs {
  backend?: string;
  secretsProvider?: string;
}
export interface ChinaParameterArgs {
  accessKeyParameter?: string;
  secretKeyParameter?: string;
  bucketParameter?: string;
}
export interface ProgramArgs extends ChinaParameterArgs {
  artifactBucket?: string[];
  appVersion?: string;
}
export interface JsonArgs {
  json: boolean;
}
