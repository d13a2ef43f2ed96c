import { enumProblems } from "./enums";
import { nestedSchema, ObjectSchema, Shape } from "./schema";
import { isAssetOrArchive, isSecret, isUnknown, Wire } from "./values";

export interface Failure {
  readonly property: string;
  readonly reason: string;
}

function kindOf(value: Wire): string {
  if (Array.isArray(value)) return "array";
  if (isAssetOrArchive(value)) return "asset";
  return typeof value;
}

/** Problems with one value against its declared shape (nested objects included). */
function checkValue(at: string, value: Wire, shape: Shape, failures: Failure[]): void {
  if (isSecret(value)) return checkValue(at, (value as { value: Wire }).value, shape, failures);
  if (value === null || value === undefined || isUnknown(value) || shape.kinds.has("any")) return;
  const kind = kindOf(value);
  const kinds = shape.kinds;
  const fits =
    (kind === "string" && kinds.has("string")) ||
    (kind === "number" && kinds.has("number")) ||
    (kind === "boolean" && kinds.has("boolean")) ||
    (kind === "asset" && kinds.has("asset")) ||
    (kind === "array" && kinds.has("array")) ||
    (kind === "object" && (kinds.has("object") || kinds.has("map")));
  if (!fits) {
    failures.push({
      property: at,
      reason: `expected ${[...kinds].join(" or ")}, got ${kind} ${JSON.stringify(value)}`,
    });
    return;
  }
  if (kind === "array" && shape.element) {
    (value as Wire[]).forEach((v, i) => checkValue(`${at}[${i}]`, v, shape.element!, failures));
  } else if (kind === "object" && kinds.has("map") && shape.element) {
    for (const [k, v] of Object.entries(value as object)) {
      checkValue(`${at}.${k}`, v, shape.element, failures);
    }
  } else if (kind === "object" && shape.ref) {
    const schema = nestedSchema(shape.ref);
    if (schema) checkObject(at, value as Record<string, Wire>, schema, failures);
  }
}

function checkObject(
  at: string,
  value: Record<string, Wire>,
  schema: ObjectSchema,
  failures: Failure[],
): void {
  const path = (k: string) => (at === "" ? k : `${at}.${k}`);
  for (const name of schema.required) {
    if (value[name] === undefined || value[name] === null) {
      failures.push({
        property: path(name),
        reason: `Missing required argument: the argument "${name}" is required, but no definition was found`,
      });
    }
  }
  for (const [name, v] of Object.entries(value)) {
    const shape = schema.properties[name];
    // The engine adds `__defaults`-style bookkeeping keys; anything else unknown is a typo.
    if (shape === undefined) {
      if (!name.startsWith("__")) {
        failures.push({ property: path(name), reason: `unknown argument "${name}"` });
      }
      continue;
    }
    checkValue(path(name), v, shape, failures);
  }
}

/** What AWS (or the provider before calling it) would reject in a resource's or function's inputs. */
export function validateInputs(token: string, inputs: Record<string, Wire>, schema: ObjectSchema) {
  const failures: Failure[] = [];
  checkObject("", inputs, schema, failures);
  failures.push(...enumProblems(token, inputs, isUnknown));
  return failures;
}
