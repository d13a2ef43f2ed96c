import { runInNewContext } from "vm";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { RegisterResourceRequest } from "@pulumi/pulumi/proto/resource_pb";
import { structValue, withHeldStructs } from "../../../automation/plan/heldStructs";
import * as aws from "../../../components/aws";
import { evaluate, providerFor } from "../../helpers/pulumi";
import { exactly } from "../../helpers/pulumiCanary";

/*
 * The canary for the plan engine's stand-ins for google.protobuf.Struct
 * (automation/plan/heldStructs.ts): structValue, what a round trip through a Struct
 * gives, and withHeldStructs, which makes the runtime's requests hold their properties
 * instead of building messages of them. (plainAnswers.test.ts checks a whole evaluation
 * with both against Pulumi's own.)
 */

/** What Struct.fromJavaScript(value).toJavaScript() gives, or the error it throws. */
const throughProtobuf = (value: unknown) => {
  try {
    return exactly(Struct.fromJavaScript({ value } as never).toJavaScript());
  } catch (error) {
    return `throws ${(error as Error).message}`;
  }
};
const throughStructValue = (value: unknown) => {
  try {
    return exactly(structValue({ value }));
  } catch (error) {
    return `throws ${(error as Error).message}`;
  }
};

/** A random JSON-like value of at most `depth` levels, from a seeded generator. */
function randomValue(next: () => number, depth: number): unknown {
  const keys = ["b", "a", "B", "10", "9", "é", "", "a b", "__proto__x", "Z", "0", "-1", "1.5"];
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
  switch (depth === 0 ? Math.floor(next() * 4) : Math.floor(next() * 6)) {
    case 0:
      return pick(["", "text", "ünïcode", "null"]);
    case 1:
      return pick([0, -0, 1, -1.5, 1e300, NaN, Infinity, -Infinity]);
    case 2:
      return pick([true, false]);
    case 3:
      return null;
    case 4:
      return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth - 1));
    default:
      return Object.fromEntries(
        Array.from({ length: Math.floor(next() * 5) }, () => [
          pick(keys),
          randomValue(next, depth - 1),
        ]),
      );
  }
}

