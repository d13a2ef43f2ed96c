import { z } from "zod";
import { closest } from "./closest";
import {
  applyEdits,
  commandOf,
  commandsOf,
  ConfigPath,
  ConfigValue,
  Edit,
  formatPath,
  setEdits,
} from "./edits";
import { isArraySchema, schemaAt, shapeOf } from "./schemaAt";
import { Examples, isPlaceholder, lookup, Placeholder, Suggestion, suggestions } from "./suggest";

/*
 * One line per config problem, ending with the command that fixes it. Every
 * command is checked before it is printed: applied to the config in memory as
 * the Pulumi CLI would apply it (edits.ts), the result validated again, and
 * kept only when the problem is gone without a new one where it wrote. A
 * value is never the bad value itself, nor, for a free-form value, another
 * list entry's (another environment's prefix or name). Where no value is
 * safe to suggest (an account id, a checksum), the line says what to set
 * instead of offering one to paste.
 */

/** One stack's config being read. */
export interface Reading {
  readonly schema: z.ZodType;
  readonly examples: Examples;
  readonly namespace: string;
  /** The stack whose file holds the keys (`--stack`). */
  readonly stack: string;
  /** Top-level key → value, structured values parsed. */
  readonly raw: Record<string, unknown>;
  /** Top-level keys whose values are secret: never printed. */
  readonly secrets: ReadonlySet<string>;
  /** Parse options: the messages of zod's own issues. */
  readonly parse: z.core.ParseContext<z.core.$ZodIssue>;
}

/** More set commands than this to move a value: the line says to rename the key instead. */
const MAX_MOVE_EDITS = 6;

/**
 * One line per problem of `issues` (an unknown key per line). A missing key
 * beside an unknown key spelt like it is one problem, the misspelling: zod
 * may report either or both (a union cannot tell its keys without its tag).
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], r: Reading): string[] {
  const lines = new Map<string, string>();
  for (const issue of issues) {
    const path = issue.path as ConfigPath;
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const at = [...path, key];
        lines.set(formatPath(at), unknownKey(at, r, issues));
      }
      continue;
    }
    if (issue.code === "invalid_key") {
      lines.set(formatPath(path), badName(issue, r));
      continue;
    }
    const typo = lookup(r.raw, path) === undefined ? misspeltAs(path, r) : undefined;
    // One line per key: zod may find two problems with one value ("" is no list, nor long enough).
    const key = formatPath(typo ?? path);
    if (!lines.has(key)) {
      lines.set(key, typo ? unknownKey(typo, r, issues) : wrongValue(issue, r, issues));
    }
  }
  return [...lines.values()];
}

/** The unknown key beside `path` whose closest valid key is the one `path` names, if any. */
function misspeltAs(path: ConfigPath, r: Reading): ConfigPath | undefined {
  const parent = path.slice(0, -1);
  const value = lookup(r.raw, parent);
  const shape = shapeOf(schemaAt(r.schema, parent, r.raw), value);
  if (shape === undefined || typeof value !== "object" || value === null) return undefined;
  const valid = Object.keys(shape);
  const unknown = Object.keys(value).filter((k) => !valid.includes(k));
  const typo = unknown.find((k) => closest(k, valid) === path[path.length - 1]);
  return typo === undefined ? undefined : [...parent, typo];
}

function keyName(r: Reading, path: ConfigPath): string {
  return `${r.namespace}:${formatPath(path)}`;
}

function shown(r: Reading, path: ConfigPath, value: unknown): string {
  return r.secrets.has(String(path[0])) ? "[secret]" : JSON.stringify(value);
}

