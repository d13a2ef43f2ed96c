import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { dump, load } from "js-yaml";
import type { z } from "zod";
import { readStackConfig } from "../../automation/plan/stackConfig";
import { chinaConfigSchema, loadChinaConfig } from "../../stacks/config/china";
import type { ConfigPath } from "../../stacks/config/edits";
import { formatPath } from "../../stacks/config/edits";
import { globalConfigSchema, loadGlobalConfig } from "../../stacks/config/global";
import { schemaAt, shapeOf, isArraySchema } from "../../stacks/config/schemaAt";

/*
 * A mistake in every key of both stacks' config, made from the schemas
 * themselves, so a key added later gets its cases without a line here: each
 * key given a value its schema refuses, and each key of the shipped files
 * misspelt (and each key it leaves out, in a copy holding it). The config-fix tests paste the printed commands into a copy of
 * the shipped file (the CLI double in-process, the real CLI in the engine
 * suite) and check that the problems they fix are gone.
 */

const ROOT = path.resolve(__dirname, "..", "..");

export interface StackUnderTest {
  readonly stack: "global" | "china";
  readonly schema: z.ZodType;
  readonly load: (config: Record<string, string>) => unknown;
  /**
   * Top-level keys the shipped file leaves out, each set in a copy of it so
   * that the keys inside get misspelt too. @default none
   */
  readonly unshipped?: readonly Readonly<Record<string, unknown>>[];
}

export const STACKS: readonly StackUnderTest[] = [
  {
    stack: "global",
    schema: globalConfigSchema,
    load: loadGlobalConfig,
    // silkroute:app is a program or a template, never both.
    unshipped: [
      {
        operations: {
          checks: true,
          schedule: "rate(1 day)",
          keyMaxAgeDays: 23,
          rotation: true,
          rotationSchedule: "rate(7 days)",
        },
        notifications: { emails: ["ops@example.com"], httpsEndpoints: ["https://example.com/x"] },
      },
      { app: { program: "infra/app.ts", manages: ["queue"], functionsUse: ["queue"] } },
      {
        app: {
          cloudformation: {
            template: "template.yaml",
            parameters: { Stage: "prod" },
            capabilities: ["CAPABILITY_IAM"],
          },
        },
      },
    ],
  },
  { stack: "china", schema: chinaConfigSchema, load: loadChinaConfig },
];

export interface Mistake {
  readonly stack: StackUnderTest;
  readonly title: string;
  /** The key the mistake is in. */
  readonly path: ConfigPath;
  /** For a misspelt key, the key meant. */
  readonly meant?: ConfigPath;
  /** Pulumi.<stack>.yaml with the mistake. */
  readonly yaml: string;
}

type Doc = { config: Record<string, unknown> };

export function shippedYaml(stack: string): string {
  return fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8");
}

/** The problems of a Pulumi.<stack>.yaml text, one line each; none when it is valid. */
export function problems(s: StackUnderTest, yaml: string): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "silkroute-mistake-"));
  try {
    fs.writeFileSync(path.join(dir, `Pulumi.${s.stack}.yaml`), yaml);
    const flat = readStackConfig(dir, s.stack);
    s.load(flat);
    return [];
  } catch (error) {
    return (error as Error).message.split("\n");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Every key path the schema reads, entries of a list at index 0, for the config `raw`. */
function keyPaths(root: z.ZodType, raw: unknown, at: ConfigPath = []): ConfigPath[] {
  const schema = schemaAt(root, at, raw);
  const value = lookup(raw, at);
  const shape = shapeOf(schema, value);
  if (shape !== undefined) {
    return Object.keys(shape).flatMap((k) => [[...at, k], ...keyPaths(root, raw, [...at, k])]);
  }
  if (isArraySchema(schema)) return keyPaths(root, raw, [...at, 0]);
  return [];
}

function lookup(value: unknown, at: ConfigPath): unknown {
  return at.reduce<unknown>(
    (v, p) => (v === null || typeof v !== "object" ? undefined : (v as Record<string, unknown>)[p]),
    value,
  );
}

/** The shipped config as the schema reads it: top-level keys without the namespace. */
function rawOf(doc: Doc): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(doc.config)
      .filter(([k]) => k.startsWith("silkroute:"))
      .map(([k, v]) => [k.slice("silkroute:".length), v]),
  );
}

