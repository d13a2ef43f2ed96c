import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { PULUMI_PROJECT } from "../../components/naming";
import { isChinaRegion, PARTITION_REGIONS } from "../../components/partition";
import { commandOf, ConfigPath } from "./edits";
import { describeIssues } from "./fix";
import { ExampleContext, Examples, Placeholder } from "./suggest";

/** Every config key silkroute reads lives under this namespace (the project's name). */
export const NAMESPACE = PULUMI_PROJECT;

/** Config that failed validation; the message has one line per problem, each a person can act on. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/**
 * The config of one stack as the Pulumi runtime hands it over: every key with
 * its namespace (`silkroute:prefix`), structured values as JSON.
 */
export type ConfigSource = Readonly<Record<string, string | undefined>>;

/**
 * Reads the `silkroute:` keys of `config` (default: the running Pulumi
 * program's) against `schema` and returns the typed result. Throws a
 * ConfigError with one line per problem: the key, the value received and the
 * `pulumi config` command that fixes it in the file of `stack` — or, for a key
 * no schema reads, the closest valid key.
 */
export function readConfig<S extends z.ZodType>(
  schema: S,
  examples: Examples,
  stack: string,
  config?: ConfigSource,
): z.output<S> {
  const source = config ?? pulumi.runtime.allConfig();
  const raw: Record<string, unknown> = {};
  const prefix = `${NAMESPACE}:`;
  for (const [key, value] of Object.entries(source)) {
    if (key.startsWith(prefix) && value !== undefined)
      raw[key.slice(prefix.length)] = parseValue(value);
  }
  const parse = { reportInput: true, error: plainMessage };
  const result = schema.safeParse(raw, parse);
  if (result.success) return result.data;
  const secrets = new Set(
    Object.keys(raw).filter((key) => isSecretKey(`${prefix}${key}`, config === undefined)),
  );
  const reading = { schema, examples, namespace: NAMESPACE, stack, raw, secrets, parse };
  throw new ConfigError(describeIssues(result.error.issues, reading).join("\n"));
}

/**
 * The `pulumi config set` command that stores `value` at `path` in the file of
 * `stack`, as the CLI reads it (edits.ts): for a check outside the schema (a
 * template's parameters, the pre-flight's kinds) that knows the value to set.
 */
export function setCommand(
  path: ConfigPath,
  value: string | number | boolean,
  stack: "global" | "china",
): string {
  const command = commandOf({ op: "set", path, value }, NAMESPACE, stack);
  if (command === undefined)
    throw new Error(`no command stores ${String(value)} at ${path.join(".")}`);
  return command;
}

/** The `pulumi config rm` command that removes the key at `path` from the file of `stack`. */
export function removeCommand(path: ConfigPath, stack: "global" | "china"): string {
  return commandOf({ op: "rm", path }, NAMESPACE, stack)!;
}

/**
 * Whether the running program's config holds `key` as a secret. The runtime
 * knows (the CLI passes the secret keys along) but does not declare it: where
 * it cannot tell, every value counts as secret.
 */
function isSecretKey(key: string, fromRuntime: boolean): boolean {
  if (!fromRuntime) return false;
  const runtime = pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean };
  return runtime.isConfigSecret?.(key) ?? true;
}

/** Structured values arrive as JSON; scalars stay strings (schemas coerce numbers). */
function parseValue(value: string): unknown {
  const trimmed = value.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return value;
    }
  }
  return value;
}

/** A plain message for zod's own issues (a schema's own message, where it has one, wins). */
function plainMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type":
      return TYPE_NAMES[issue.expected] ?? `must be a ${issue.expected}`;
    case "invalid_value":
      return `must be one of ${issue.values.map(String).join(", ")}`;
    case "too_small":
      if (issue.origin === "string") return "must not be empty";
      return `must be at least ${String(issue.minimum)}`;
    case "too_big":
      if (issue.origin === "string") return `must be at most ${String(issue.maximum)} characters`;
      return `must be at most ${String(issue.maximum)}`;
    default:
      return undefined;
  }
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  boolean: "must be true or false",
  array: "must be a list",
  object: "must be a map of keys and values",
  record: "must be a map of names and values",
  string: "must be text",
  number: "must be a number",
  int: "must be a whole number",
};

// Shared field schemas.

/** A Region of the `aws` partition (the SDK's partition data). */
export const globalRegion = z.enum(PARTITION_REGIONS.aws as [string, ...string[]], {
  error: "must be a Region of the aws partition (China's is silkroute:chinaRegion)",
});

/**
 * Regions to suggest for a global Region: for a China Region (a mistake of
 * partition, not of spelling), the default; else the nearest by spelling
 * (fix.ts takes those from the enum).
 */
export function globalRegionSuggestions(at: ExampleContext): string[] {
  return typeof at.received === "string" && isChinaRegion(at.received) ? ["us-east-1"] : [];
}

/** A Region of the `aws-cn` partition. */
export const chinaRegion = z.enum(PARTITION_REGIONS["aws-cn"] as [string, ...string[]], {
  error: `must be a Region of the aws-cn partition: ${PARTITION_REGIONS["aws-cn"].join(" or ")}`,
});

