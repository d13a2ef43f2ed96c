import * as pulumi from "@pulumi/pulumi";

/*
 * What the plan engine uses of @pulumi/pulumi beyond its declared API, all in
 * this file: the runtime's RPC queue, the mock monitor's methods and the
 * requests they take, what resetOptions clears, and the Output internals of
 * the root Stack resource. (mocks.ts and secrets.ts mirror two of the mock
 * monitor's rules: URNs, provider references and the secret signature.)
 * Nothing but the exact pin in package.json keeps these as they are; the
 * canary test/automation/plan/pulumiInternals.test.ts checks each against the
 * installed SDK, and docs/dependencies.md says what to run when upgrading.
 */

/** A RegisterResourceRequest or ReadResourceRequest as the runtime hands it to the monitor. */
export interface MonitorRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvidersMap(): { get(key: string): string | undefined };
  // Only on registrations, not on reads:
  getReplacementTrigger?(): { toJavaScript(): unknown } | undefined;
  getDeletebeforereplace?(): boolean;
  getReplaceonchangesList?(): string[];
  getRetainondelete?(): boolean | undefined;
}
type Handler = (req: MonitorRequest, callback: (err: unknown, resp: unknown) => void) => unknown;
interface RecordableMonitor {
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
 * Hands each registration and read to `onRequest` just before the mock
 * monitor gets it, which calls the mocks' newResource synchronously: the
 * runtime calls the monitor's methods through the object getMonitor()
 * returns, so replacing them there intercepts every request.
 */
export function interceptMonitor(onRequest: (req: MonitorRequest) => void): void {
  const monitor = pulumi.runtime.getMonitor() as unknown as RecordableMonitor;
  for (const method of ["registerResource", "readResource"] as const) {
    const original = monitor[method].bind(monitor);
    monitor[method] = (req, callback) => {
      onRequest(req);
      return original(req, callback);
    };
  }
}

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
