import { z } from "zod";
import { chinaBootstrapParameterNames, defaultChinaParameterPrefix } from "../../components/naming";
import { MAX_ROTATION_DAYS } from "../../components/rotation";
import { commandOf, ConfigPath } from "./edits";
import { Examples } from "./suggest";
import {
  accountId,
  ACCOUNT_ID,
  chinaRegion,
  ConfigError,
  ConfigSource,
  envName,
  envNameSuggestions,
  globalRegion,
  globalRegionSuggestions,
  NAMESPACE,
  readConfig,
  ssmName,
  noncurrentVersionDays,
  uniqueEnvironmentNames,
  environmentNamesApart,
  accessLogRetentionDays,
} from "./read";

const environment = z.strictObject({
  /** Environment name; must be an environment of the global stack with china: true. */
  name: envName,
  /**
   * SSM names (in the global account, pipeline Region) of the China account's
   * bootstrap access key, created once by hand. The china stack's aws-cn
   * provider signs in with it.
   */
  bootstrap: z.strictObject({
    accessKeyIdParameter: ssmName,
    secretAccessKeyParameter: ssmName,
  }),
  /** The China account these bootstrap credentials must belong to; default any (not checked). */
  accountId: z.coerce.string().pipe(accountId).optional(),
  /** SSM prefix the deploy key is written under; default `/China/<Env>` (seed). */
  parameterPrefix: ssmName.optional(),
  /** Days a deploy key lives before the next `pulumi up` replaces it; default 30, at most 30. */
  keyRotationDays: z.coerce
    .number({ error: `must be a whole number of days from 1 to ${MAX_ROTATION_DAYS}` })
    .int({ error: `must be a whole number of days from 1 to ${MAX_ROTATION_DAYS}` })
    .min(1, { error: `must be a whole number of days from 1 to ${MAX_ROTATION_DAYS}` })
    .max(MAX_ROTATION_DAYS, {
      error: `must be a whole number of days from 1 to ${MAX_ROTATION_DAYS}`,
    })
    .default(MAX_ROTATION_DAYS),
  /** Change (or set) to force a new deploy key on the next `pulumi up`; default none. */
  rotationNonce: z.string().min(1).optional(),
});

export const chinaConfigSchema = z
  .strictObject({
    /** Name of the global stack in this project, read through a StackReference; default global. */
    globalStack: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,100}$/, { error: "must be a stack name such as global" })
      .default("global"),
    /** Region of the global account's provider (SSM reads and writes); default us-east-1. */
    globalRegion: globalRegion.default("us-east-1"),
    /** China Region of the deploy accounts; default cn-north-1. */
    chinaRegion: chinaRegion.default("cn-north-1"),
    /** One entry per China environment, each with its own China account credentials. */
    environments: z.array(environment).min(1, { error: "must list at least one environment" }),
    /** Days noncurrent object versions are kept in the China artifact buckets; default 90. */
    noncurrentVersionDays,
    /** Days the artifact buckets' server access logs are kept in each China account's log bucket; default 365. */
    accessLogRetentionDays,
  })
  .superRefine(uniqueEnvironmentNames)
  .superRefine(environmentNamesApart)
  .superRefine(parameterPrefixesApart)
  .superRefine((cfg, ctx) => {
    // The app boundary policy is one per China account: with several
    // environments, the stack must know which of them share an account.
    if (cfg.environments.length < 2) return;
    cfg.environments.forEach((env, i) => {
      if (env.accountId === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["environments", i, "accountId"],
          message: "needed with more than one China environment, to tell which share an account",
        });
      }
    });
  });

/**
 * No two China environments write their deploy key under one SSM prefix: the
 * later one's key would overwrite the earlier one's, and each environment's
 * deploy identity reads only its own names.
 */
function parameterPrefixesApart(
  cfg: { readonly environments: readonly { name: string; parameterPrefix?: string }[] },
  ctx: z.RefinementCtx,
): void {
  const owners = new Map<string, string>();
  cfg.environments.forEach((env, i) => {
    const prefix = env.parameterPrefix ?? defaultChinaParameterPrefix(env.name);
    const owner = owners.get(prefix);
    if (owner !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["environments", i, "parameterPrefix"],
        input: env.parameterPrefix,
        message: `must differ from environment ${owner}'s, ${prefix}: each environment's deploy key is written under a prefix of its own`,
      });
    }
    owners.set(prefix, env.name);
  });
}

