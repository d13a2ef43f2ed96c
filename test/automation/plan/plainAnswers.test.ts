import * as pulumi from "@pulumi/pulumi";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { ReadResourceRequest, RegisterResourceRequest } from "@pulumi/pulumi/proto/resource_pb";
import { interceptMonitor, structValue } from "../../../automation/plan/pulumiInternals";
import {
  CanaryProvider,
  expectInternal,
  Group,
  ORGANIZATION,
  PROJECT,
  RecordingMocks,
  settle,
  STACK,
  Thing,
} from "../../helpers/pulumiCanary";

/*
 * The canary for interceptMonitor's plain answers (automation/plan/pulumiInternals.ts):
 * that the runtime, answered so, resolves every resource as the mock monitor's protobuf
 * messages make it, in the same order; and that structValue is the round trip through
 * google.protobuf.Struct that those messages are.
 */

/** A description that keeps what deep equality ignores: key order, -0 and NaN. */
const exactly = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) =>
    typeof v === "number" ? `number ${Object.is(v, -0) ? "-0" : String(v)}` : v,
  );

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

/** A resource whose outputs the test reads back once registered. */
const outputsOf = (r: pulumi.CustomResource & Record<string, unknown>, names: readonly string[]) =>
  Promise.all(
    names.map(
      (n) =>
        new Promise<unknown>((resolve) => {
          (r[n] as pulumi.Output<unknown>).apply((v) => resolve(v));
        }),
    ),
  );

class Stateful extends Thing {
  declare readonly nested: pulumi.Output<unknown>;
  declare readonly list: pulumi.Output<unknown>;
  declare readonly secret: pulumi.Output<unknown>;
  constructor(name: string, props: pulumi.Inputs = {}, opts: pulumi.CustomResourceOptions = {}) {
    const outputs = { nested: undefined, list: undefined, secret: undefined };
    super(
      name,
      { ...outputs, from: undefined, wanted: undefined, size: undefined, ...props },
      opts,
    );
  }
}

/**
 * Registers and reads resources that depend on each other's outputs, with states of
 * unsorted keys, nested values and secrets; gives the order the mocks saw them in, every
 * output as resolved (in key order) and what the monitor kept.
 */
async function run(plain: boolean) {
  const mocks = new RecordingMocks();
  mocks.answer = (args) => ({
    id: args.id ?? `${args.name}-id`,
    state: {
      ...args.inputs,
      nested: { z: 1, a: { y: [2, { c: 3, b: 4 }], x: -0 }, m: null },
      list: ["b", { k: "v", e: true }],
      secret: pulumi.secret({ b: "s", a: 1 }),
    },
  });
  await pulumi.runtime.setMocks(mocks, PROJECT, STACK, false, ORGANIZATION);
  if (plain) interceptMonitor(() => undefined);
  const first = new Stateful("first", { size: 1 });
  const second = new Stateful("second", { from: first.nested, size: first.id });
  const read = new Stateful("read", { wanted: second.list }, { id: "existing" });
  const third = new Stateful("third", { from: read.secret });
  // a component (not custom), and a resource with a provider of its own
  new Group("group");
  new Thing("provided", {}, { provider: new CanaryProvider("canary") });
  // one resource per output of the first, made in another order than its state's keys: they
  // register in the order those outputs resolve
  for (const output of ["secret", "list", "nested"] as const) {
    new Stateful(`after-${output}`, { from: first[output] });
  }
  const outputs = await Promise.all(
    [first, second, read, third].map((r) =>
      // (not the id: RecordingMocks answers a registration's empty import id, an unknown id)
      outputsOf(r as unknown as pulumi.CustomResource & Record<string, unknown>, [
        "urn",
        "nested",
        "list",
        "secret",
        "from",
        "wanted",
      ]),
    ),
  );
  await settle();
  const kept = (pulumi.runtime.getMonitor() as unknown as { resources: Map<string, unknown> })
    .resources;
  return {
    order: mocks.events,
    args: exactly(mocks.args),
    outputs: exactly(outputs),
    kept: exactly([...kept.entries()]),
  };
}

