import { iamMatcher } from "./glob";
import { conditionTest, type ConditionTest, list, readKeys } from "./conditions";

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
  /**
   * Its Action patterns' tests, one each, when it has Action (not NotAction)
   * and `actions` is defined: whether each pattern takes in an action.
   */
  readonly actionTests?: readonly ActionTest[];
  /**
   * Its Resource patterns' tests, one each (it matches a resource when one
   * does); undefined for every resource (no Resource element, or one with
   * policy variables).
   */
  readonly resourceTests?: readonly ((resource: string) => boolean)[];
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

/** A test per pattern of Action or NotAction, or undefined when one is left undecided. */
function actionTests(patterns: unknown): ActionTest[] | undefined {
  const tests = list(patterns).map(actionPattern);
  return tests.length === 0 || tests.some((t) => t === undefined)
    ? undefined
    : (tests as ActionTest[]);
}

/**
 * A test per Resource pattern (each as iamPattern's expression matches it,
 * glob.ts) of a request resource as testedResource gives it; undefined when a
 * pattern with a policy variable, or not a string, may match anything.
 */
function resourceTests(patterns: unknown): ((resource: string) => boolean)[] | undefined {
  const all = list(patterns);
  // The engine pads an ARN of fewer than six parts with `*` (policy type permitting): keep it.
  if (
    all.some(
      (p) =>
        typeof p !== "string" ||
        p.includes("${") ||
        (!/^\*+$/.test(p) && (p.split(":").length < 6 || regexInSegments(p))),
    )
  )
    return undefined;
  return (all as string[]).map((p) => iamMatcher(withoutFirstPart(p), "is"));
}

/**
 * Whether a pattern's partition, service, Region or account holds a character
 * the engine reads as regular-expression syntax there (resource.ts's
 * convertResourceSegmentToRegex turns only `*` and `?` into wildcards and
 * escapes nothing else: `us.east.1` matches `us-east-1`), where the tests
 * here take it literally.
 */
function regexInSegments(pattern: string): boolean {
  return pattern
    .split(":")
    .slice(1, 5)
    .some((segment) => /[.+^$\\{}()|[\]]/.test(segment));
}

/**
 * An ARN pattern or ARN with its first part, which the engine never compares
 * (it matches partition, service, Region, account and resource), read as
 * `arn`; a pattern of `*` alone is left as it is.
 */
function withoutFirstPart(arn: string): string {
  const colon = arn.indexOf(":");
  return colon < 0 ? arn : `arn${arn.slice(colon)}`;
}

/**
 * The request resource as the statements' resource tests take it, or
 * undefined when no statement may be left out for its resource: one with `*`
 * the engine matches by overlap, and one of fewer than six parts it pads
 * (each missing part matched by `*`). Its first part is read as `arn`, as the
 * patterns' are.
 */
export function testedResource(resource: string): string | undefined {
  if (resource.includes("*") || resource.split(":").length < 6) return undefined;
  return withoutFirstPart(resource);
}

export function compileStatement(statement: unknown): CompiledStatement {
  if (typeof statement !== "object" || statement === null) {
    return { statement, conditions: conditionTest(undefined), anyResource: false };
  }
  const s = statement as Record<string, unknown>;
  const negated = s.Action === undefined;
  const actions =
    negated && s.NotAction === undefined
      ? undefined
      : actionTests(negated ? s.NotAction : s.Action);
  const resources = s.Resource === undefined ? undefined : resourceTests(s.Resource);
  return {
    statement,
    actions:
      actions === undefined
        ? undefined
        : negated
          ? (service, action) => !actions.some((t) => t(service, action))
          : (service, action) => actions.some((t) => t(service, action)),
    actionTests: negated ? undefined : actions,
    resourceTests: resources,
    anyResource:
      s.NotResource === undefined &&
      (s.Resource === undefined ||
        (list(s.Resource).every((p) => typeof p === "string") &&
          list(s.Resource).some((p) => /^\*+$/.test(String(p))))),
    conditions: conditionTest(s.Condition),
    reads: readKeys(s),
  };
}