/**
 * An environment name: lower-case words joined by single hyphens, at most 16
 * characters. No trailing or doubled hyphen: the seed's SSM names drop them
 * (`dev-` and `dev` would both be `/China/Dev`, `pre--prod` and `pre-prod`
 * both `/China/PreProd`).
 */
export const envName = z.string().regex(/^(?=.{1,16}$)[a-z][a-z0-9]*(-[a-z0-9]+)*$/, {
  error:
    "must be at most 16 lower-case letters and digits, starting with a letter, in words joined by single '-' (dev, pre-prod)",
});

/**
 * Names to suggest for an environment: the name given made valid, then that
 * with a digit (for a name defined twice), then the seed's. The fix keeps the
 * first the config takes, never another environment's.
 */
export function envNameSuggestions(at: ExampleContext): string[] {
  const given = typeof at.received === "string" ? at.received : "";
  const valid = given
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^[^a-z]+/, "")
    .slice(0, 15)
    .replace(/-+$/, "");
  const seed = ["dev", "stage", "prod"];
  return valid === "" ? seed : [valid, ...[2, 3, 4].map((n) => `${valid}${n}`), ...seed];
}

/** An AWS account id: 12 digits, as a string (YAML reads an unquoted one as a number). */
export const accountId = z
  .string({ error: "must be a 12-digit AWS account id, quoted in YAML" })
  .regex(/^\d{12}$/, { error: "must be a 12-digit AWS account id (quote it in YAML)" });

/** No safe value exists for an account id: the line says which account's to set. */
export const ACCOUNT_ID: Placeholder = {
  placeholder: "<account-id>",
  what: "the 12-digit id of that account",
  sample: "111111111111",
};

/**
 * An SSM parameter name of a hierarchy (`/China/Dev`): 1 to 15 levels of
 * a-zA-Z0-9_.- at most 1011 characters, no trailing '/', not under the names
 * AWS reserves (aws, ssm, any case).
 */
export const ssmName = z
  .string({ error: "must be an SSM parameter name starting with /" })
  .max(1011, { error: "must be an SSM parameter name of at most 1011 characters" })
  .regex(/^(\/[A-Za-z0-9_.-]+){1,15}$/, {
    error:
      "must be an SSM parameter name: '/' and up to 15 levels of letters, digits, '_', '.' or '-' (no trailing '/')",
  })
  .refine((name) => !/^\/(aws|ssm)/i.test(name), {
    error: "must not start with /aws or /ssm, which AWS reserves",
  });

export const resourcePrefix = z.string().regex(/^[a-z][a-z0-9-]{1,23}$/, {
  error: "must be 2-24 lower-case letters, digits or '-', starting with a letter",
});

/** A top-level true/false key (Pulumi hands scalars over as strings). */
export const flag = z.stringbool({ error: "must be true or false" });

/** Days noncurrent object versions are kept in silkroute's buckets; default 90. */
export const noncurrentVersionDays = z.coerce
  .number({ error: "must be a whole number of days" })
  .int({ error: "must be a whole number of days" })
  .min(1, { error: "must be at least 1 day" })
  .max(3650, { error: "must be at most 3650 days" })
  .default(90);

/**
 * Days the S3 server access logs are kept in the log buckets; default 365
 * (the AccessLogBucket's own default).
 */
export const accessLogRetentionDays = z.coerce
  .number({ error: "must be a whole number of days" })
  .int({ error: "must be a whole number of days" })
  .min(1, { error: "must be at least 1 day" })
  .max(3650, { error: "must be at most 3650 days" })
  .default(365);

/** A superRefine check: no two entries of `environments` share a name. */
export function uniqueEnvironmentNames(
  cfg: { readonly environments: readonly { readonly name: string }[] },
  ctx: z.RefinementCtx,
): void {
  const seen = new Set<string>();
  cfg.environments.forEach((env, i) => {
    if (seen.has(env.name)) {
      ctx.addIssue({
        code: "custom",
        path: ["environments", i, "name"],
        message: "is defined twice",
        input: env.name,
      });
    }
    seen.add(env.name);
  });
}

/**
 * A superRefine check: no environment's name starts with another's and a
 * '-'. An environment's deploy identity manages the app resources named
 * `<prefix>-<env>-*`: with dev and dev-eu, dev's would reach dev-eu's
 * function, role and log group (`<prefix>-dev-eu-fn`), and dev-eu's dev's
 * role in eu-west-1 (`<prefix>-dev-eu-west-1-fn`), so one stage could replace
 * another's function without its approval.
 */
export function environmentNamesApart(
  cfg: { readonly environments: readonly { readonly name: string }[] },
  ctx: z.RefinementCtx,
): void {
  cfg.environments.forEach((env, i) => {
    const shorter = cfg.environments.find((o) => env.name.startsWith(`${o.name}-`));
    if (shorter === undefined) return;
    const rest = env.name.slice(shorter.name.length + 1);
    ctx.addIssue({
      code: "custom",
      path: ["environments", i, "name"],
      input: env.name,
      params: { example: `${rest}-${shorter.name}`.slice(0, 16).replace(/-+$/, "") },
      message: `starts with ${shorter.name}-, the name of environment ${shorter.name} and a '-': the app resources of ${shorter.name} are named <prefix>-${shorter.name}-*, so each environment's deploy identity could change the other's app. Rename one of ${shorter.name} and ${env.name} so that neither starts with the other's name and a '-'`,
    });
  });
}