describe("interceptMonitor's plain answers", () => {
  it("resolve every output as the mock monitor's messages do, register in the same order and keep the same resources", async () => {
    const messages = await run(false);
    const plain = await run(true);
    expectInternal(
      "the mock monitor's registerResource/readResource answers",
      "are read by the runtime only as interceptMonitor's plain answers give them (getUrn, getId, getObject, getPropertydependenciesMap, getResult; getUrn, getProperties), its steps awaited as interceptMonitor awaits them",
      exactly(plain) === exactly(messages),
    );
    expect(plain).toEqual(messages);
    expect(plain.order).toEqual(
      [
        "group",
        "canary",
        "first",
        "provided",
        "after-secret",
        "after-list",
        "after-nested",
        "second",
        "read",
        "third",
      ].map((name) => `newResource ${name}`),
    );
  });

  it("reach the runtime in as many turns of the microtask queue as the mock monitor's", async () => {
    // given resources that wait for the first one's answer (a registration and a read), and one
    // made after each of 80 turns of the microtask queue: where the waiting ones land among
    // those counts the turns an answer takes
    const clock = async (plain: boolean) => {
      const mocks = new RecordingMocks();
      mocks.answer = (args) => ({ id: `${args.name}-id`, state: { ...args.inputs, out: "v" } });
      await pulumi.runtime.setMocks(mocks, PROJECT, STACK, false, ORGANIZATION);
      if (plain) interceptMonitor(() => undefined);
      const first = new Thing("first", { out: undefined });
      new Thing("after-output", { from: (first as unknown as Record<string, unknown>).out });
      new Thing("after-id", { from: first.id }, { id: "existing" });
      const turns = Array.from({ length: 80 }, async (_, k) => {
        for (let i = 0; i < k; i++) await null;
        new Thing(`turn-${k}`);
      });
      await Promise.all(turns);
      await settle();
      return mocks.events;
    };
    const plain = await clock(true);
    expectInternal(
      "the mock monitor's registerResource/readResource",
      "answer in as many microtask turns as interceptMonitor's handlers (the same awaits)",
      JSON.stringify(plain) === JSON.stringify(await clock(false)),
    );
    // and the clock can tell: the waiting ones land among the turns
    const at = (name: string) => plain.indexOf(`newResource ${name}`);
    expect(at("after-output")).toBeGreaterThan(at("turn-1"));
    expect(at("after-output")).toBeLessThan(at("turn-79"));
  });

  it("fail a registration or read the mocks fail with the same error", async () => {
    const failures = async (plain: boolean) => {
      const mocks = new RecordingMocks();
      mocks.answer = (args) => {
        throw new Error(`no such thing as ${args.name}`);
      };
      await pulumi.runtime.setMocks(mocks, PROJECT, STACK, false, ORGANIZATION);
      if (plain) interceptMonitor(() => undefined);
      const monitor = pulumi.runtime.getMonitor() as unknown as Record<
        "registerResource" | "readResource",
        (req: unknown, callback: (err: unknown, resp: unknown) => void) => void
      >;
      const register = new RegisterResourceRequest();
      register.setType("canary:index:Thing");
      register.setName("registered");
      register.setObject(Struct.fromJavaScript({}));
      const read = new ReadResourceRequest();
      read.setType("canary:index:Thing");
      read.setName("read");
      read.setProperties(Struct.fromJavaScript({}));
      const answer = (method: "registerResource" | "readResource", req: unknown) =>
        new Promise<string>((resolve) =>
          monitor[method](req, (err, resp) =>
            resolve(`${(err as Error | null)?.message} ${resp === undefined}`),
          ),
        );
      return [await answer("registerResource", register), await answer("readResource", read)];
    };
    const plain = await failures(true);
    expect(plain).toEqual(await failures(false));
    expect(plain).toEqual(["no such thing as registered true", "no such thing as read true"]);
  });
});