/** A seeded generator (mulberry32), so that a failure can be run again. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("structValue, the state of a plain answer", () => {
  it("is what a round trip through google.protobuf.Struct gives, on 5,000 random values", () => {
    const next = seeded(20261130);
    for (let i = 0; i < 5000; i++) {
      const value = randomValue(next, 4);
      expect({ value, got: throughStructValue(value) }).toEqual({
        value,
        got: throughProtobuf(value),
      });
    }
  });

  it("sorts keys, reads inherited enumerable ones and fails as a Struct does on what it cannot hold", () => {
    class WithInherited {
      own = 1;
    }
    (WithInherited.prototype as unknown as Record<string, unknown>).inherited = 2;
    const noPrototype = Object.assign(Object.create(null) as object, { b: 1, a: 2 });
    const cases: unknown[] = [
      { b: 1, a: { d: [1, { z: 0, y: -0 }], c: null } },
      new WithInherited(),
      noPrototype,
      new Date(0),
      undefined,
      { a: undefined },
      () => 1,
      Symbol("s"),
      BigInt(1),
      [1, , 2],
      Buffer.from("ab"),
      new Uint8Array([1, 2]),
    ];
    for (const value of cases) {
      expect({ value, got: throughStructValue(value) }).toEqual({
        value,
        got: throughProtobuf(value),
      });
    }
    expect(throughStructValue({ b: 1, a: 2 })).toBe(exactly({ value: { a: 2, b: 1 } }));
  });

  it("takes for a list what google-protobuf takes for one, and for an object the rest", () => {
    // an own __proto__ key, as serializeProperties copies a program's input (its prototype)
    const protoArray = JSON.parse('{"__proto__":["x"],"team":"a"}') as Record<string, unknown>;
    const serialized: Record<string, unknown> = {};
    for (const key of Object.keys(protoArray)) serialized[key] = protoArray[key];
    const arrayLike = Object.assign(Object.create(null) as object, {
      length: 1,
      0: "a",
      splice: 1,
      propertyIsEnumerable: () => false,
    });
    const callable = Object.assign(Object.create(null) as object, {
      call: 1,
      propertyIsEnumerable: () => false,
    });
    const withoutCall = Object.assign(() => 1, { a: 1 });
    Object.defineProperty(withoutCall, "call", { value: undefined });
    const cases: unknown[] = [
      serialized,
      Object.assign(Object.create(Array.prototype) as object, { 0: "y", length: 1, b: 2 }),
      runInNewContext("[1, { b: 2, a: 1 }]"),
      runInNewContext("({ b: 1, a: [2] })"),
      arrayLike,
      callable,
      withoutCall,
      Object.assign(() => 1, { a: 1 }),
    ];
    for (const value of cases) {
      expect({ value, got: throughStructValue(value) }).toEqual({
        value,
        got: throughProtobuf(value),
      });
    }
    expect(throughStructValue(serialized)).toBe(exactly({ value: ["x"] }));
    // and where google-protobuf fails on a key that shadows what it calls, so does structValue
    const shadowing = Object.assign(Object.create(null) as object, {
      length: 1,
      splice: 1,
      propertyIsEnumerable: 1,
    });
    expect(() => structValue(shadowing)).toThrow(TypeError);
    expect(() => Struct.fromJavaScript({ value: shadowing } as never)).toThrow(TypeError);
  });
});

describe("withHeldStructs", () => {
  it("puts google.protobuf.Struct.fromJavaScript back after, even when what it runs fails", async () => {
    const fromJavaScript = Struct.fromJavaScript;
    const during = await withHeldStructs(async () => Struct.fromJavaScript);
    expect(during).not.toBe(fromJavaScript);
    expect(Struct.fromJavaScript).toBe(fromJavaScript);
    await expect(
      withHeldStructs(async () => {
        throw new Error("program failed");
      }),
    ).rejects.toThrow("program failed");
    expect(Struct.fromJavaScript).toBe(fromJavaScript);
  });

  it("makes Structs the runtime's message setters take, which give back what a message would", async () => {
    const value = { b: [1, { d: null, c: "x" }], a: true };
    const message = Struct.fromJavaScript(value);
    // (read inside the swap too, where a held Struct holding a held Struct is built)
    const [held, inside] = await withHeldStructs(async () => {
      const made = Struct.fromJavaScript(value);
      return [made, exactly(made.getFieldsMap().get("b")!.toJavaScript())] as const;
    });
    const request = new RegisterResourceRequest();
    request.setObject(held);
    expect(request.getObject()).toBe(held);
    expect(exactly(held.toJavaScript())).toBe(exactly(message.toJavaScript()));
    const b = exactly(message.getFieldsMap().get("b")!.toJavaScript());
    expect(exactly(held.getFieldsMap().get("b")!.toJavaScript())).toBe(b);
    expect(inside).toBe(b);
  });

  it("refuses to run while a run has not finished, and leaves the first one's swap to it", async () => {
    const fromJavaScript = Struct.fromJavaScript;
    let release: () => void = () => undefined;
    const first = withHeldStructs(() => new Promise<void>((resolve) => (release = resolve)));
    await expect(withHeldStructs(async () => undefined)).rejects.toThrow(
      "withHeldStructs: a stack is being evaluated already; evaluate one at a time",
    );
    expect(Struct.fromJavaScript).not.toBe(fromJavaScript);
    release();
    await first;
    expect(Struct.fromJavaScript).toBe(fromJavaScript);
  });
});

describe("a stack evaluated by the plan", () => {
  it("holds its requests' properties from its first registration to its last, awaits between them included", async () => {
    // given a program that registers before and after waiting
    const seen: boolean[] = [];
    const held = () => Object.getPrototypeOf(Struct.fromJavaScript({})) !== Struct.prototype;
    const stack = await evaluate(async () => {
      seen.push(held());
      new aws.sns.Topic("before", {}, { provider: providerFor("us-east-1") });
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push(held());
      new aws.sns.Topic("after", {}, { provider: providerFor("us-east-1", "later") });
      return {};
    });
    // then
    expect(seen).toEqual([true, true]);
    expect(held()).toBe(false);
    expect(stack.resources.map((r) => r.name)).toEqual(expect.arrayContaining(["before", "after"]));
  });
});
