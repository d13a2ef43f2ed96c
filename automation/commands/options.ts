import type { Argv, Options } from "yargs";

/*
 * The kinds of flag every command uses, and the flags commands share; option
 * groups keep --help readable. A command declares each flag with one of the
 * kinds, so that it parses as every other flag of its kind does (flags.ts
 * checks what yargs does not).
 */

/** A flag of one value: given once, with a value. */
export function oneValue<O extends Options>(describe: string, more?: O) {
  return { type: "string" as const, requiresArg: true, describe, ...(more as O) };
}

/** A list: values comma-separated, the flag repeated, or both. */
export function listOf<O extends Options>(describe: string, more?: O) {
  return {
    type: "string" as const,
    array: true as const,
    nargs: 1,
    coerce: splitList,
    describe: `${describe} (comma-separated or repeated)`,
    ...(more as O),
  };
}

/** The values of a list flag: split at commas, trimmed, empty ones and repeats dropped. */
export function splitList(values: readonly unknown[]): string[] {
  const items = values.flatMap((v) => String(v).split(",")).map((v) => v.trim());
  return [...new Set(items.filter((v) => v !== ""))];
}

/** A switch: on when given, taking no value. */
export function aSwitch(describe: string) {
  return { type: "boolean" as const, default: false, describe };
}

/** A whole number from `min` to `max`, of `unit`s. */
export function wholeNumber(
  name: string,
  unit: string,
  range: { readonly min: number; readonly max?: number; readonly default: number },
  describe: string,
) {
  const expected = `a whole number of ${unit} from ${range.min}${range.max === undefined ? "" : ` to ${range.max}`}`;
  return {
    ...oneValue(
      `${describe} [${unit}, ${range.min}${range.max === undefined ? " or more" : `-${range.max}`}]`,
    ),
    default: range.default,
    coerce: (value: unknown): number => {
      if (typeof value === "number") return value;
      const n = /^\d+$/.test(String(value)) ? Number(value) : NaN;
      if (!(n >= range.min && n <= (range.max ?? Infinity))) {
        throw new Error(`--${name} must be ${expected}, got ${JSON.stringify(String(value))}`);
      }
      return n;
    },
  };
}

const ENV = oneValue("Environment from Pulumi.global.yaml (dev, stage, prod, …)", {
  demandOption: true as const,
});

export function withTarget<T>(y: Argv<T>, defaultTarget?: string) {
  return y.option("env", ENV).option(
    "target",
    oneValue("global (every global Region of the environment), china, all, or one Region", {
      ...(defaultTarget === undefined
        ? { demandOption: true as const }
        : { default: defaultTarget }),
    }),
  );
}

/** `--env` and an optional `--target` (preview, where --stacks alone is enough). */
export function withOptionalTarget<T>(y: Argv<T>) {
  return withEnv(y).option(
    "target",
    oneValue(
      "global (every global Region of the environment), china, all, or one Region; optional with --stacks",
    ),
  );
}

export function withEnv<T>(y: Argv<T>) {
  return y.option("env", ENV);
}

export function withBackend<T>(y: Argv<T>) {
  return y
    .option(
      "backend",
      oneValue(
        "Pulumi backend URL [env PULUMI_BACKEND_URL; default file://<project>/.pulumi-state]",
        { group: "State:" },
      ),
    )
    .option(
      "secrets-provider",
      oneValue(
        "Secrets provider, e.g. awskms://alias/<name>?region=us-east-1 [env SILKROUTE_SECRETS_PROVIDER; default passphrase]",
        { group: "State:" },
      ),
    );
}

const CHINA_KEY = { group: "China deploy key (SSM parameter names):" };

export function withChinaParameters<T>(y: Argv<T>) {
  return y
    .option(
      "access-key-parameter",
      oneValue(
        "Access key id [env USER_ACCESS_KEY_SSM; default <chinaParameterPrefix>/UserAccessKey]",
        CHINA_KEY,
      ),
    )
    .option(
      "secret-key-parameter",
      oneValue(
        "Secret key [env USER_SECRET_KEY_SSM; default <chinaParameterPrefix>/UserSecretKey]",
        CHINA_KEY,
      ),
    )
    .option(
      "bucket-parameter",
      oneValue(
        "China artifact bucket [env S3_BUCKET_SSM; default <chinaParameterPrefix>/DeploymentS3Bucket]",
        CHINA_KEY,
      ),
    );
}

/** The China key parameters and the global Regions' artifact buckets: what an app program reads. */
export function withArtifactBuckets<T>(y: Argv<T>) {
  return withChinaParameters(y).option(
    "artifact-bucket",
    listOf(
      "Artifact bucket of a global Region, <region>=<bucket>, or <bucket> when one global Region is selected [env SILKROUTE_ARTIFACT_BUCKET, one Region only; default for the pipeline Region: the SSM parameter ssmParameters.deploymentBucket]",
      { group: "App:" },
    ),
  );
}

export function withProgram<T>(y: Argv<T>) {
  return withArtifactBuckets(y).option(
    "app-version",
    oneValue(
      "Version deployed [env SILKROUTE_APP_VERSION, else CODEBUILD_RESOLVED_SOURCE_VERSION, else package.json]",
      { group: "App:" },
    ),
  );
}

export function withJson<T>(y: Argv<T>, what: string) {
  return y.option(
    "json",
    aSwitch(`Print ${what} as one JSON document on stdout (also on failure: {"ok": false, …})`),
  );
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
