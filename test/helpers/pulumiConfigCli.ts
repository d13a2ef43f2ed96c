import { dump, load } from "js-yaml";

/*
 * A test double of `pulumi config set` and `pulumi config rm` as the Pulumi CLI
 * 3.248 runs them on a Pulumi.<stack>.yaml, written from the CLI's source
 * (pkg/cmd/pulumi/config, sdk/go/common/resource/config) and independent of
 * the code that prints fix commands (stacks/config/edits.ts); the engine suite
 * (test/engine/configFixes.engine.test.ts) checks that the real CLI leaves
 * every file exactly as this double does. It also takes the commands as a
 * shell would: a word with a glob or redirect character outside quotes is an
 * error, so a printed command must quote them.
 */

/** Shell words of one command line, single and double quotes honoured; `&&` splits commands. */
export function shellCommands(line: string): string[][] {
  const commands: string[][] = [[]];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated quote in: ${line}`);
      word = (word ?? "") + line.slice(i + 1, end);
      i = end;
    } else if (c === " ") {
      if (word !== undefined) commands[commands.length - 1].push(word);
      word = undefined;
    } else if (c === "&" && line[i + 1] === "&" && word === undefined) {
      commands.push([]);
      i++;
    } else if (/[[\]*?<>|;&$`(){}"\\!#~]/.test(c)) {
      throw new Error(`unquoted ${c} in: ${line}`);
    } else {
      word = (word ?? "") + c;
    }
  }
  if (word !== undefined) commands[commands.length - 1].push(word);
  return commands.filter((c) => c.length > 0);
}

type Segment = string | number;

/** `environments[0].crossAccount.accountId` → ["environments", 0, "crossAccount", "accountId"]. */
function parsePath(name: string): Segment[] {
  const segments: Segment[] = [];
  const re = /^([^.[\]]+)|\.([^.[\]]+)|\[(\d+)\]|\["([^"]+)"\]/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < name.length && (m = re.exec(name)) !== null) {
    segments.push(m[3] !== undefined ? Number(m[3]) : (m[1] ?? m[2] ?? m[4]));
  }
  if (re.lastIndex !== name.length) throw new Error(`invalid path: ${name}`);
  return segments;
}

const SECRET_NAME = /passwd|pass|password|pwd|secret|token/i;

/** The value `config set` stores: top-level always a string; under --path typed as the CLI coerces. */
function typed(text: string, nested: boolean, type: string | undefined): unknown {
  if (type === "string" || !nested) return text;
  if (type === "int") return parseInt(text, 10);
  if (type === "float") return parseFloat(text);
  if (type === "bool") return text === "true";
  if (text === "true" || text === "false") return text === "true";
  if (!(text.length > 1 && text.startsWith("0")) && /^[-+]?\d+$/.test(text)) return Number(text);
  return text;
}

function setIn(container: unknown, path: Segment[], value: unknown, depth: number): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  let target = container;
  if (typeof target !== "object" || target === null) {
    if (target !== undefined && depth > 0) throw new Error("expected a container");
    target = typeof head === "number" ? [] : {};
  }
  if (Array.isArray(target)) {
    if (typeof head !== "number" || head > target.length)
      throw new Error("array index out of range");
    target[head] = setIn(target[head], rest, value, depth + 1);
  } else {
    if (typeof head !== "string") throw new Error("key for a map must be a string");
    const map = target as Record<string, unknown>;
    map[head] = setIn(map[head], rest, value, depth + 1);
  }
  return target;
}

function lookupIn(value: unknown, path: Segment[]): unknown {
  return path.reduce<unknown>(
    (v, p) =>
      v === null || typeof v !== "object" ? undefined : (v as Record<Segment, unknown>)[p],
    value,
  );
}

function removeIn(container: unknown, path: Segment[]): void {
  let parent = container;
  for (const p of path.slice(0, -1)) {
    if (typeof parent !== "object" || parent === null) return;
    parent = (parent as Record<Segment, unknown>)[p];
  }
  const last = path[path.length - 1];
  if (Array.isArray(parent) && typeof last === "number") parent.splice(last, 1);
  else if (typeof parent === "object" && parent !== null) {
    delete (parent as Record<Segment, unknown>)[last];
  }
}

/**
 * Runs `pulumi config set|rm … --stack <stack>` commands on the text of
 * `Pulumi.<stack>.yaml` and returns the new text; throws where the CLI fails.
 */
export function runConfigCommands(yaml: string, stack: string, commands: string[][]): string {
  const doc = (load(yaml) ?? {}) as { config?: Record<string, unknown> };
  const config = (doc.config ??= {});
  for (const words of commands) {
    const [pulumi, sub, verb, ...args] = words;
    if (pulumi !== "pulumi" || sub !== "config" || (verb !== "set" && verb !== "rm")) {
      throw new Error(`not a pulumi config command: ${words.join(" ")}`);
    }
    const flags = new Map<string, string | true>();
    const positional: string[] = [];
    for (let i = 0; i < args.length; i++) {
      if (args[i] === "--type" || args[i] === "--stack") flags.set(args[i], args[++i]);
      else if (args[i].startsWith("--")) flags.set(args[i], true);
      else positional.push(args[i]);
    }
    if (flags.get("--stack") !== stack)
      throw new Error(`not for stack ${stack}: ${words.join(" ")}`);
    const known = ["--path", "--type", "--plaintext", "--stack"];
    const unknown = [...flags.keys()].filter((f) => !known.includes(f));
    if (unknown.length > 0) throw new Error(`unknown flag ${unknown[0]}`);
    if (flags.has("--plaintext") && flags.has("--type"))
      throw new Error("--plaintext excludes --type");
    const [key, value] = positional;
    const colon = key.indexOf(":");
    const fullName = colon < 0 ? `silkroute:${key}` : key;
    const [namespace, name] = [
      fullName.slice(0, fullName.indexOf(":")),
      fullName.slice(fullName.indexOf(":") + 1),
    ];
    const path = flags.has("--path") ? parsePath(name) : [name];
    const top = `${namespace}:${path[0]}`;
    if (verb === "rm") {
      if (positional.length !== 1) throw new Error("rm takes one key");
      if (path.length === 1) delete config[top];
      else removeIn(config[top], path.slice(1));
      continue;
    }
    if (positional.length !== 2) throw new Error("set takes a key and a value");
    // Conservative: the CLI also weighs the value's entropy before refusing it.
    if (SECRET_NAME.test(name) && !flags.has("--plaintext")) {
      throw new Error(`config value for '${fullName}' looks like a secret`);
    }
    const type = flags.get("--type");
    const stored = typed(value, path.length > 1, typeof type === "string" ? type : undefined);
    if (typeof lookupIn(config[top], path.slice(1)) === "string" && typeof stored !== "string") {
      // The CLI edits the YAML node in place and keeps a quoted string's quotes: a string again.
      throw new Error(`${words.join(" ")} over a string keeps it a string: rm it first`);
    }
    config[top] = path.length === 1 ? stored : setIn(config[top], path.slice(1), stored, 0);
  }
  // The CLI writes every top-level scalar back as a string.
  for (const [key, value] of Object.entries(config)) {
    if (typeof value !== "object" || value === null) config[key] = String(value);
  }
  return dump(doc);
}
