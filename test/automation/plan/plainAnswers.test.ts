import * as pulumi from "@pulumi/pulumi";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { ReadResourceRequest, RegisterResourceRequest } from "@pulumi/pulumi/proto/resource_pb";
import { withHeldStructs } from "../../../automation/plan/heldStructs";
import { interceptMonitor } from "../../../automation/plan/pulumiInternals";
import {
  CanaryProvider,
  exactly,
  expectInternal,
  Group,
  ORGANIZATION,
  PROJECT,
  RecordingMocks,
  settle,
  STACK,
  Thing,
  urnOf,
} from "../../helpers/pulumiCanary";

/*
 * The canary for interceptMonitor's plain answers and withHeldStructs' requests
 * (automation/plan/pulumiInternals.ts, heldStructs.ts): that the runtime, so answered and with such
 * requests, resolves every resource as with the mock monitor's protobuf messages, in the
 * same order. (heldStructs.test.ts checks the Structs themselves.)
 */

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

/** A component that registers outputs, whose keys are not in order. */
class Reporting extends pulumi.ComponentResource {
  constructor(name: string) {
    super("canary:index:Reporting", name);
    this.registerOutputs({ b: 1, a: { d: [1], c: "x" } });
  }
}

/** A Struct's value, or the value itself. */
const asValue = (value: unknown) =>
  typeof (value as { toJavaScript?: unknown } | null)?.toJavaScript === "function"
    ? (value as { toJavaScript(): unknown }).toJavaScript()
    : value;

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
  mocks.call = (args) => ({ z: [{ y: 1, x: 2 }], echoed: args.inputs });
  await pulumi.runtime.setMocks(mocks, PROJECT, STACK, false, ORGANIZATION);
  if (plain) interceptMonitor(() => undefined);
  const program = async () => {
    const first = new Stateful("first", { size: 1 });
    const second = new Stateful("second", { from: first.nested, size: first.id });
    const read = new Stateful("read", { wanted: second.list }, { id: "existing" });
    const third = new Stateful("third", { from: read.secret });
    // a component (not custom) and one that registers outputs, and a resource with a provider
    new Group("group");
    new Reporting("reporting");
    new Thing("provided", {}, { provider: new CanaryProvider("canary") });
    // one resource per output of the first, made in another order than its state's keys: they
    // register in the order those outputs resolve
    for (const output of ["secret", "list", "nested"] as const) {
      new Stateful(`after-${output}`, { from: first[output] });
    }
    // an invoke, and the first again by its URN (the pulumi:pulumi:getResource invoke)
    const invoked = await pulumi.runtime.invoke("canary:index:getThing", {
      b: 1,
      a: { d: 2, c: 3 },
    });
    const again = new Stateful("first-again", {}, { urn: await urnOf(first) });
    return Promise.all([
      invoked,
      ...[first, second, read, third, again].map((r) =>
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
    ]);
  };
  const outputs = await (plain ? withHeldStructs(program) : program());
  await settle();
  const kept = (
    pulumi.runtime.getMonitor() as unknown as {
      resources: Map<string, { state: unknown }>;
    }
  ).resources;
  return {
    order: mocks.events,
    args: exactly(mocks.args),
    outputs: exactly(outputs),
    // (a component's outputs are kept as the Struct of its request)
    kept: exactly([...kept.entries()].map(([urn, r]) => [urn, { ...r, state: asValue(r.state) }])),
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
        "reporting",
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
