import type { Argv } from "yargs";
import { spelledLike } from "../../stacks/config/closest";

/*
 * What every command's flags must be, beyond what yargs checks by itself: a
 * flag of one value given once, with a value; a switch given no value but
 * true or false; and yargs' own complaints put as one line that says what
 * to do, naming the closest command or flag for a misspelt one.
 */

/** The options yargs has declared, for the command being parsed. */
interface Declared {
  readonly key: Readonly<Record<string, unknown>>;
  readonly array: readonly string[];
  readonly boolean: readonly string[];
}

function declared(y: Argv): Declared {
  return (y as unknown as { getOptions(): Declared }).getOptions();
}

/** The options of the command being parsed, without yargs' own. */
function flagNames(y: Argv): string[] {
  return Object.keys(declared(y).key).filter((k) => k !== "help" && k !== "version");
}

/**
 * A yargs check: no flag of one value given twice or given an empty value,
 * no switch given a value other than true or false (`--json=maybe`).
 */
export function checkFlags(y: Argv, tokens: readonly string[]) {
  return (argv: Record<string, unknown>): true => {
    const { array, boolean } = declared(y);
    const end = tokens.indexOf("--");
    const given = end < 0 ? tokens : tokens.slice(0, end);
    for (const key of flagNames(y)) {
      const times = given.filter((t) => isFlag(t, key) || isFlag(t, camelCase(key))).length;
      if (times > 1 && !array.includes(key)) {
        const values = argv[key];
        const which = Array.isArray(values) ? ` (${values.join(", ")})` : "";
        throw new Error(`--${key} was given ${times} times${which}: give it once`);
      }
      const value = argv[key];
      if (value === "" || (times > 0 && Array.isArray(value) && value.length === 0)) {
        throw new Error(`--${key} needs a value`);
      }
    }
    for (const token of given) {
      const m = /^--(?:no-)?([^=]+)=(.*)$/s.exec(token);
      const [, name = "", value] = m ?? [];
      if (boolean.includes(name) && value !== "true" && value !== "false") {
        throw new Error(`--${name} is a switch and takes no value, got ${JSON.stringify(value)}`);
      }
    }
    return true;
  };
}

/** yargs' message of a parse failure as one line saying what to do. */
export function describeFailure(
  message: string,
  y: Argv,
  tokens: readonly string[],
  commands: readonly string[],
): string {
  const help = (what: string) =>
    `silkroute${tokens[0] && commands.includes(tokens[0]) ? ` ${tokens[0]}` : ""} --help lists the ${what}`;
  const meant = /^Did you mean (\S+)\?$/.exec(message);
  if (meant) {
    const given = tokens.find((t) => !t.startsWith("-")) ?? "";
    return `unknown command ${JSON.stringify(given)}; did you mean ${meant[1]}? (${help("commands")})`;
  }
  const unknown = /^Unknown arguments?: (.*)$/.exec(message);
  if (unknown) {
    const names = unknown[1]!.split(", ");
    const [flag] = names.filter((n) => tokens.some((t) => isFlag(t, n)));
    if (flag !== undefined) {
      const [best] = spelledLike(flag, flagNames(y));
      const hint = best === undefined ? "" : `; did you mean --${best}?`;
      return `unknown option --${flag}${hint} (${help("options")})`;
    }
    if (!commands.includes(tokens.find((t) => !t.startsWith("-")) ?? "")) {
      return `unknown command ${JSON.stringify(names[names.length - 1])} (${help("commands")})`;
    }
    return `unexpected argument ${JSON.stringify(names[0])}: options take the form --name value (${help("options")})`;
  }
  const noValue = /^Not enough arguments following: (\S+)$/.exec(message);
  if (noValue) return `--${noValue[1]} needs a value`;
  const missing = /^Missing required arguments?: (.*)$/.exec(message);
  if (missing) {
    const names = missing[1]!.split(", ").map((n) => `--${n}`);
    return `${names.join(" and ")} ${names.length === 1 ? "is" : "are"} required (${help("options")})`;
  }
  const choice = /Argument: (\S+), Given: (.*), Choices: (.*)$/m.exec(message);
  if (choice) {
    const [, name, given, choices = ""] = choice;
    return `--${name} must be ${choices.replace(/"/g, "").split(", ").join(" or ")}, got ${given}`;
  }
  const implied = /^Implications failed:\s+(\S+) -> (\S+)/m.exec(message);
  if (implied) return `--${implied[1]} needs --${implied[2]}`;
  return message.split("\n").join(" ");
}

function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

function isFlag(token: string, name: string): boolean {
  const flag = token.replace(/=.*$/s, "");
  return flag === `--${name}` || flag === `-${name}` || flag === `--no-${name}`;
}
