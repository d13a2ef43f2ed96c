import * as path from "path";

/** `silkroute plan --json` of the shipped config, as printed. */
export const GOLDEN_PLAN = path.resolve(__dirname, "..", "golden", "plan.json");

/** What a golden-file failure tells the reader to do. */
export const REGENERATE =
  "If the change is intended, run `npm run golden` and say in the commit message why the plan changed.";

/**
 * Where two plan documents first differ, as a readable path
 * (`stacks[global].resources[urn:…].inputs.policy`), or undefined when equal.
 */
export function firstDifference(
  expected: unknown,
  actual: unknown,
  at = "plan",
): string | undefined {
  if (Object.is(expected, actual)) return undefined;
  if (Array.isArray(expected) && Array.isArray(actual)) {
    for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
      if (i >= expected.length) return `${at}[${label(actual[i], i)}] (added)`;
      if (i >= actual.length) return `${at}[${label(expected[i], i)}] (removed)`;
      const found = firstDifference(expected[i], actual[i], `${at}[${label(expected[i], i)}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (isObject(expected) && isObject(actual)) {
    for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
      if (!(key in actual)) return `${at}.${key} (removed)`;
      if (!(key in expected)) return `${at}.${key} (added)`;
      const found = firstDifference(expected[key], actual[key], `${at}.${key}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  return `${at}: expected ${brief(expected)}, got ${brief(actual)}`;
}

function brief(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/** Stacks by name and resources by URN read better than indexes. */
function label(item: unknown, index: number): string {
  if (isObject(item) && typeof item.urn === "string") return item.urn;
  if (isObject(item) && typeof item.name === "string") return item.name;
  return String(index);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
