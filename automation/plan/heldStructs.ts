import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { oneAtATime } from "./oneAtATime";

/*
 * The google-protobuf Struct through which @pulumi/pulumi's runtime puts
 * properties into its requests and the mock monitor into its answers, as the
 * plan engine stands in for it (automation/plan/pulumiInternals.ts says why
 * these are pinned; the canary is test/automation/plan/heldStructs.test.ts).
 */

type StructModule = typeof import("google-protobuf/google/protobuf/struct_pb");

/**
 * What google.protobuf.Struct.fromJavaScript(value).toJavaScript() gives: a
 * copy whose objects have their enumerable keys, own and inherited, in sorted
 * order (the order the runtime then resolves the properties in), whose lists
 * are what google-protobuf takes for a list (kindOf), and the same error for
 * a value a Struct cannot hold (undefined, a function).
 */
export function structValue(value: unknown): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
      return value;
    case "object":
    case "function": {
      const kind = kindOf(value as object);
      if (kind === "array") {
        const list = value as ArrayLike<unknown>;
        const copy: unknown[] = [];
        for (let i = 0; i < list.length; i++) copy.push(structValue(list[i]));
        return copy;
      }
      if (kind === "object") {
        const keys: string[] = [];
        for (const key in value) keys.push(key);
        keys.sort();
        const copy: Record<string, unknown> = {};
        for (const key of keys) copy[key] = structValue((value as Record<string, unknown>)[key]);
        return copy;
      }
      throw new Error("Unexpected struct type.");
    }
    default:
      throw new Error("Unexpected struct type.");
  }
}

/**
 * google-protobuf's goog.typeOf of an object or function: an Array (also one
 * of another realm, or an object whose prototype is an array) is a list, any
 * other object an object, and so is an object without Object.prototype unless
 * it looks like an array or a function.
 */
function kindOf(value: object): "array" | "object" | "function" {
  const v = value as Record<string, unknown> & { propertyIsEnumerable(key: string): boolean };
  if (typeof value === "function") return typeof v.call === "undefined" ? "object" : "function";
  if (value instanceof Array) return "array";
  if (value instanceof Object) return "object";
  const tag = Object.prototype.toString.call(value);
  const defined = (key: string) => typeof v[key] !== "undefined";
  if (
    tag === "[object Array]" ||
    (typeof v.length === "number" &&
      defined("splice") &&
      defined("propertyIsEnumerable") &&
      !v.propertyIsEnumerable("splice"))
  ) {
    return "array";
  }
  if (
    tag === "[object Function]" ||
    (defined("call") && defined("propertyIsEnumerable") && !v.propertyIsEnumerable("call"))
  ) {
    return "function";
  }
  return "object";
}

/**
 * Runs `evaluate` while google.protobuf.Struct.fromJavaScript, through which
 * the runtime puts the properties of every registration, read and invoke
 * into its request (and the mock monitor an invoke's result into its
 * answer), makes a Struct that holds them instead of building a message of
 * them. Under the mock monitor a request's properties are read only through
 * toJavaScript (the mocks' inputs), which gives what the message would
 * (structValue), and, for the `pulumi:pulumi:getResource` invoke,
 * getFieldsMap, which builds the message then; nothing serializes a request.
 * Every value held is serializeProperties' output, which a Struct can hold
 * (where fromJavaScript would fail, toJavaScript fails alike, later). Put
 * back after, even on failure.
 */
export async function withHeldStructs<T>(evaluate: () => Promise<T>): Promise<T> {
  return oneAtATime("withHeldStructs", () => holdingStructs(evaluate));
}

async function holdingStructs<T>(evaluate: () => Promise<T>): Promise<T> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module object itself, to swap its export (an import would bind a copy in the bundle)
  const { Struct } = require("google-protobuf/google/protobuf/struct_pb") as StructModule;
  const fromJavaScript = Struct.fromJavaScript;
  type Fields = ReturnType<Struct["toJavaScript"]>;
  class HeldStruct extends Struct {
    constructor(private readonly held: Fields) {
      super();
    }
    override toJavaScript(): Fields {
      return structValue(this.held) as Fields;
    }
    override getFieldsMap() {
      return fromJavaScript(this.held).getFieldsMap();
    }
  }
  Struct.fromJavaScript = (value) => new HeldStruct(value);
  try {
    return await evaluate();
  } finally {
    Struct.fromJavaScript = fromJavaScript;
  }
}
