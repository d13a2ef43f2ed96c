import { z } from "zod";
import type { ConfigPath } from "./edits";

/*
 * What a config schema says about one key, read from the zod schema itself so
 * that every key, including those added later, gets the same treatment: the
 * keys an object takes (for "did you mean"), the values an enum takes (the
 * Region closest to a mistyped one), its default.
 */

type Schema = z.core.$ZodType;
type Def = z.core.$ZodTypeDef & {
  innerType?: Schema;
  in?: Schema;
  out?: Schema;
  element?: Schema;
  shape?: Record<string, Schema>;
  options?: readonly Schema[];
  discriminator?: string;
  entries?: Record<string, string | number>;
  values?: readonly unknown[];
  defaultValue?: unknown;
};

const defOf = (s: Schema): Def => s._zod.def as Def;

/** The schemas `s` stands for: itself, and what its wrappers and pipes hold. */
function* layers(s: Schema): Generator<Schema> {
  yield s;
  const def = defOf(s);
  for (const inner of [def.innerType, def.in, def.out]) if (inner) yield* layers(inner);
}

function find<T>(s: Schema | undefined, pick: (def: Def) => T | undefined): T | undefined {
  if (s === undefined) return undefined;
  for (const layer of layers(s)) {
    const found = pick(defOf(layer));
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The option of a discriminated union `value` selects, else every option. */
function unionOptions(def: Def, value: unknown): readonly Schema[] | undefined {
  if (def.type !== "union" || def.options === undefined) return undefined;
  const discriminator = def.discriminator ?? "";
  const tag = (value as Record<string, unknown> | undefined)?.[discriminator];
  const chosen = def.options.filter((o) => tagsOf(o, discriminator).includes(tag));
  return chosen.length === 1 ? chosen : def.options;
}

/** The values the option of a discriminated union takes for its discriminator. */
function tagsOf(option: Schema, discriminator: string): readonly unknown[] {
  return find(defOf(option).shape?.[discriminator], (d) => d.values) ?? [];
}

/** The shape of the object schema `s` is, for the value `value` (a union picks its option). */
export function shapeOf(s: Schema | undefined, value: unknown): Record<string, Schema> | undefined {
  return find(s, (def) => {
    if (def.shape) return def.shape;
    const options = unionOptions(def, value);
    if (options === undefined) return undefined;
    return Object.assign({}, ...options.map((o) => shapeOf(o, value) ?? {}));
  });
}

/** The schema of the key at `path` inside `root`, given the config `config` it reads. */
export function schemaAt(root: Schema, path: ConfigPath, config: unknown): Schema | undefined {
  let schema: Schema | undefined = root;
  let value = config;
  for (const segment of path) {
    if (schema === undefined) return undefined;
    if (typeof segment === "number") {
      schema = find(schema, (def) => def.element);
    } else {
      const discriminated = find(schema, (def) =>
        def.discriminator === segment ? def : undefined,
      );
      schema = discriminated
        ? enumOf(discriminated)
        : (shapeOf(schema, value)?.[segment] as Schema | undefined);
    }
    value = (value as Record<PropertyKey, unknown> | undefined)?.[segment];
  }
  return schema;
}

/** The tags of a discriminated union, as an enum. */
function enumOf(def: Def): Schema {
  const tags = (def.options ?? []).flatMap((o) => tagsOf(o, def.discriminator ?? "").map(String));
  return z.enum(tags as [string, ...string[]]);
}

/** The values an enum or literal schema takes, else undefined. */
export function enumValues(s: Schema | undefined): string[] | undefined {
  return find(s, (def) => {
    if (def.type === "enum" && def.entries) return Object.values(def.entries).map(String);
    if (def.type === "literal" && def.values) return def.values.map(String);
    return undefined;
  });
}

/** The default of the schema, if it has one. */
export function defaultOf(s: Schema | undefined): unknown {
  return find(s, (def) => (def.type === "default" ? def.defaultValue : undefined));
}

/** The JSON type a value of `s` has in the YAML file: numbers and booleans are shared freely. */
export function isScalarKind(s: Schema | undefined): boolean {
  return (
    find(s, (def) =>
      ["number", "boolean", "int", "enum", "literal"].includes(def.type) ? true : undefined,
    ) === true
  );
}

/** Whether `s` takes a list. */
export function isArraySchema(s: Schema | undefined): boolean {
  return find(s, (def) => (def.type === "array" ? true : undefined)) === true;
}