/** A China environment with its defaults resolved. */
export interface ChinaEnvironment {
  readonly name: string;
  readonly bootstrap: {
    readonly accessKeyIdParameter: string;
    readonly secretAccessKeyParameter: string;
  };
  readonly accountId?: string;
  readonly parameterPrefix: string;
  readonly keyRotationDays: number;
  readonly rotationNonce?: string;
}

export interface ChinaConfig {
  readonly globalStack: string;
  readonly globalRegion: string;
  readonly chinaRegion: string;
  readonly environments: readonly ChinaEnvironment[];
  readonly noncurrentVersionDays: number;
  readonly accessLogRetentionDays: number;
}

/** The sample's names of an environment's bootstrap key parameters (docs/china.md). */
function bootstrapParameters(env: string) {
  const base = defaultChinaParameterPrefix(env);
  return {
    accessKeyIdParameter: `${base}/Bootstrap/AccessKeyId`,
    secretAccessKeyParameter: `${base}/Bootstrap/SecretAccessKey`,
  };
}

/**
 * Values a fix command may set, per key: a safe value, values to try in
 * order, or a Placeholder where no value is safe to suggest (fix.ts).
 */
export const CHINA_CONFIG_EXAMPLES: Examples = {
  globalStack: "global",
  globalRegion: globalRegionSuggestions,
  environments: [{ name: "dev", bootstrap: bootstrapParameters("dev") }],
  "environments[].name": envNameSuggestions,
  "environments[].bootstrap": ({ entry }) => [bootstrapParameters(String(entry?.name ?? ""))],
  "environments[].bootstrap.accessKeyIdParameter": ({ entry }) => [
    bootstrapParameters(String(entry?.name ?? "")).accessKeyIdParameter,
  ],
  "environments[].bootstrap.secretAccessKeyParameter": ({ entry }) => [
    bootstrapParameters(String(entry?.name ?? "")).secretAccessKeyParameter,
  ],
  "environments[].accountId": ACCOUNT_ID,
  "environments[].parameterPrefix": ({ entry }) => [
    defaultChinaParameterPrefix(String(entry?.name ?? "")),
  ],
  "environments[].keyRotationDays": MAX_ROTATION_DAYS,
  // Today's date: a nonce no earlier key had, unless it was set today.
  "environments[].rotationNonce": () => [new Date().toISOString().slice(0, 10)],
  noncurrentVersionDays: "90",
  accessLogRetentionDays: "365",
};

/** Reads and validates the china stack's config once. */
export function loadChinaConfig(config?: ConfigSource): ChinaConfig {
  const cfg = readConfig(chinaConfigSchema, CHINA_CONFIG_EXAMPLES, "china", config);
  return {
    ...cfg,
    environments: cfg.environments.map((env) => ({
      ...env,
      parameterPrefix: env.parameterPrefix ?? defaultChinaParameterPrefix(env.name),
    })),
  };
}

/** The global stack's outputs the china stack reads. */
/** Outputs of the global stack the china program reads when they are there. */
export const GLOBAL_OUTPUTS_OPTIONAL = ["scheduledRotation"] as const;

export const GLOBAL_OUTPUTS_READ = [
  "prefix",
  "pipelineRegion",
  "chinaRegion",
  "environments",
  "parameterKeyArn",
  "app",
] as const;

/** What the china stack reads from the global stack's outputs. */
export interface GlobalStackOutputs {
  /** Prefix of every physical name; app stacks are named `<prefix>-<env>-…` in both partitions. */
  readonly prefix: string;
  readonly pipelineRegion: string;
  readonly chinaRegion: string;
  readonly environments: readonly {
    readonly name: string;
    readonly china: boolean;
    readonly chinaParameterPrefix: string;
  }[];
  /** KMS key (pipeline Region) that encrypts the /China/* SecureString parameters. */
  readonly parameterKeyArn: string;
  /** What the app manages and its functions use: the China deploy groups' app policies and boundaries. */
  readonly app: {
    readonly kinds: readonly string[];
    readonly transforms: readonly string[];
    readonly functionsUse: readonly string[];
  };
  /** The scheduled key rotation is on (absent from a global stack before it existed). */
  readonly scheduledRotation?: boolean;
}

