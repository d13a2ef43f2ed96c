import { SECRET_PLACEHOLDER } from "../plan/secrets";
import { PlannedResource } from "../plan/types";

/** How a value that is only known after deployment appears to a rule (CrossGuard previews). */
export const UNKNOWN = "[unknown]";
export { SECRET_PLACEHOLDER };

/** True when a value is present and known: neither missing, unknown nor a masked secret. */
export function isKnown(value: unknown): boolean {
  return value !== undefined && value !== null && value !== UNKNOWN && value !== SECRET_PLACEHOLDER;
}

/** One IAM policy statement as the rules read it. */
export interface Statement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** The statements of a policy document given as JSON text or as an object; [] if it is neither. */
export function statementsOf(document: unknown): Statement[] {
  let doc = document;
  if (typeof doc === "string") {
    try {
      doc = JSON.parse(doc);
    } catch {
      return [];
    }
  }
  if (typeof doc !== "object" || doc === null) return [];
  const statement = (doc as { Statement?: unknown }).Statement;
  const list = Array.isArray(statement) ? statement : statement === undefined ? [] : [statement];
  return list.filter((s): s is Statement => typeof s === "object" && s !== null);
}

/** A string or list of strings as a list (anything else: empty). */
export function stringsOf(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return [];
}

/** Every policy document a resource carries, with where it sits (`policy`, `inlinePolicies[0].policy`, …). */
export function policyDocumentsOf(r: PlannedResource): { at: string; statements: Statement[] }[] {
  const found: { at: string; statements: Statement[] }[] = [];
  for (const key of ["policy", "assumeRolePolicy"]) {
    const statements = statementsOf(r.inputs[key]);
    if (statements.length > 0) found.push({ at: key, statements });
  }
  const inline = r.inputs.inlinePolicies;
  if (Array.isArray(inline)) {
    inline.forEach((p, i) => {
      const statements = statementsOf((p as { policy?: unknown } | null)?.policy);
      if (statements.length > 0) found.push({ at: `inlinePolicies[${i}].policy`, statements });
    });
  }
  return found;
}

/** A nested input, e.g. `get(r.inputs, "environment", "privilegedMode")`. */
export function get(value: unknown, ...path: (string | number)[]): unknown {
  let at = value;
  for (const key of path) {
    if (typeof at !== "object" || at === null) return undefined;
    at = (at as Record<string | number, unknown>)[key];
  }
  return at;
}

/** The resources of one of the given types. */
export function ofTypes(
  resources: readonly PlannedResource[],
  ...types: string[]
): PlannedResource[] {
  return resources.filter((r) => types.includes(r.type));
}
