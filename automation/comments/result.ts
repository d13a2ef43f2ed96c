import * as z from "zod/mini";
import { stripAnsi } from "./text";
import type { TargetPreview } from "./types";

/*
 * The preview result: what the untrusted pr-preview build hands to the
 * trusted comment poster, as data. The build writes it (`silkroute preview
 * --result-file`); the poster reads it as untrusted text: at most
 * RESULT_LIMITS.bytes, checked against this schema, every field bounded.
 */

/** Names the document's format; a reader refuses any other. */
export const RESULT_SCHEMA = "silkroute.preview-result";
/** The format version this code writes and reads. */
export const RESULT_VERSION = 1;

/** Every bound of a result document: the writer keeps to them, the reader refuses what exceeds them. */
export const RESULT_LIMITS = {
  /** Size of the whole document in bytes: the poster reads no more. */
  bytes: 1_048_576,
  targets: 50,
  resourcesPerTarget: 500,
  violationsPerTarget: 100,
  /** Characters (UTF-16 code units) of a target name, resource type or resource name. */
  name: 256,
  /** Characters of an operation (create, update, …). */
  op: 32,
  /** Characters of one target's diff: a GitHub comment holds 65,536 in all. */
  diff: 65_536,
  error: 16_384,
  violation: 2_048,
  /** Largest resource count of one kind. */
  changes: 1_000_000,
} as const;

/** Environment names that can mark a comment (publish.ts refuses others). */
const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

// zod/mini: the same checks as zod, a fraction of its size in the poster's bundle.
const count = z.number().check(z.int(), z.minimum(0), z.maximum(RESULT_LIMITS.changes));
const text = (max: number) => z.string().check(z.maxLength(max));

const targetSchema = z.strictObject({
  name: z.string().check(z.minLength(1), z.maxLength(RESULT_LIMITS.name)),
  status: z.enum(["succeeded", "failed"]),
  changes: z.strictObject({
    create: count,
    update: count,
    replace: count,
    delete: count,
    same: count,
  }),
  resources: z
    .array(
      z.strictObject({
        op: text(RESULT_LIMITS.op),
        type: text(RESULT_LIMITS.name),
        name: text(RESULT_LIMITS.name),
      }),
    )
    .check(z.maxLength(RESULT_LIMITS.resourcesPerTarget)),
  diff: text(RESULT_LIMITS.diff),
  violations: z
    .array(text(RESULT_LIMITS.violation))
    .check(z.maxLength(RESULT_LIMITS.violationsPerTarget)),
  error: z.optional(text(RESULT_LIMITS.error)),
  notDeployed: z.optional(z.boolean()),
  fresh: z.optional(z.boolean()),
});

const resultSchema = z.strictObject({
  schema: z.literal(RESULT_SCHEMA),
  version: z.literal(RESULT_VERSION),
  env: z.string().check(z.regex(ENV_NAME)),
  previews: z.array(targetSchema).check(z.maxLength(RESULT_LIMITS.targets)),
});

/** A result document that passed the schema. */
export interface PreviewResult {
  readonly schema: typeof RESULT_SCHEMA;
  readonly version: typeof RESULT_VERSION;
  readonly env: string;
  readonly previews: readonly TargetPreview[];
}

export type ParsedResult =
  | { readonly ok: true; readonly result: PreviewResult }
  | { readonly ok: false; readonly problem: string };

/**
 * Where and why a document fails the schema, built from the schema's own
 * words only (paths of known keys, issue codes), never from the document's
 * content, so the answer is safe to show.
 */
function describe(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, 3).map((issue) => {
    const at = issue.path.length === 0 ? "the document" : issue.path.map(String).join(".");
    return `${at}: ${issue.code.replace(/_/g, " ")}`;
  });
  const more = issues.length > shown.length ? ` (and ${issues.length - shown.length} more)` : "";
  return `${shown.join("; ")}${more}`;
}

/**
 * Reads a result document: JSON, of this schema and version, every field within
 * RESULT_LIMITS. Never throws; a problem says what is wrong without quoting the text.
 */
export function parseResult(textValue: string): ParsedResult {
  let data: unknown;
  try {
    data = JSON.parse(textValue);
  } catch {
    return { ok: false, problem: "the result is not JSON" };
  }
  const head = data as { schema?: unknown; version?: unknown } | null;
  if (typeof head !== "object" || head === null || head.schema !== RESULT_SCHEMA) {
    return { ok: false, problem: `the result is not a ${RESULT_SCHEMA} document` };
  }
  if (head.version !== RESULT_VERSION) {
    const version = typeof head.version === "number" ? String(head.version) : "unknown";
    return {
      ok: false,
      problem: `the result has format version ${version}, this poster reads version ${RESULT_VERSION}: deploy the global stack from the silkroute version the pull request uses`,
    };
  }
  const parsed = resultSchema.safeParse(data);
  if (!parsed.success) {
    return {
      ok: false,
      problem: `the result fails its schema at ${describe(parsed.error.issues)}`,
    };
  }
  return { ok: true, result: parsed.data };
}

const cut = (value: string, max: number) => (value.length <= max ? value : value.slice(0, max));

/** One preview within the limits, its diff at most `diffChars` and the rest scaled by `detail`. */
function bounded(p: TargetPreview, diffChars: number, detail: 1 | 0): TargetPreview {
  const resources = detail === 1 ? RESULT_LIMITS.resourcesPerTarget : 20;
  const violationChars = detail === 1 ? RESULT_LIMITS.violation : 256;
  return {
    name: p.name === "" ? "unnamed" : cut(p.name, RESULT_LIMITS.name),
    status: p.status,
    changes: p.changes,
    resources: p.resources.slice(0, resources).map((r) => ({
      op: cut(r.op, RESULT_LIMITS.op),
      type: cut(r.type, RESULT_LIMITS.name),
      name: cut(r.name, RESULT_LIMITS.name),
    })),
    diff: cut(stripAnsi(p.diff), diffChars),
    violations: p.violations
      .slice(0, RESULT_LIMITS.violationsPerTarget)
      .map((v) => cut(stripAnsi(v), violationChars)),
    ...(p.error !== undefined && {
      error: cut(stripAnsi(p.error), detail === 1 ? RESULT_LIMITS.error : 2_048),
    }),
    ...(p.notDeployed === true && { notDeployed: true }),
    ...(p.fresh === true && { fresh: true }),
  };
}

/**
 * The result document of `previews` as JSON text, within RESULT_LIMITS: the
 * diffs share what the limits leave and shrink until the document fits (a
 * comment shows far less than the limits anyway); then resource lists and
 * messages are shortened. Previews past RESULT_LIMITS.targets are left out.
 * The text may still exceed RESULT_LIMITS.bytes in a pathological case; the
 * poster then says the result is too large and links the build log.
 */
export function resultDocument(env: string, previews: readonly TargetPreview[]): string {
  const kept = previews.slice(0, RESULT_LIMITS.targets);
  const share = Math.floor(RESULT_LIMITS.bytes / 2 / Math.max(1, kept.length));
  let diffChars = Math.min(RESULT_LIMITS.diff, share);
  let json = "";
  for (const detail of [1, 0] as const) {
    for (;;) {
      json = JSON.stringify({
        schema: RESULT_SCHEMA,
        version: RESULT_VERSION,
        env,
        previews: kept.map((p) => bounded(p, diffChars, detail)),
      });
      if (Buffer.byteLength(json, "utf8") <= RESULT_LIMITS.bytes) return json;
      if (diffChars === 0) break;
      diffChars = Math.floor(diffChars / 4);
    }
  }
  return json;
}