function wrongValue(issue: z.core.$ZodIssue, r: Reading, all: readonly z.core.$ZodIssue[]): string {
  const path = issue.path as ConfigPath;
  const received = lookup(r.raw, path);
  const head =
    received === undefined
      ? `${keyName(r, path)} is missing${issue.code === "custom" ? ` (${issue.message})` : ""}`
      : `${keyName(r, path)} ${issue.message}, got ${shown(r, path, received)}`;
  if (r.secrets.has(String(path[0]))) return `${head}. Its value is secret: set it with --secret.`;
  // An entry that should not be there at all (a duplicate): the fix removes it.
  if (issue.code === "custom" && issue.params?.remove === true) {
    return `${head}. Run: ${commandOf({ op: "rm", path }, r.namespace, r.stack)}`;
  }
  const own =
    issue.code === "custom" ? (issue.params?.example as Suggestion | undefined) : undefined;
  const fix = valueFix(path, received, own, r, all);
  if (fix === undefined) return `${head}.`;
  if ("run" in fix) return `${head}. Run: ${fix.run}`;
  return `${head}. Set ${fix.what} with: ${fix.template}`;
}

/**
 * A name of a map the user chooses (a template parameter's) that the map
 * refuses: setting the value again cannot fix it, so the fix removes it and
 * says to set the value under a name that is allowed.
 */
function badName(issue: z.core.$ZodIssue & { code: "invalid_key" }, r: Reading): string {
  const path = issue.path as ConfigPath;
  const why = issue.issues[0]?.message ?? issue.message;
  const rm = commandOf({ op: "rm", path }, r.namespace, r.stack);
  return `${keyName(r, path)}: the name ${JSON.stringify(String(path[path.length - 1]))} ${why}; set its value under such a name instead. Run: ${rm}`;
}

type Fix = { run: string } | { what: string; template: string };

/** The first suggested value for `path` that resolves the problem, or what to set instead. */
function valueFix(
  path: ConfigPath,
  received: unknown,
  own: Suggestion | undefined,
  r: Reading,
  all: readonly z.core.$ZodIssue[],
): Fix | undefined {
  const schema = schemaAt(r.schema, path, r.raw);
  // A list or map that may be left out is best removed (its default is the schema's), not rewritten.
  const rm: Edit[] = [{ op: "rm", path }];
  const removable = received !== undefined && resolves(rm, [path], r, all);
  if (removable && (isArraySchema(schema) || shapeOf(schema, received) !== undefined)) {
    return { run: commandsOf(rm, r.namespace, r.stack)! };
  }
  for (const candidate of suggestions(path, received, own, r)) {
    if (isPlaceholder(candidate)) return placeholderFix(path, candidate, r);
    const edits: Edit[] = [
      ...(mustRemoveFirst(path, received, candidate) ? [{ op: "rm", path } as const] : []),
      ...setEdits(path, candidate),
    ];
    const run = commandsOf(edits, r.namespace, r.stack);
    if (run !== undefined && resolves(edits, [path], r, all)) return { run };
  }
  // A key that may be left out: removing it leaves its default.
  return removable ? { run: commandsOf(rm, r.namespace, r.stack)! } : undefined;
}

function placeholderFix(path: ConfigPath, p: Placeholder, r: Reading): Fix {
  const sample = p.sample ?? "value";
  const command = commandOf({ op: "set", path, value: sample }, r.namespace, r.stack) ?? "";
  return {
    what: p.what,
    template: command.replace(` ${sample} --stack `, ` ${p.placeholder} --stack `),
  };
}

/**
 * Whether the CLI needs the old value removed before it stores `candidate`:
 * it sets a list or map only where none, or one, is; and it keeps a string's
 * quotes when it writes a number or true/false over it (a string again).
 */
function mustRemoveFirst(path: ConfigPath, received: unknown, candidate: ConfigValue): boolean {
  if (received === undefined || typeof received === "object") return false;
  if (typeof candidate === "object") return true;
  return path.length > 1 && typeof received === "string" && typeof candidate !== "string";
}

