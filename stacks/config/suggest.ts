import type { z } from "zod";
import { spelledLike } from "./closest";
import { ConfigPath, ConfigValue, formatPath } from "./edits";
import { defaultOf, enumValues, isScalarKind, schemaAt } from "./schemaAt";

/*
 * The values a fix command may set for a key, in the order fix.ts tries them:
 * the check's own, the key's examples, the enum values spelt nearest the bad
 * one, the default. fix.ts keeps the first one that resolves the problem.
 */

/** A value no one can guess for the user: the line says what it must be. */
export interface Placeholder {
  /** What goes in the command, e.g. `<account-id>`. */
  readonly placeholder: string;
  /** What to set, e.g. `the 12-digit id of the account`. */
  readonly what: string;
  /** A value of the same form, for the command's flags (an account id needs `--type string`). @default "value" */
  readonly sample?: string;
}

export type Suggestion = ConfigValue | Placeholder;

export interface ExampleContext {
  /** The value the key holds (undefined when it is missing). */
  readonly received: unknown;
  /** The list entry the key belongs to (an environment), if any. */
  readonly entry?: Readonly<Record<string, unknown>>;
  /** The whole config as read. */
  readonly config: Readonly<Record<string, unknown>>;
}

/** Values to try for a key, in order: one, or a list that may depend on the key's context. */
export type Example = Suggestion | ((at: ExampleContext) => readonly Suggestion[]);

/**
 * Examples per key path, list indices written `[]` (`environments[].name`),
 * a name of a map the user chooses `<name>` (`app.cloudformation.parameters.<name>`).
 */
export type Examples = Readonly<Record<string, Example>>;

export function isPlaceholder(s: Suggestion | undefined): s is Placeholder {
  return typeof s === "object" && s !== null && !Array.isArray(s) && "placeholder" in s;
}

/** What the suggestions for one key are taken from. */
export interface SuggestionSource {
  readonly schema: z.ZodType;
  readonly examples: Examples;
  /** Top-level key → value, structured values parsed. */
  readonly raw: Record<string, unknown>;
}

/**
 * Values to try for the key at `path`: the check's own, the key's examples,
 * the enum values nearest the bad one, the default; never the value received,
 * nor a free-form value another entry of the same list holds (another
 * environment's name or prefix; Regions, numbers and switches may be shared).
 */
export function suggestions(
  path: ConfigPath,
  received: unknown,
  own: Suggestion | undefined,
  r: SuggestionSource,
): Suggestion[] {
  const schema = schemaAt(r.schema, path, r.raw);
  const siblings = isScalarKind(schema) ? [] : siblingValues(r.raw, path);
  const pattern = formatPath(path.map((p) => (typeof p === "number" ? "[]" : p))).replace(
    /\.?\[\]/g,
    "[]",
  );
  // A value of a map whose names are the user's (a template parameter's) takes the map's example.
  const example = r.examples[pattern] ?? r.examples[pattern.replace(/\.[^.[\]]+$/, ".<name>")];
  const entryIndex = path.findIndex((p) => typeof p === "number");
  const entry =
    entryIndex < 0
      ? undefined
      : (lookup(r.raw, path.slice(0, entryIndex + 1)) as Record<string, unknown> | undefined);
  const fromExample =
    typeof example === "function"
      ? example({ received, entry, config: r.raw })
      : example === undefined
        ? []
        : [example];
  const values = enumValues(schema);
  const nearest =
    values && typeof received === "string" ? spelledLike(received, values).slice(0, 3) : [];
  return [own, ...fromExample, ...nearest, defaultAt(path, r)].filter(
    (s) =>
      s !== undefined &&
      (isPlaceholder(s) || !(sameValue(s, received) || siblings.some((v) => sameValue(v, s)))),
  ) as Suggestion[];
}

/** The key's default: its own, else what the default of an enclosing key holds there. */
function defaultAt(path: ConfigPath, r: SuggestionSource): Suggestion | undefined {
  for (let i = path.length; i > 0; i--) {
    const found = defaultOf(schemaAt(r.schema, path.slice(0, i), r.raw));
    if (found !== undefined) return lookup(found, path.slice(i)) as Suggestion | undefined;
  }
  return undefined;
}

/** The values the same key holds in the other entries of each list the path runs through. */
function siblingValues(raw: unknown, path: ConfigPath): unknown[] {
  return path.flatMap((p, i) => {
    if (typeof p !== "number") return [];
    const list = lookup(raw, path.slice(0, i));
    if (!Array.isArray(list)) return [];
    return list
      .map((_, j) => j)
      .filter((j) => j !== p)
      .map((j) => lookup(raw, [...path.slice(0, i), j, ...path.slice(i + 1)]))
      .filter((v) => v !== undefined);
  });
}

/** Equal as the YAML file would hold them (`30` and `"30"` alike). */
function sameValue(a: unknown, b: unknown): boolean {
  const scalar = (v: unknown) => typeof v !== "object" || v === null;
  return scalar(a) && scalar(b) ? String(a) === String(b) : JSON.stringify(a) === JSON.stringify(b);
}

export function lookup(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const p of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[p];
  }
  return current;
}
