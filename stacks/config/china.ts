import { z } from "zod";
import { chinaBootstrapParameterNames, defaultChinaParameterPrefix } from "../../components/naming";
import { MAX_ROTATION_DAYS } from "../../components/rotation";
import {
  accountId,
  chinaRegion,
  ConfigError,
  envName,
  Examples,
  globalRegion,
  readConfig,
  ssmName,
  noncurrentVersionDays,
  uniqueEnvironmentNames,
  environmentNamesApart,
  accessLogRetentionDays,
} from "./read";

const environment = z.object({
  /** Environment name; must be an environment of the global stack with china: true. */
  name: envName,
  /**
   * SSM names (in the global account, pipeline Region) of the China account's
   * bootstrap access key, created once by hand. The china stack's aws-cn
   * provider signs in with it.
   */
  bootstrap: z.object({
    accessKeyIdParameter: ssmName,
    secretAccessKeyParameter: ssmName,
  }),
  /** The China account these bootstrap credentials must belong to; default any (not checked). */
  accountId: z.coerce.string().pipe(accountId).optional(),
  /** SSM prefix the deploy key is written under; default `/China/<Env>` (seed). */
  parameterPrefix: ssmName
    .refine((p) => !p.endsWith("/"), { error: "must not end with /" })
    .optional(),
  /** Days a deploy key lives before the next `pulumi up` replaces it; default 30, at most 30. */
  keyRotationDays: z.coerce
    .number()
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
  .object({
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
  readonly chinaRegion: "cn-north-1" | "cn-northwest-1";
  readonly environments: readonly ChinaEnvironment[];
  readonly noncurrentVersionDays: number;
  readonly accessLogRetentionDays: number;
}

/** A working value per key, for the fix command of a config error (`pulumi config set …`). */
export const CHINA_CONFIG_EXAMPLES: Examples = {
  globalStack: "global",
  globalRegion: "us-east-1",
  chinaRegion: "cn-north-1",
  // A top-level value is stored as a string; the stack reads a JSON list from it.
  environments: `'[{"name":"dev","bootstrap":{"accessKeyIdParameter":"/China/Dev/Bootstrap/AccessKeyId","secretAccessKeyParameter":"/China/Dev/Bootstrap/SecretAccessKey"}}]'`,
  "environments[].name": "dev",
  "environments[].bootstrap.accessKeyIdParameter": "/China/Dev/Bootstrap/AccessKeyId",
  // The CLI refuses a plain value for a key named like a secret; this one holds only a name.
  "environments[].bootstrap.secretAccessKeyParameter":
    "--plaintext /China/Dev/Bootstrap/SecretAccessKey",
  // --path stores digits as a number; an account id is a string (and may start with 0).
  "environments[].accountId": "--type string 210987654321",
  "environments[].parameterPrefix": "/China/Dev",
  "environments[].keyRotationDays": "30",
  "environments[].rotationNonce": "2026-11-26",
  noncurrentVersionDays: "90",
  accessLogRetentionDays: "365",
};

/** Reads and validates the china stack's config once. */
export function loadChinaConfig(source?: (key: string) => string | undefined): ChinaConfig {
  const cfg = readConfig(chinaConfigSchema, CHINA_CONFIG_EXAMPLES, source, "china");
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
  if (global.chinaRegion !== cfg.chinaRegion) {
    problems.push(
      `silkroute:chinaRegion is ${cfg.chinaRegion} but the ${ref} deploys China to ${global.chinaRegion}. Run: pulumi config set silkroute:chinaRegion ${global.chinaRegion} --stack china`,
    );
  }
  if (global.pipelineRegion !== cfg.globalRegion) {
    problems.push(
      `silkroute:globalRegion is ${cfg.globalRegion} but the ${ref} runs the pipeline (and its SSM parameters) in ${global.pipelineRegion}. Run: pulumi config set silkroute:globalRegion ${global.pipelineRegion} --stack china`,
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
        `silkroute:environments[${i}].parameterPrefix ${env.parameterPrefix} differs from the prefix the ${ref}'s deploy-china project reads (${match.chinaParameterPrefix}). Run: pulumi config set --path 'silkroute:environments[${i}].parameterPrefix' ${match.chinaParameterPrefix} --stack china`,
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
          `silkroute:environments[${i}].bootstrap.${key} ${name} is not where the ${ref}'s scheduled rotation may read the bootstrap key (${expected}). Move the parameter there and run: pulumi config set --path 'silkroute:environments[${i}].bootstrap.${key}' ${expected} --stack china`,
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
