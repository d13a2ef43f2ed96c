import * as pulumi from "@pulumi/pulumi";
import { structValue } from "./heldStructs";
import { oneAtATime } from "./oneAtATime";

/*
 * What the plan engine uses of @pulumi/pulumi beyond its declared API, all in
 * this file: the runtime's RPC queue, the mock monitor's methods and the
 * requests they take, what resetOptions clears, and the Output internals of
 * the root Stack resource (and, in heldStructs.ts, the google-protobuf Struct
 * it builds requests with). (mocks.ts and secrets.ts mirror two of the mock
 * monitor's rules: URNs, provider references and the secret signature.)
 * Nothing but the exact pin in package.json keeps these as they are; the
 * canaries test/automation/plan/pulumiInternals.test.ts, plainAnswers.test.ts
 * and heldStructs.test.ts check each against the installed SDK, and
 * docs/dependencies.md says what to run when upgrading.
 */

/** A RegisterResourceRequest or ReadResourceRequest as the runtime hands it to the monitor. */
export interface MonitorRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getProvidersMap(): { get(key: string): string | undefined };
  // Only on registrations, not on reads:
  getObject?(): unknown;
  getCustom?(): boolean;
  getImportid?(): string;
  getReplacementTrigger?(): { toJavaScript(): unknown } | undefined;
  getDeletebeforereplace?(): boolean;
  getReplaceonchangesList?(): string[];
  getRetainondelete?(): boolean | undefined;
  // Only on reads:
  getProperties?(): unknown;
  getId?(): string;
}
type Callback = (err: unknown, resp: unknown) => void;
type Handler = (req: MonitorRequest, callback: Callback) => unknown;
/** runtime/mocks' MockMonitor, as setMocks leaves it for getMonitor(). */
interface MockMonitor {
  readonly mocks: pulumi.runtime.Mocks;
  /** What it registered, by URN, for the `pulumi:pulumi:getResource` invoke. */
  readonly resources: Map<string, { urn: string; id: string | null; state: unknown }>;
  newUrn(parent: string, type: string, name: string): string;
  registerResource: Handler;
  readResource: Handler;
}

/**
 * runtime.waitForRPCs (exported at run time, stripped from the .d.ts):
 * resolves once every outstanding resource registration has finished.
 */
export function waitForRPCs(): Promise<void> {
  return (pulumi.runtime as unknown as { waitForRPCs: () => Promise<void> }).waitForRPCs();
}

/**
 * Takes over the mock monitor's registerResource and readResource on the
 * object getMonitor() returns, through which the runtime calls them: each
 * request goes to `onRequest` first, then through the mock monitor's own
 * steps (newResource of the mocks, the URN, the state serialized and kept),
 * awaited as it awaits them, so that resources register in the same order.
 *
 * Only the answer differs. The mock monitor builds a protobuf message of each
 * resource's state, which the runtime turns back into the same plain values
 * and, first, into text for a debug line that nothing prints: together about
 * a thirtieth of a plan. Here the answer is a plain object with the methods
 * the runtime reads, the shape the runtime itself answers with when it has no
 * monitor (runtime/resource.js), and its state is what the message would turn
 * back into (structValue).
 */
export function interceptMonitor(onRequest: (req: MonitorRequest) => void): void {
  const monitor = pulumi.runtime.getMonitor() as unknown as MockMonitor;
  const { deserializeProperties, serializeProperties } = pulumi.runtime;
  /**
   * A handler of the requests of one kind, which hold their properties, a
   * custom resource's flag and its id each in their own field (`fields`), and
   * get the answer `answerOf` makes of the URN, id and state.
   */
  const handler =
    (
      fields: (req: MonitorRequest) => { properties: unknown; custom?: boolean; id?: string },
      answerOf: (urn: string, id: string, state: { toJavaScript(): unknown }) => unknown,
    ): Handler =>
    async (req, callback) => {
      try {
        onRequest(req);
        const { properties, custom, id } = fields(req);
        const result = await monitor.mocks.newResource({
          type: req.getType(),
          name: req.getName(),
          inputs: deserializeProperties(properties as Parameters<typeof deserializeProperties>[0]),
          provider: req.getProvider(),
          custom,
          id,
        });
        const urn = monitor.newUrn(req.getParent(), req.getType(), req.getName());
        const state = await serializeProperties("", result.state);
        monitor.resources.set(urn, { urn, id: result.id ?? null, state });
        callback(null, answerOf(urn, result.id ?? "", { toJavaScript: () => structValue(state) }));
      } catch (err) {
        callback(err, undefined);
      }
    };
  monitor.registerResource = handler(
    (req) => ({
      properties: req.getObject?.(),
      custom: req.getCustom?.(),
      id: req.getImportid?.(),
    }),
    (urn, id, state) => ({
      getUrn: () => urn,
      getId: () => id,
      getObject: () => state,
      getPropertydependenciesMap: () => undefined,
      getResult: () => RESULT_SUCCESS,
    }),
  );
  monitor.readResource = handler(
    (req) => ({ properties: req.getProperties?.(), custom: true, id: req.getId?.() }),
    (urn, _id, state) => ({ getUrn: () => urn, getProperties: () => state }),
  );
}

