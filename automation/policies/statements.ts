import { iamMatcher } from "./glob";
import { conditionTest, type ConditionTest, readKeys } from "./conditions";

/*
 * One policy statement compiled once for the filter (relevance.ts): its
 * Action or NotAction and its Resource patterns as tests that answer as the
 * engine (@cloud-copilot/iam-simulate) matches them, and what its conditions
 * read. Anything unusual is left undecided, so the statement is kept.
 */

/** Whether a statement's actions take in the request's (service lowercased, action part). */
export type ActionTest = (service: string, action: string) => boolean;

export interface CompiledStatement {
  readonly statement: unknown;
  /** Undefined when the engine's matching is not certain to be this one's: kept for any action. */
  readonly actions?: ActionTest;
  /** Undefined for every resource (no Resource element, or one with policy variables). */
  readonly resources?: (resource: string) => boolean;
  /** Whether it matches every resource alike (Resource `*`, no NotResource). */
  readonly anyResource: boolean;
  /** Whether a condition cannot hold in a request context (keys lowercased), and the keys it reads. */
  readonly conditions: ConditionTest;
  /**
   * The context keys (lowercased) the engine reads for it: its condition
   * keys. Undefined when it may read any (a policy variable, `${aws:…}`).
   */
  readonly reads?: readonly string[];
}

export const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/**
 * An action pattern as the engine (@cloud-copilot/iam-simulate) matches it:
 * all `*` matches any action; otherwise the service must be the request's,
 * and the part after it matches with `*` for any run and `?` for one
 * character, in any case. Patterns of other characters are left undecided.
 */
function actionPattern(pattern: unknown): ActionTest | undefined {
  if (typeof pattern !== "string") return undefined;
  if (/^\*+$/.test(pattern)) return () => true;
  const [service, part, ...rest] = pattern.split(":");
  if (service === undefined || part === undefined || rest.length > 0) return undefined;
  if (!/^[A-Za-z0-9*?]+$/.test(part)) return undefined;
  const lower = service.toLowerCase();
  const matches = iamMatcher(part, "i");
  return (s, a) => s === lower && matches(a);
}

function actionTest(statement: { Action?: unknown; NotAction?: unknown }): ActionTest | undefined {
  const negated = statement.Action === undefined;
  const patterns = list(negated ? statement.NotAction : statement.Action);
  const tests = patterns.map(actionPattern);
  if (patterns.length === 0 || tests.some((t) => t === undefined)) return undefined;
  const known = tests as ActionTest[];
  return negated ? (s, a) => !known.some((t) => t(s, a)) : (s, a) => known.some((t) => t(s, a));
}

/**
 * Whether one of the patterns matches a resource (each as iamPattern's
 * expression matches it, glob.ts); undefined when a pattern with a policy
 * variable, or not a string, may match anything.
 */
function resourcePatterns(patterns: unknown): ((resource: string) => boolean) | undefined {
  const all = list(patterns);
  // The engine pads an ARN of fewer than six parts with `*` (policy type permitting): keep it.
  if (
    all.some(
      (p) =>
        typeof p !== "string" || p.includes("${") || (!/^\*+$/.test(p) && p.split(":").length < 6),
    )
  )
    return undefined;
  const tests = (all as string[]).map((p) => iamMatcher(p, "is"));
  return (resource) => tests.some((matches) => matches(resource));
}

export function compileStatement(statement: unknown): CompiledStatement {
  if (typeof statement !== "object" || statement === null) {
    return { statement, conditions: conditionTest(undefined), anyResource: false };
  }
  const s = statement as Record<string, unknown>;
  return {
    statement,
    actions: s.Action === undefined && s.NotAction === undefined ? undefined : actionTest(s),
    resources: s.Resource === undefined ? undefined : resourcePatterns(s.Resource),
    anyResource:
      s.NotResource === undefined &&
      (s.Resource === undefined ||
        (list(s.Resource).every((p) => typeof p === "string") &&
          list(s.Resource).some((p) => /^\*+$/.test(String(p))))),
    conditions: conditionTest(s.Condition),
    reads: readKeys(s),
  };
}