/** Sets `value` at `at` under the document's config, creating what is missing. */
function setAt(doc: Doc, at: ConfigPath, value: unknown): void {
  const [top, ...rest] = at;
  const key = `silkroute:${String(top)}`;
  if (rest.length === 0) {
    doc.config[key] = value;
    return;
  }
  doc.config[key] ??= typeof rest[0] === "number" ? [] : {};
  let parent = doc.config[key] as Record<string | number, unknown>;
  for (const [i, p] of rest.slice(0, -1).entries()) {
    parent[p] ??= typeof rest[i + 1] === "number" ? [] : {};
    parent = parent[p] as Record<string | number, unknown>;
  }
  parent[rest[rest.length - 1]] = value;
}

function renameAt(doc: Doc, at: ConfigPath, name: string): boolean {
  const parentPath = at.slice(0, -1);
  const last = String(at[at.length - 1]);
  const parent =
    parentPath.length === 0
      ? doc.config
      : (lookup(rawOf(doc), parentPath) as Record<string, unknown> | undefined);
  const key = parentPath.length === 0 ? `silkroute:${last}` : last;
  if (parent === undefined || !(key in parent)) return false;
  const entries = Object.entries(parent).map(([k, v]) =>
    k === key ? [parentPath.length === 0 ? `silkroute:${name}` : name, v] : [k, v],
  );
  for (const k of Object.keys(parent)) delete parent[k];
  Object.assign(parent, Object.fromEntries(entries));
  return true;
}

/** A copy of `doc` with the top-level `keys` set. */
function withKeys(doc: Doc, keys: Readonly<Record<string, unknown>>): Doc {
  const copy = structuredClone(doc);
  for (const [key, value] of Object.entries(keys)) copy.config[`silkroute:${key}`] = value;
  return copy;
}

/** Values to try until the schema refuses one at a key. */
const BAD_VALUES: readonly unknown[] = ["", "bad value!", "99999", "maybe", ["x"], { k: "v" }];

/** A misspelling: the second letter left out. */
function misspelt(name: string): string {
  return `${name[0]}${name.slice(2)}`;
}

/** The mistakes of one stack's config: a refused value for each key, and each shipped key misspelt. */
export function mistakesOf(s: StackUnderTest): Mistake[] {
  const shipped = load(shippedYaml(s.stack)) as Doc;
  const raw = rawOf(shipped);
  const mistakes: Mistake[] = [];
  for (const at of keyPaths(s.schema, raw)) {
    const name = formatPath(at);
    for (const bad of BAD_VALUES) {
      const doc = structuredClone(shipped);
      setAt(doc, at, bad);
      const yaml = dump(doc);
      if (problems(s, yaml).some((l) => l.startsWith(`silkroute:${name}`))) {
        mistakes.push({ stack: s, title: `${name}: ${JSON.stringify(bad)}`, path: at, yaml });
        break;
      }
    }
    const typo = misspelt(String(at[at.length - 1]));
    if (typeof at[at.length - 1] !== "string") continue;
    // In the shipped file, else in the first copy with the keys it leaves out that holds the key.
    for (const base of [shipped, ...(s.unshipped ?? []).map((keys) => withKeys(shipped, keys))]) {
      const doc = structuredClone(base);
      if (!renameAt(doc, at, typo)) continue;
      mistakes.push({
        stack: s,
        title: `${name} misspelt ${typo}`,
        path: [...at.slice(0, -1), typo],
        meant: at,
        yaml: dump(doc),
      });
      break;
    }
  }
  return mistakes;
}