/** pulumirpc.Result.SUCCESS: the registration succeeded, its state has no unknowns. */
const RESULT_SUCCESS = 0;

/**
 * resetOptions(project, stack, parallel, engineAddr, monitorAddr, preview,
 * organization): besides the settings, it forgets the registrations a failed
 * program cut short, which would otherwise be reported as leaked promises at
 * exit and override the exit code.
 */
export function forgetPendingRegistrations(
  project: string,
  stack: string,
  organization: string,
): void {
  pulumi.runtime.resetOptions(project, stack, -1, "", "", false, organization);
}

/**
 * A failed program leaves the root Stack resource's output promises rejected
 * with the same error and nobody awaiting them; mark them handled so the
 * failure is reported once, by the caller. (promise(), isKnown and isSecret
 * are on every Output at run time, not in the .d.ts.)
 */
export function settleStackOutputs(): void {
  const outputs = pulumi.runtime.getStackResource()?.outputs as unknown as
    | { promise(): Promise<unknown>; isKnown: Promise<boolean>; isSecret: Promise<boolean> }
    | undefined;
  if (outputs === undefined) return;
  const ignore = () => undefined;
  outputs.promise().catch(ignore);
  outputs.isKnown.catch(ignore);
  outputs.isSecret.catch(ignore);
}

const settled = <T>(value: T) => value;
const rethrow = (error: unknown) => {
  throw error;
};

/** runtime/debuggable (no declarations: every export is @internal). */
interface Debuggable {
  debuggablePromise<T>(p: Promise<T>, ctx?: unknown): Promise<T>;
}

/** The Resource class's private static that reads the caller's source positions. */
interface WithCallsites {
  callsites(): unknown[];
}

/**
 * Runs `evaluate` without two diagnostics the runtime keeps for a real
 * deployment, which the plan never shows:
 *
 * - Every promise the runtime makes (four per output property of each
 *   resource) goes through runtime/debuggable's debuggablePromise, which
 *   defines three properties on it, takes a stack trace and keeps it in a
 *   Set, to report at exit the promises that never settled. The plan reports
 *   its failures itself (evaluate.ts), forgets what a failure cut short
 *   (forgetPendingRegistrations), and a command that stops waiting on
 *   something that never comes ends with 1 (automation/exitStatus.ts).
 *   Meanwhile each promise goes through the same two steps without the
 *   record, so that resources register in the same order, and a rejection
 *   reaches the same handlers, or none.
 * - Every resource's constructor takes a whole stack trace (whatever
 *   Error.stackTraceLimit says), parses each frame and turns its file into a
 *   URL, for the source position and stack trace its registration carries
 *   to the engine. The mock engine reads neither; Resource.callsites, which
 *   takes them, answers none meanwhile (synchronously, as before).
 *
 * Each is put back after, for whatever the process runs next.
 */
export async function withoutDiagnostics<T>(evaluate: () => Promise<T>): Promise<T> {
  return oneAtATime("withoutDiagnostics", () => quietly(evaluate));
}

async function quietly<T>(evaluate: () => Promise<T>): Promise<T> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module object itself, to swap its export (an import would bind a copy in the bundle)
  const debuggable = require("@pulumi/pulumi/runtime/debuggable") as Debuggable;
  const resource = pulumi.Resource as unknown as WithCallsites;
  const tracked = debuggable.debuggablePromise;
  const callsites = resource.callsites;
  debuggable.debuggablePromise = (p) => p.then(settled).catch(rethrow);
  resource.callsites = () => [];
  try {
    return await evaluate();
  } finally {
    debuggable.debuggablePromise = tracked;
    resource.callsites = callsites;
  }
}
