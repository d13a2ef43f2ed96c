import { driftFromEvents, MAX_VALUE_CHARS, pathKeys, valueAt } from "../../automation/pulumi/drift";

const urn = (type: string, name: string) => `urn:pulumi:dev-china::silkroute::${type}::${name}`;

/** A resource's outputs event after a refresh read it, as the engine sends it. */
function readBack(op: string, type: string, name: string, extra: Record<string, unknown> = {}) {
  return { resOutputsEvent: { metadata: { op, urn: urn(type, name), type, ...extra } } };
}

describe("driftFromEvents", () => {
  const FN = "aws:lambda/function:Function";

  it("reports changed and deleted resources, with each changed property's two values", () => {
    // given
    const events = [
      readBack("same", "aws:iam/role:Role", "app-role"),
      readBack("update", FN, "app-fn", {
        detailedDiff: {
          memorySize: { diffKind: "update", inputDiff: false },
          'tags["owner"]': { diffKind: "add", inputDiff: false },
          "environment.variables.OLD": { diffKind: "delete", inputDiff: false },
        },
        old: { inputs: { memorySize: 128, environment: { variables: { OLD: "x" } } } },
        new: { inputs: { memorySize: 512, tags: { owner: "someone" } } },
      }),
      readBack("delete", "aws:cloudwatch/logGroup:LogGroup", "app-logs"),
    ];
    // when
    const drifted = driftFromEvents(events);
    // then
    expect(drifted).toEqual([
      {
        op: "update",
        type: FN,
        name: "app-fn",
        properties: [
          { path: "environment.variables.OLD", kind: "delete", state: "x" },
          { path: "memorySize", kind: "update", state: 128, actual: 512 },
          { path: 'tags["owner"]', kind: "add", actual: "someone" },
        ],
      },
      { op: "delete", type: "aws:cloudwatch/logGroup:LogGroup", name: "app-logs", properties: [] },
    ]);
  });

  it("ignores providers and the stack, re-read on every run", () => {
    // given / when / then
    expect(
      driftFromEvents([
        readBack("update", "pulumi:providers:aws", "app", { diffs: ["version"] }),
        readBack("update", "pulumi:pulumi:Stack", "silkroute-dev-china"),
      ]),
    ).toEqual([]);
  });

  it("falls back on the changed keys when the provider gives no detailed diff", () => {
    // given / when
    const [fn] = driftFromEvents([readBack("update", FN, "app-fn", { diffs: ["timeout"] })]);
    // then
    expect(fn.properties).toEqual([{ path: "timeout", kind: "update" }]);
  });

  it("cuts long values short", () => {
    // given
    const policy = JSON.stringify({ Statement: "x".repeat(500) });
    // when
    const [fn] = driftFromEvents([
      readBack("update", FN, "app-fn", {
        detailedDiff: { policy: { diffKind: "update", inputDiff: false } },
        old: { inputs: { policy: "{}" } },
        new: { inputs: { policy } },
      }),
    ]);
    // then
    const actual = String(fn.properties[0].actual);
    expect(actual).toHaveLength(MAX_VALUE_CHARS);
    expect(actual.endsWith("…")).toBe(true);
  });
});

describe("property paths", () => {
  it("splits names, indices and quoted keys", () => {
    expect(pathKeys('a.b[2]["c.d"].e')).toEqual(["a", "b", 2, "c.d", "e"]);
  });

  it("resolves a path, or gives undefined", () => {
    const value = { a: { b: [0, 1, { "c.d": { e: "found" } }] } };
    expect(valueAt(value, 'a.b[2]["c.d"].e')).toBe("found");
    expect(valueAt(value, "a.x.y")).toBeUndefined();
  });
});

describe("driftFromEvents without property paths from the provider", () => {
  it("compares the provider's values before and after", () => {
    // given
    const [fn] = driftFromEvents([
      readBack("update", "aws:lambda/function:Function", "app-fn", {
        old: { outputs: { memorySize: 128, timeout: 10, arn: "a" } },
        new: { outputs: { memorySize: 512, timeout: 10, arn: "a", layers: ["l"] } },
      }),
    ]);
    // then
    expect(fn.properties).toEqual([
      { path: "layers", kind: "add", actual: ["l"] },
      { path: "memorySize", kind: "update", state: 128, actual: 512 },
    ]);
  });
});
