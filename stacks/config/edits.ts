/*
 * `pulumi config set` / `pulumi config rm` commands built from typed values,
 * and the same edits applied to a config in memory, as the Pulumi CLI (3.248)
 * applies them: a fix command is checked by applying it here and validating
 * the result before it is printed (fix.ts).
 *
 * The CLI's rules (pkg/cmd/pulumi/config, sdk/go/common/resource/config):
 * - without --path the key is a top-level key and its value is stored as a
 *   string, whatever it looks like;
 * - with --path the key is a path (`environments[0].name`) and a value of
 *   "true" or "false" is stored as a boolean, an integer without a leading
 *   zero as a number, anything else as a string; `--type string` stores the
 *   string as it is;
 * - a key whose name contains passwd, pass, password, pwd, secret or token
 *   (any case) is refused with a plain value that looks random, unless
 *   `--plaintext` is given, which excludes `--type`.
 */

/** A key under `silkroute:`: `["environments", 0, "name"]`. */
export type ConfigPath = readonly (string | number)[];

/** A value a command can set: what the YAML file holds. */
export type ConfigValue =
  string | number | boolean | readonly ConfigValue[] | { readonly [key: string]: ConfigValue };

/** One `pulumi config` command. */
export type Edit =
  | { readonly op: "set"; readonly path: ConfigPath; readonly value: string | number | boolean }
  | { readonly op: "rm"; readonly path: ConfigPath };

const SECRET_NAME = /passwd|pass|password|pwd|secret|token/i;
const SHELL_SAFE = /^[A-Za-z0-9_./:=@+,%-]+$/;

/** `environments[0].crossAccount.accountId` */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`))
    .join("");
}

/** Whether the CLI stores this string, set with --path, as a boolean or a number. */
function cliCoerces(text: string): boolean {
  if (text === "true" || text === "false") return true;
  if (text.length > 1 && text.startsWith("0")) return false;
  return /^[-+]?\d+$/.test(text);
}

/** A word the shell passes on as it is. */
export function shellWord(text: string): string {
  return SHELL_SAFE.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command for one edit, or undefined when no command stores exactly that
 * value (a string that reads as a number under a key named like a secret).
 */
export function commandOf(edit: Edit, namespace: string, stack: string): string | undefined {
  const nested = edit.path.length > 1;
  const key = `${namespace}:${formatPath(edit.path)}`;
  const flags = nested ? ["--path"] : [];
  if (edit.op === "rm") {
    return ["pulumi config rm", ...flags, shellWord(key), "--stack", stack].join(" ");
  }
  const text = String(edit.value);
  if (nested && typeof edit.value === "string" && cliCoerces(text)) flags.push("--type string");
  if (nested && typeof edit.value === "number" && !cliCoerces(text)) flags.push("--type float");
  if (SECRET_NAME.test(formatPath(edit.path))) {
    if (flags.some((f) => f.startsWith("--type"))) return undefined;
    flags.push("--plaintext");
  }
  return ["pulumi config set", ...flags, shellWord(key), shellWord(text), "--stack", stack].join(
    " ",
  );
}

/** The commands of `edits`, joined with `&&`, or undefined when one cannot be written. */
export function commandsOf(
  edits: readonly Edit[],
  namespace: string,
  stack: string,
): string | undefined {
  const commands = edits.map((e) => commandOf(e, namespace, stack));
  return commands.every((c) => c !== undefined) ? commands.join(" && ") : undefined;
}

/** Set edits that store `value` at `path`, one per leaf (the CLI sets one value at a time). */
export function setEdits(path: ConfigPath, value: ConfigValue): Edit[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => setEdits([...path, i], v));
  if (typeof value === "object") {
    return Object.entries(value as Record<string, ConfigValue>).flatMap(([k, v]) =>
      setEdits([...path, k], v),
    );
  }
  return [{ op: "set", path, value: value as string | number | boolean }];
}

/**
 * The config (top-level key → value, structured values parsed) after `edits`,
 * as the CLI would leave it; throws where the CLI would refuse an edit.
 */
export function applyEdits(
  config: Readonly<Record<string, unknown>>,
  edits: readonly Edit[],
): Record<string, unknown> {
  const result = structuredClone(config) as Record<string, unknown>;
  for (const edit of edits) {
    const [top, ...rest] = edit.path;
    if (typeof top !== "string") throw new Error("a config key starts with a name");
    if (edit.op === "rm") {
      remove(result, top, rest);
    } else if (rest.length === 0) {
      result[top] = String(edit.value);
    } else {
      result[top] = setIn(result[top], rest, edit.value, true);
    }
  }
  return result;
}

function setIn(container: unknown, path: ConfigPath, value: unknown, topLevel: boolean): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const isArray = Array.isArray(container);
  const isMap = typeof container === "object" && container !== null && !isArray;
  let target: unknown = container;
  if (!isArray && !isMap) {
    // The CLI replaces a top-level value that is no container, and refuses a deeper one.
    if (container !== undefined && !topLevel) {
      throw new Error(`expected ${typeof head === "number" ? "an array" : "a map"}`);
    }
    target = typeof head === "number" ? [] : {};
  }
  if (Array.isArray(target)) {
    if (typeof head !== "number" || head < 0 || head > target.length) {
      throw new Error("array index out of range");
    }
    target[head] = setIn(target[head], rest, value, false);
    return target;
  }
  if (typeof head !== "string") throw new Error("key for a map must be a string");
  const map = target as Record<string, unknown>;
  map[head] = setIn(map[head], rest, value, false);
  return map;
}

function remove(config: Record<string, unknown>, top: string, rest: ConfigPath): void {
  if (rest.length === 0) {
    delete config[top];
    return;
  }
  let parent: unknown = config[top];
  for (const p of rest.slice(0, -1)) {
    if (typeof parent !== "object" || parent === null) return;
    parent = (parent as Record<PropertyKey, unknown>)[p];
  }
  const last = rest.at(-1);
  if (last === undefined) return;
  if (Array.isArray(parent) && typeof last === "number") parent.splice(last, 1);
  else if (typeof parent === "object" && parent !== null) {
    delete (parent as Record<PropertyKey, unknown>)[last];
  }
}
