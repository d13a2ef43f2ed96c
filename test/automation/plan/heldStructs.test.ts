import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { RegisterResourceRequest } from "@pulumi/pulumi/proto/resource_pb";
import { structValue, withHeldStructs } from "../../../automation/plan/pulumiInternals";
import { exactly } from "../../helpers/pulumiCanary";

/*
 * The canary for the plan engine's stand-ins for google.protobuf.Struct
 * (automation/plan/pulumiInternals.ts): structValue, what a round trip through a Struct
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
    const held = await withHeldStructs(async () => Struct.fromJavaScript(value));
    const request = new RegisterResourceRequest();
    request.setObject(held);
    expect(request.getObject()).toBe(held);
    expect(exactly(held.toJavaScript())).toBe(exactly(Struct.fromJavaScript(value).toJavaScript()));
    const fields = Struct.fromJavaScript(value).getFieldsMap();
    expect(exactly(held.getFieldsMap().get("b")!.toJavaScript())).toBe(
      exactly(fields.get("b")!.toJavaScript()),
    );
  });
});
