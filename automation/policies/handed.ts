import { type ConditionEntry, list } from "./conditions";
import type { FilterRequest, Relevant } from "./relevance";
import { testedResource } from "./statements";

/*
 * The document the engine is handed for a request: the statements the filter
 * kept (relevance.ts), and of each only the Resource and Action patterns that
 * take in the request, and only the condition entries not certain to hold.
 * The engine turns every pattern and condition value it is handed into a
 * regular expression for every request, so a statement's patterns of other
 * environments, Regions and stacks cost it most of its time.
 *
 * Leaving a pattern out changes no answer: the engine finds a statement's
 * Resource matches when one of its patterns matches the resource, and its
 * Action when one of its patterns takes in the action; the Decision reads
 * only these two answers of them (its explanations name the patterns; decide
 * reads no explanation). A pattern is left out only when its own test
 * (statements.ts, each answering as the engine does) says it does not match;
 * those that match are all kept, so the statement matches as before. Not cut:
 * NotAction and NotResource (a statement in them matches when none does), a
 * request resource with `*` (the engine matches it by overlap), and a
 * statement whose patterns are not all tested (a policy variable, a short
 * ARN, an action pattern left undecided).
 *
 * Leaving out a condition entry changes no answer either: a statement's
 * entries must all hold for it to match, and one is left out only when it is
 * certain to hold in the request's context (conditions.ts, ConditionTest
 * holding: a StringEquals of plain values, one equal to the key's value).
 */

/** The kept patterns of one list, or undefined when all are kept (the statement as it is). */
function keptPatterns<T>(tests: readonly T[], takesIn: (test: T) => boolean): number[] | undefined {
  const kept: number[] = [];
  tests.forEach((test, i) => takesIn(test) && kept.push(i));
  // None kept cannot happen for a statement the filter kept; it is left whole all the same.
  return kept.length === 0 || kept.length === tests.length ? undefined : kept;
}

/** A statement without some entries of its Condition, and without Condition when none is left. */
function withoutEntries(
  statement: Record<string, unknown>,
  entries: readonly ConditionEntry[],
): Record<string, unknown> {
  const left: Record<string, unknown> = {};
  for (const [operator, keys] of Object.entries(statement.Condition as object)) {
    const gone = new Set(entries.filter((e) => e.operator === operator).map((e) => e.key));
    const rest = Object.entries(keys as object).filter(([key]) => !gone.has(key));
    if (rest.length > 0) left[operator] = gone.size === 0 ? keys : Object.fromEntries(rest);
  }
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(statement)) {
    if (name !== "Condition") result[name] = value;
  }
  if (Object.keys(left).length > 0) result.Condition = left;
  return result;
}

/** `r`'s document as the engine is handed it for `request`, made once per statements and patterns kept. */
export function cut(
  r: Relevant,
  request: FilterRequest,
): { readonly document: unknown; validated?: unknown } {
  const { compiled: c } = r;
  const statements = c.statements;
  if (statements === undefined) {
    let found = c.cuts.get(r.key);
    if (found === undefined) c.cuts.set(r.key, (found = { document: c.document }));
    return found;
  }
  const { service, action } = request;
  const tested = testedResource(request.resource);
  let key = "";
  const kept = r.kept.map((i) => {
    const s = statements[i]!;
    let statement = s.statement as Record<string, unknown>;
    key += `${i}`;
    const resources =
      s.resourceTests === undefined || tested === undefined
        ? undefined
        : keptPatterns(s.resourceTests, (matches) => matches(tested));
    if (resources !== undefined) {
      const all = list(statement.Resource);
      statement = { ...statement, Resource: resources.map((k) => all[k]) };
      key += `r${resources.join(".")}`;
    }
    const actions =
      s.actionTests === undefined || action === undefined
        ? undefined
        : keptPatterns(s.actionTests, (takesIn) => takesIn(service, action));
    if (actions !== undefined) {
      const all = list(statement.Action);
      statement = { ...statement, Action: actions.map((k) => all[k]) };
      key += `a${actions.join(".")}`;
    }
    const holding = s.conditions.holding(request.context);
    if (holding.length > 0) {
      statement = withoutEntries(statement, holding);
      key += `c${holding.map((e) => e.index).join(".")}`;
    }
    key += ",";
    return statement;
  });
  let found = c.cuts.get(key);
  if (found === undefined) {
    c.cuts.set(key, (found = { document: { ...(c.document as object), Statement: kept } }));
  }
  return found;
}