/**
 * Checks the china config against the global stack's outputs; returns one
 * line per problem (empty when they agree). The global stack owns the
 * pipeline, so it is the one to change when they disagree.
 */
export function checkAgainstGlobal(
  cfg: ChinaConfig,
  outputs: Partial<Record<keyof GlobalStackOutputs, unknown>>,
): string[] {
  const ref = `stack ${cfg.globalStack}`;
  const missing = (GLOBAL_OUTPUTS_READ as readonly (keyof GlobalStackOutputs)[])
    .filter((key) => outputs[key] === undefined || outputs[key] === null)
    .map(
      (key) =>
        `The ${ref} has no output ${key}. Run: pulumi up --stack ${cfg.globalStack} (the global stack goes first)`,
    );
  if (missing.length > 0) return missing;
  if (!Array.isArray(outputs.environments)) {
    return [
      `The ${ref}'s output environments is not a list. Run: pulumi up --stack ${cfg.globalStack} with this version of silkroute`,
    ];
  }
  const global = outputs as unknown as GlobalStackOutputs;
  const problems: string[] = [];
  const set = (path: ConfigPath, value: string) =>
    commandOf({ op: "set", path, value }, NAMESPACE, "china");
  if (global.chinaRegion !== cfg.chinaRegion) {
    problems.push(
      `silkroute:chinaRegion is ${cfg.chinaRegion} but the ${ref} deploys China to ${global.chinaRegion}. Run: ${set(["chinaRegion"], global.chinaRegion)}`,
    );
  }
  if (global.pipelineRegion !== cfg.globalRegion) {
    problems.push(
      `silkroute:globalRegion is ${cfg.globalRegion} but the ${ref} runs the pipeline (and its SSM parameters) in ${global.pipelineRegion}. Run: ${set(["globalRegion"], global.pipelineRegion)}`,
    );
  }
  const chinaEnvs = global.environments.filter((e) => e.china);
  cfg.environments.forEach((env, i) => {
    const match = chinaEnvs.find((e) => e.name === env.name);
    if (match === undefined) {
      const known = chinaEnvs.length > 0 ? chinaEnvs.map((e) => e.name).join(", ") : "none";
      problems.push(
        `silkroute:environments[${i}].name ${env.name} is not a China environment of the ${ref} (China environments there: ${known}). Add it there with china: true and run pulumi up --stack ${cfg.globalStack}, or remove it from Pulumi.china.yaml`,
      );
    } else if (match.chinaParameterPrefix !== env.parameterPrefix) {
      problems.push(
        `silkroute:environments[${i}].parameterPrefix ${env.parameterPrefix} differs from the prefix the ${ref}'s deploy-china project reads (${match.chinaParameterPrefix}). Run: ${set(["environments", i, "parameterPrefix"], match.chinaParameterPrefix)}`,
      );
    } else if (global.scheduledRotation === true) {
      // The rotation role may read each environment's bootstrap key under these names only.
      const granted = chinaBootstrapParameterNames(match.chinaParameterPrefix);
      const names = [
        ["accessKeyIdParameter", env.bootstrap.accessKeyIdParameter, granted.accessKeyId],
        [
          "secretAccessKeyParameter",
          env.bootstrap.secretAccessKeyParameter,
          granted.secretAccessKey,
        ],
      ] as const;
      for (const [key, name, expected] of names.filter(([, n, e]) => n !== e)) {
        problems.push(
          `silkroute:environments[${i}].bootstrap.${key} ${name} is not where the ${ref}'s scheduled rotation may read the bootstrap key (${expected}). Move the parameter there and run: ${set(["environments", i, "bootstrap", key], expected)}`,
        );
      }
    }
  });
  return problems;
}

/** Throws a ConfigError (one line per problem) when the config and the global stack disagree. */
export function assertAgreesWithGlobal(
  cfg: ChinaConfig,
  outputs: Partial<Record<keyof GlobalStackOutputs, unknown>>,
): GlobalStackOutputs {
  const problems = checkAgainstGlobal(cfg, outputs);
  if (problems.length > 0) throw new ConfigError(problems.join("\n"));
  return outputs as unknown as GlobalStackOutputs;
}
