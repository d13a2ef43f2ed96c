import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

/** Every config key silkroute reads lives under this namespace. */
export const NAMESPACE = "silkroute";

/** A config value that failed validation; the message is one line a person can act on. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** An example value per config path (array indices written `[]`), used in the fix command. */
export type Examples = Readonly<Record<string, string>>;

/**
 * Reads the keys of `schema` from the stack's config, validates them and
 * returns the typed result. Throws a ConfigError naming the key, the value
 * received and the `pulumi config set` command that fixes it (with
 * `--stack <stack>` when given).
 */
export function readConfig<S extends z.ZodObject>(
  schema: S,
  examples: Examples,
  source: (key: string) => string | undefined = pulumiConfigSource(),
  stack?: string,
): z.output<S> {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = source(key);
    if (value !== undefined) raw[key] = parseValue(value);
  }
  const result = schema.safeParse(raw, { reportInput: true });
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => describeIssue(issue, raw, examples, stack)).join("\n"),
  );
}

function pulumiConfigSource(): (key: string) => string | undefined {
  const config = new pulumi.Config(NAMESPACE);
  return (key) => config.get(key);
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

function describeIssue(
  issue: z.core.$ZodIssue,
  raw: Record<string, unknown>,
  examples: Examples,
  stack: string | undefined,
): string {
  const path = formatPath(issue.path);
  const key = `${NAMESPACE}:${path}`;
  if (issue.code === "invalid_key") {
    // A name of a map (a template parameter's): setting it again cannot fix it.
    const why = issue.issues[0]?.message ?? issue.message;
    return `${key}: the name ${JSON.stringify(String(issue.path.at(-1)))} ${why}. Run: ${removeCommand(path, stack)}, and set the value under such a name`;
  }
  const received = lookup(raw, issue.path);
  // A check across keys may know a value that fits better than the key's example.
  const own =
    issue.code === "custom"
      ? (issue.params as { example?: unknown; remove?: boolean } | undefined)
      : undefined;
  // An entry that should not be there at all (a duplicate): remove it.
  if (own?.remove === true) {
    return `${key} ${issue.message}, got ${JSON.stringify(lookup(raw, issue.path))}. Run: ${removeCommand(path, stack)}`;
  }
  const fix = fixCommand(
    path,
    examples,
    stack,
    typeof own?.example === "string" ? own.example : undefined,
  );
  if (received === undefined) {
    const why = issue.code === "custom" ? ` (${issue.message})` : "";
    return `${key} is missing${why}. Run: ${fix}`;
  }
  return `${key} ${issue.message}, got ${JSON.stringify(received)}. Run: ${fix}`;
}

/**
 * The `pulumi config set` command that sets the key at `path`
 * (`environments[0].name`) to its example: `--path` for a nested key, whose
 * value the CLI stores as a number or boolean when it looks like one.
 */
export function fixCommand(
  path: string,
  examples: Examples,
  stack?: string,
  example: string = exampleOf(path, examples),
): string {
  const key = `${NAMESPACE}:${path}`;
  const set = `pulumi config set ${/[.[]/.test(path) ? `--path '${key}'` : key} ${example}`;
  return stack === undefined ? set : `${set} --stack ${stack}`;
}

/** The `pulumi config rm` command that removes the key at `path` (`app.cloudformation.parameters.Stage`). */
export function removeCommand(path: string, stack?: string): string {
  const key = `${NAMESPACE}:${path}`;
  const rm = `pulumi config rm ${/[.[]/.test(path) ? `--path '${key}'` : key}`;
  return stack === undefined ? rm : `${rm} --stack ${stack}`;
}

/**
 * The example of a path: its own, or for a value of a map, whose keys are
 * names the user chooses (`app.cloudformation.parameters.Stage`), the map's
 * (`app.cloudformation.parameters.<name>`).
 */
function exampleOf(path: string, examples: Examples): string {
  const general = path.replace(/\[\d+\]/g, "[]");
  return examples[general] ?? examples[general.replace(/\.[^.[\]]+$/, ".<name>")] ?? "<value>";
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`))
    .join("");
}

function lookup(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const p of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[p];
  }
  return current;
}

// Shared field schemas.
export const awsRegion = z
  .string()
  .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { error: "must be an AWS Region such as us-east-1" });

export const globalRegion = awsRegion.refine((r) => !r.startsWith("cn-"), {
  error: "must be a global Region (the China Regions are configured as chinaRegion)",
});

export const chinaRegion = z.enum(["cn-north-1", "cn-northwest-1"], {
  error: "must be cn-north-1 or cn-northwest-1",
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

export const accountId = z
  .string()
  .regex(/^\d{12}$/, { error: "must be a 12-digit AWS account id (quote it in YAML)" });

export const ssmName = z
  .string()
  .regex(/^\/[A-Za-z0-9_.\-/]+$/, { error: "must be an SSM parameter name starting with /" });

export const resourcePrefix = z.string().regex(/^[a-z][a-z0-9-]{1,23}$/, {
  error: "must be 2-24 lower-case letters, digits or '-', starting with a letter",
});

/** A top-level true/false key (Pulumi hands scalars over as strings). */
export const flag = z.stringbool({ error: "must be true or false" });

/** Days noncurrent object versions are kept in silkroute's buckets; default 90. */
export const noncurrentVersionDays = z.coerce
  .number()
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
