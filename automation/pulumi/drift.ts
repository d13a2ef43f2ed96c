import type { DriftedProperty, DriftedResource } from "./runner";

/*
 * Drift from the engine events of a refresh preview (`pulumi refresh
 * --preview-only`), without loading the Automation API: after reading a
 * resource, the engine reports it as `same`, `update` (it differs from the
 * state) or `delete` (it is gone), with the changed property paths.
 */

/** The parts of an engine event a drift report reads (the Automation API's EngineEvent). */
export interface DriftEvent {
  readonly resOutputsEvent?: {
    readonly metadata: {
      readonly op: string;
      readonly urn: string;
      readonly type: string;
      readonly diffs?: readonly string[];
      readonly detailedDiff?: Readonly<Record<string, { readonly diffKind: string }>>;
      readonly old?: StateValues;
      readonly new?: StateValues;
    };
  };
}

/** A resource's values in an event: secrets already shown as `[secret]` by the engine. */
interface StateValues {
  readonly inputs?: Readonly<Record<string, unknown>>;
  readonly outputs?: Readonly<Record<string, unknown>>;
}

/** Longest rendering of a property's value in a report; longer ones end in `…`. */
export const MAX_VALUE_CHARS = 120;

/**
 * Pulumi reports a refresh's diff the way an `up` of an unchanged program
 * would undo it, inverted: `add` is a value only the cloud has.
 */
const KINDS: Readonly<Record<string, string>> = {
  add: "add",
  "add-replace": "add",
  delete: "delete",
  "delete-replace": "delete",
  update: "update",
  "update-replace": "update",
};

/** Every resource the refresh found changed or gone, in event order. */
export function driftFromEvents(events: readonly DriftEvent[]): DriftedResource[] {
  const drifted: DriftedResource[] = [];
  for (const event of events) {
    const step = event.resOutputsEvent?.metadata;
    if (step === undefined || (step.op !== "update" && step.op !== "delete")) continue;
    // Providers and the stack itself are re-read on every run: not the app's resources.
    if (step.type.startsWith("pulumi:")) continue;
    drifted.push({
      op: step.op,
      type: step.type,
      name: step.urn.split("::").pop() ?? step.urn,
      properties: step.op === "delete" ? [] : propertiesOf(step),
    });
  }
  return drifted;
}

function propertiesOf(step: NonNullable<DriftEvent["resOutputsEvent"]>["metadata"]) {
  const detailed = Object.entries(step.detailedDiff ?? {});
  const paths: [string, string][] =
    detailed.length > 0
      ? detailed.map(([path, d]) => [path, KINDS[d.diffKind] ?? d.diffKind])
      : (step.diffs ?? []).length > 0
        ? step.diffs!.map((key) => [key, "update"])
        : changedOutputs(step.old?.outputs ?? {}, step.new?.outputs ?? {});
  return paths
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([path, kind]): DriftedProperty => {
      // The provider's view on both sides: what it returned at the last update, and now.
      const state = valueOf(step.old, path);
      const actual = valueOf(step.new, path);
      return {
        path,
        kind,
        ...(state !== undefined && { state: shown(state) }),
        ...(actual !== undefined && { actual: shown(actual) }),
      };
    });
}

/**
 * The top-level outputs that differ, for a provider that reports a change
 * but no property paths (a provider served by the Node.js SDK sends none).
 */
function changedOutputs(
  old: Readonly<Record<string, unknown>>,
  now: Readonly<Record<string, unknown>>,
): [string, string][] {
  return [...new Set([...Object.keys(old), ...Object.keys(now)])]
    .filter((k) => JSON.stringify(old[k]) !== JSON.stringify(now[k]))
    .map((k) => [k, !(k in old) ? "add" : !(k in now) ? "delete" : "update"]);
}

function valueOf(values: StateValues | undefined, path: string): unknown {
  return valueAt(values?.outputs, path) ?? valueAt(values?.inputs, path);
}

/** A value as a report shows it: scalars as they are, anything long cut short. */
function shown(value: unknown): unknown {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  if (text.length <= MAX_VALUE_CHARS) return value;
  return `${text.slice(0, MAX_VALUE_CHARS - 1)}…`;
}

/**
 * The value at a Pulumi property path (`a.b`, `a[0]`, `tags["x:y"]`), or
 * undefined when the path does not resolve.
 */
export function valueAt(root: unknown, path: string): unknown {
  let current = root;
  for (const key of pathKeys(path)) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** The keys of a property path: names, list indices and quoted keys. */
export function pathKeys(path: string): (string | number)[] {
  const keys: (string | number)[] = [];
  const pattern = /([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g;
  for (const match of path.matchAll(pattern)) {
    if (match[1] !== undefined) keys.push(match[1]);
    else if (match[2] !== undefined) keys.push(Number(match[2]));
    else keys.push(JSON.parse(`"${match[3]}"`) as string);
  }
  return keys;
}
