import * as pulumi from "@pulumi/pulumi";
import { DIY_ORGANIZATION, PULUMI_PROJECT } from "../../components/naming";
import { describeAssets, hasAssets } from "./assets";
import { childUrn, PlanMocks, PlanMocksOptions, providerUrnOf, RecordedResource } from "./mocks";
import {
  forgetPendingRegistrations,
  interceptMonitor,
  MonitorRequest,
  settleStackOutputs,
  waitForRPCs,
  withoutDiagnostics,
} from "./pulumiInternals";
import { withHeldStructs } from "./heldStructs";

export const PROJECT = PULUMI_PROJECT;
/** The organization of a DIY (file:// or s3://) backend, as the Pulumi CLI names it. */
export const ORGANIZATION = DIY_ORGANIZATION;

/** A stack program: creates resources, returns the stack outputs. */
export type StackProgram = () => Promise<Record<string, unknown>> | Record<string, unknown>;

export interface EvaluatedStack {
  readonly name: string;
  readonly resources: readonly RecordedResource[];
  readonly outputs: Record<string, unknown>;
}

export interface EvaluateOptions extends PlanMocksOptions {
  /** Stack name as the program sees it (`pulumi.getStack()`). */
  readonly stack: string;
  /** Config as `namespace:key` → string (JSON for structured values). */
  readonly config: Readonly<Record<string, string>>;
  readonly program: StackProgram;
}

/**
 * Runs one stack program under the mock engine, in this process, and returns
 * every resource it registered with its inputs. Stacks are evaluated one at a
 * time: the Pulumi runtime's state is process-wide.
 */
export async function evaluateStack(options: EvaluateOptions): Promise<EvaluatedStack> {
  return withoutDiagnostics(() => withHeldStructs(() => evaluate(options)));
}

async function evaluate(options: EvaluateOptions): Promise<EvaluatedStack> {
  const mocks = new PlanMocks(options);
  pulumi.runtime.setAllConfig({ ...options.config });
  await pulumi.runtime.setMocks(mocks, PROJECT, options.stack, false, ORGANIZATION);
  record(mocks, options.stack);
  // A failure inside an Output (an unmocked invoke, a ResourceError in an
  // apply) surfaces as an unhandled rejection, not through the program: the
  // Pulumi runtime reports it that way on purpose. (Under jest, whose sandbox
  // keeps process events from this listener, jest fails the test instead.)
  // Such a failure can also leave the stack waiting for an input that never
  // resolves, so the first one ends the evaluation.
  const failures: unknown[] = [];
  let failed: (reason: unknown) => void = () => undefined;
  const firstFailure = new Promise<never>((_, reject) => (failed = reject));
  firstFailure.catch(() => undefined);
  const onRejection = (reason: unknown) => {
    failures.push(reason);
    failed(reason);
  };
  process.on("unhandledRejection", onRejection);
  try {
    let outputs: Record<string, unknown> = {};
    try {
      const run = pulumi.runtime.runInPulumiStack(async () => options.program());
      outputs = (await Promise.race([run, firstFailure])) ?? {};
    } catch (error) {
      settleStackOutputs();
      if (!failures.includes(error)) failures.unshift(error);
    }
    // Let every registration settle before judging. After a failure some
    // never will (a resource waiting on a failed one's URN), so give the
    // others a moment rather than waiting forever.
    const settled = waitForRPCs().catch((error: unknown) => failures.push(error));
    await (failures.length === 0
      ? Promise.race([settled, firstFailure]).catch(() => undefined)
      : Promise.race([settled, delay(50)]));
    // One turn of the event loop, so that rejections nobody handled are reported first.
    await new Promise((resolve) => setImmediate(resolve));
    failures.push(...mocks.failures);
    if (failures.length > 0) {
      forgetPendingRegistrations(PROJECT, options.stack, ORGANIZATION);
      throw failures[0];
    }
    const resources = await Promise.all(
      mocks.resources.map(async (r) =>
        hasAssets(r.inputs)
          ? { ...r, inputs: (await describeAssets(r.inputs)) as Record<string, unknown> }
          : r,
      ),
    );
    return { name: options.stack, resources, outputs };
  } finally {
    process.off("unhandledRejection", onRejection);
  }
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The mock engine computes URNs but does not hand the parent to the mocks;
 * this tells the mocks each resource's URN and parent just before the engine
 * calls newResource (which it does synchronously on registration).
 */
function record(mocks: PlanMocks, stack: string): void {
  interceptMonitor((req) => {
    const parent = req.getParent() === "" ? null : req.getParent();
    mocks.expect({
      urn: childUrn(stack, PROJECT, parent ?? "", req.getType(), req.getName()),
      parent,
      componentProvider: componentProvider(req),
      options: {
        replacementTrigger: req.getReplacementTrigger?.()?.toJavaScript(),
        deleteBeforeReplace: req.getDeletebeforereplace?.() ?? false,
        replaceOnChanges: req.getReplaceonchangesList?.() ?? [],
        retainOnDelete: req.getRetainondelete?.() ?? false,
      },
    });
  });
}

function componentProvider(req: MonitorRequest): string | null {
  const ref =
    typeof req.getProvidersMap === "function" ? req.getProvidersMap().get("aws") : undefined;
  return ref ? providerUrnOf(ref) : null;
}