/** A key no schema reads: the closest valid key, and the commands that move its value there. */
function unknownKey(path: ConfigPath, r: Reading, all: readonly z.core.$ZodIssue[]): string {
  const parent = path.slice(0, -1);
  const name = String(path[path.length - 1]);
  const shape = shapeOf(schemaAt(r.schema, parent, r.raw), lookup(r.raw, parent)) ?? {};
  const best = closest(name, Object.keys(shape));
  const where = parent.length === 0 ? `the ${r.stack} stack's config` : keyName(r, parent);
  const head = `${keyName(r, path)} is not a key of ${where}`;
  const rm: Edit = { op: "rm", path };
  const rmCommand = commandOf(rm, r.namespace, r.stack);
  if (best === undefined) return `${head}. Run: ${rmCommand}`;
  const target = [...parent, best];
  const meant = `${head}; did you mean ${keyName(r, target)}?`;
  const existing = lookup(r.raw, target);
  if (existing !== undefined) {
    const to = typeof existing === "object" ? "" : `, to ${shown(r, target, existing)}`;
    // The misspelt key may hold the value that was meant: offer to move it over the other.
    const value = lookup(r.raw, path) as ConfigValue;
    const scalar = typeof existing !== "object" && typeof value !== "object";
    if (scalar && value !== existing && !r.secrets.has(String(path[0]))) {
      const edits = [...setEdits(target, value), rm];
      const run = commandsOf(edits, r.namespace, r.stack);
      if (run !== undefined && resolves(edits, [path, target], r, all)) {
        return `${meant} That is set already${to}. To keep it, run: ${rmCommand}; to use ${shown(r, path, value)} instead, run: ${run}`;
      }
    }
    return `${meant} That is set already${to}. Run: ${rmCommand}`;
  }
  if (r.secrets.has(String(path[0]))) return `${meant} Its value is secret. Run: ${rmCommand}`;
  // A single value given for a list is moved as a list of one.
  const value = lookup(r.raw, path) as ConfigValue;
  const attempts: ConfigValue[] = [value];
  if (isArraySchema(schemaAt(r.schema, target, r.raw)) && !Array.isArray(value)) {
    attempts.push([value]);
  }
  for (const moved of attempts) {
    const edits = [...setEdits(target, moved), rm];
    if (edits.length - 1 > MAX_MOVE_EDITS) {
      return `${meant} Rename it to ${best} in Pulumi.${r.stack}.yaml.`;
    }
    const run = commandsOf(edits, r.namespace, r.stack);
    if (run !== undefined && resolves(edits, [path, target], r, all)) return `${meant} Run: ${run}`;
  }
  return `${meant} Its value is not one ${best} takes. Run: ${rmCommand}`;
}

/**
 * Whether the config after `edits` is free of problems at the paths written
 * (and at `touched`), and — when every problem before was a check across
 * keys, so all of them were known — has no problem it did not have before.
 */
function resolves(
  edits: readonly Edit[],
  touched: readonly ConfigPath[],
  r: Reading,
  before: readonly z.core.$ZodIssue[],
): boolean {
  let after: z.core.$ZodIssue[];
  try {
    const result = r.schema.safeParse(applyEdits(r.raw, edits), r.parse);
    if (result.success) return true;
    after = result.error.issues;
  } catch {
    return false;
  }
  const paths = [...touched, ...edits.map((e) => e.path)];
  const at = issuePaths(after);
  if (at.some((p) => paths.some((t) => startsWith(p, t)))) return false;
  if (!before.every((i) => i.code === "custom")) return true;
  const known = new Set(before.map(issueKey));
  return after.every((i) => known.has(issueKey(i)));
}

/** Each issue's path; an unknown key's path is the key's own. */
function issuePaths(issues: readonly z.core.$ZodIssue[]): ConfigPath[] {
  return issues.flatMap((i) =>
    i.code === "unrecognized_keys"
      ? i.keys.map((k) => [...(i.path as ConfigPath), k])
      : [i.path as ConfigPath],
  );
}

function issueKey(i: z.core.$ZodIssue): string {
  return `${formatPath(i.path)} ${i.message}`;
}

function startsWith(path: ConfigPath, prefix: ConfigPath): boolean {
  return prefix.length <= path.length && prefix.every((p, i) => p === path[i]);
}
