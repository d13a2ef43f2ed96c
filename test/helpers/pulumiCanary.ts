import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

/*
 * What the canary tests of the plan engine's use of @pulumi/pulumi internals
 * share (test/automation/plan/pulumiInternals.test.ts, plainAnswers.test.ts,
 * heldStructs.test.ts): the pin, the failure that names an internal, mocks
 * that record each call, resources of each kind, and an exact description.
 */

const ROOT = path.resolve(__dirname, "../..");
export const PIN: string = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"))
  .dependencies["@pulumi/pulumi"];
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const INSTALLED: string = require("@pulumi/pulumi/package.json").version;

/** Fails, naming the internal, what the plan engine expects of it, and the pin. */
export function expectInternal(internal: string, expectation: string, holds: boolean): void {
  if (holds) return;
  throw new Error(
    `@pulumi/pulumi ${INSTALLED}: ${internal} no longer ${expectation}. silkroute's plan engine ` +
      `relies on it (automation/plan/pulumiInternals.ts), which is why package.json pins ` +
      `@pulumi/pulumi ${PIN} exactly: adapt the engine to this version or keep the pin ` +
      `(docs/dependencies.md).`,
  );
}

export const PROJECT = "canary";
export const STACK = "canary";
export const ORGANIZATION = "organization";

/** Mocks that record each call, answered at once unless `answer` says otherwise. */
export class RecordingMocks implements pulumi.runtime.Mocks {
  readonly events: string[] = [];
  readonly args: pulumi.runtime.MockResourceArgs[] = [];
  answer: (
    args: pulumi.runtime.MockResourceArgs,
  ) => pulumi.runtime.MockResourceResult | Promise<pulumi.runtime.MockResourceResult> = (args) => ({
    id: args.id ?? `${args.name}-id`,
    state: {},
  });
  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    throw Object.assign(new Error(`no mock for ${args.token}`), {
      details: `no mock for ${args.token}`,
    });
  }
  newResource(args: pulumi.runtime.MockResourceArgs) {
    this.events.push(`newResource ${args.name}`);
    this.args.push(args);
    return this.answer(args);
  }
}

export class Thing extends pulumi.CustomResource {
  constructor(name: string, props: pulumi.Inputs = {}, opts: pulumi.CustomResourceOptions = {}) {
    super("canary:index:Thing", name, props, opts);
  }
}
export class Group extends pulumi.ComponentResource {
  constructor(name: string, opts: pulumi.ComponentResourceOptions = {}) {
    super("canary:index:Group", name, {}, opts);
  }
}
export class CanaryProvider extends pulumi.ProviderResource {
  constructor(name: string) {
    super("canary", name);
  }
}

export const urnOf = (r: pulumi.Resource) =>
  new Promise<string>((resolve) => r.urn.apply((u) => resolve(u)));

/**
 * The runtime's own wait for outstanding registrations, not the engine's
 * wrapper the first test checks: so that no test's registrations reach the
 * next one's mocks.
 */
export const settle = async () =>
  (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs?.();

/** A description that keeps what deep equality ignores: key order, -0 and NaN. */
export const exactly = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) =>
    typeof v === "number" ? `number ${Object.is(v, -0) ? "-0" : String(v)}` : v,
  );
