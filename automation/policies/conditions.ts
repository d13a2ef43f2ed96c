import { iamPattern } from "../../components/iam/audit";

/*
 * What the IAM policy engine reads of a request's context for a statement,
 * and when a statement's conditions cannot hold in it, so that the statement
 * takes no part in the request (relevance.ts). Only what is certain: any
 * operator or value this does not know leaves the statement in.
 */

/** A request's context, keys lowercased as the engine keeps them. */
export type Context = ReadonlyMap<string, string | readonly string[]>;

/** A policy element that may be one value or a list of them, as a list. */
export const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/** Values a StringEquals compares as they are: no policy variable, no wildcard. */
const PLAIN = /^[^$*?]*$/;

/** An ARN's partition, service, Region, account and resource, as the engine splits it. */
function arnParts(arn: string): string[] | undefined {
  const parts = arn.split(":");
  return parts.length < 5 ? undefined : [...parts.slice(1, 5), parts.slice(5).join(":")];
}

/**
 * Whether an ArnLike (or ArnEquals) pattern without policy variables matches
 * an ARN: part by part, `*` any run and `?` one character, in the same case.
 * Each pattern's parts are compiled once, with the statement.
 */
function arnLike(pattern: string): (have: readonly string[]) => boolean {
  const want = arnParts(pattern)?.map((part) => iamPattern(part));
  return (have) => want !== undefined && want.every((part, i) => part.test(have[i] ?? ""));
}

interface Comparison {
  /** The values it compares as they are: no policy variable (and for StringEquals, no wildcard). */
  readonly plain: RegExp;
  /** Whether the key's single value matches any of the statement's values. */
  readonly matcher: (values: readonly string[]) => (value: string) => boolean;
}

const ARN: Comparison = {
  plain: /^[^$]*$/,
  matcher: (values) => {
    const patterns = values.map(arnLike);
    return (value) => {
      const have = arnParts(value);
      return have !== undefined && patterns.some((matches) => matches(have));
    };
  },
};

/** How an operator compares a single value, where this knows it. */
const COMPARE: Readonly<Record<string, Comparison>> = {
  stringequals: { plain: PLAIN, matcher: (values) => (value) => values.includes(value) },
  arnlike: ARN,
  arnequals: ARN,
};

/** One entry of a Condition: an operator and one of its keys, spelt as the document spells them. */
export interface ConditionEntry {
  readonly operator: string;
  readonly key: string;
  /** Its place among the statement's entries that may hold (for keys of what is handed). */
  readonly index: number;
}

/** When a statement's conditions cannot hold in a request context, and what of it that reads. */
export interface ConditionTest {
  readonly excluded: (context: Context) => boolean;
  /** The context keys (lowercased) `excluded` reads: its answer depends on their values alone. */
  readonly keys: readonly string[];
  /**
   * The entries certain to hold in a request context: a StringEquals (the
   * operator alone, no set operator or IfExists) of plain values, one of
   * which is the key's single value. The engine compares each value as an
   * expression of it with every special character escaped, anchored at both
   * ends and case-sensitive, so a value equal to the key's matches it; a
   * statement's entries must all hold, so one that holds decides nothing.
   */
  readonly holding: (context: Context) => readonly ConditionEntry[];
}

/**
 * Whether a statement's conditions cannot hold in a request context. A
 * condition on a key the request lacks does not (IAM: "If the key … is not
 * present in the request context, the values do not match"), but for those
 * that match a missing key or test its presence: Null, …IfExists, negated
 * operators and ForAllValues; and any other set operator the engine may read
 * otherwise. Nor does a StringEquals (exact, case-sensitive), ArnLike or
 * ArnEquals of plain values that the key's single value does not match.
 */
export function conditionTest(condition: unknown): ConditionTest {
  if (typeof condition !== "object" || condition === null) {
    return { excluded: () => false, keys: [], holding: () => [] };
  }
  const read: string[] = [];
  const certain: { entry: ConditionEntry; k: string; values: readonly string[] }[] = [];
  const tests = Object.entries(condition).flatMap(([operator, keys]) => {
    const op = operator.toLowerCase();
    const strict = /^(foranyvalue:)?[a-z]+$/.test(op) && !/null|not|ifexists/.test(op);
    if (!strict || typeof keys !== "object" || keys === null) return [];
    return Object.entries(keys).map(([key, values]) => {
      const k = key.toLowerCase();
      read.push(k);
      const given = list(values);
      if (op === "stringequals" && given.every((v) => typeof v === "string" && PLAIN.test(v))) {
        const entry = { operator, key, index: certain.length };
        certain.push({ entry, k, values: given as string[] });
      }
      const known = COMPARE[op];
      const matches = given.every((v) => typeof v === "string" && known?.plain.test(v))
        ? known?.matcher(given as string[])
        : undefined;
      return (context: Context) => {
        const value = context.get(k);
        if (value === undefined) return true;
        return matches !== undefined && typeof value === "string" && !matches(value);
      };
    });
  });
  return {
    excluded: (context) => tests.some((t) => t(context)),
    keys: read,
    holding: (context) =>
      certain
        .filter(({ k, values }) => {
          const value = context.get(k);
          return typeof value === "string" && values.includes(value);
        })
        .map(({ entry }) => entry),
  };
}

/**
 * A context value (or any string) as text that tells every sequence of
 * values apart: each says how long it is, so keys are joined without a
 * separator that a value could hold.
 */
export function valueKey(value: string | readonly string[] | undefined): string {
  if (value === undefined) return "-";
  if (typeof value === "string") return `${value.length}:${value}`;
  return `[${value.length}:${value.map((v) => valueKey(v)).join("")}`;
}

/** The condition keys of a statement, lowercased; undefined when it has a policy variable. */
export function readKeys(statement: Record<string, unknown>): string[] | undefined {
  if (JSON.stringify(statement).includes("${")) return undefined;
  const condition = statement.Condition;
  if (typeof condition !== "object" || condition === null) return [];
  return Object.values(condition).flatMap((keys) =>
    typeof keys === "object" && keys !== null ? Object.keys(keys).map((k) => k.toLowerCase()) : [],
  );
}
