import * as pulumi from "@pulumi/pulumi";
import {
  Policies,
  PolicyProviderResource,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  Secret,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { partitionOf } from "../components/partition";
import { Policy, POLICIES } from "../automation/policies";
import { SECRET_PLACEHOLDER, UNKNOWN } from "../automation/policies/util";
import { isSecretValue } from "../automation/plan/secrets";
import { PlannedResource } from "../automation/plan/types";

/**
 * How the engine marks a value that is not known until deployment (Pulumi's
 * wire protocol; @pulumi/policy keeps them in its internal proxy module).
 */
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

// @pulumi/policy wraps props in a proxy that throws on unknown values; this
// key hands back the wrapped object so the adapter can read everything.
const PROXY_TARGET = "__getSpecialProxyTarget";

function unproxied(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  const target = (value as Record<string, unknown>)[PROXY_TARGET];
  return target !== undefined && target !== null ? target : value;
}

/**
 * Props as the rules read them: plain JSON, secrets as "[secret]", values
 * unknown during a preview as "[unknown]", assets and archives by kind.
 */
export function plainProps(value: unknown): unknown {
  const raw: unknown = unproxied(value);
  if (typeof raw === "string") return UNKNOWN_SENTINELS.has(raw) ? UNKNOWN : raw;
  if (typeof raw !== "object" || raw === null) return raw;
  if (Array.isArray(raw)) return raw.map(plainProps);
  if (raw instanceof Secret || isSecretValue(raw)) return SECRET_PLACEHOLDER;
  if (pulumi.asset.Asset.isInstance(raw)) return "[asset]";
  if (pulumi.asset.Archive.isInstance(raw)) return "[archive]";
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, plainProps(v)]));
}

/** The Region of a resource's provider, when it names a known one. */
function regionOf(provider: PolicyProviderResource | undefined): string | null {
  const region = (plainProps(provider?.props ?? {}) as Record<string, unknown>).region;
  return typeof region === "string" && region !== UNKNOWN ? region : null;
}

/** A default provider (`default`, `default_7_48_0`) counts as no explicit provider. */
function explicitProviderUrn(provider: PolicyProviderResource | undefined): string | null {
  return provider === undefined || provider.name.startsWith("default") ? null : provider.urn;
}

interface ResourceView {
  readonly type: string;
  readonly urn: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
  readonly provider?: PolicyProviderResource;
  readonly parent: string | null;
}

/** A CrossGuard resource as a plan resource (what every silkroute rule takes). */
export function toPlanned(view: ResourceView): PlannedResource {
  const inputs = plainProps(view.props) as Record<string, unknown>;
  const region =
    view.type === "pulumi:providers:aws"
      ? regionOf(view as PolicyProviderResource)
      : regionOf(view.provider);
  const id = inputs.id;
  return {
    urn: view.urn,
    id: typeof id === "string" && id !== UNKNOWN ? id : null,
    type: view.type,
    name: view.name,
    parent: view.parent,
    region,
    partition: region === null ? null : partitionOf(region),
    provider: explicitProviderUrn(view.provider),
    custom: view.type.startsWith("aws:") || view.type.startsWith("pulumi:providers:"),
    inputs,
  };
}

export function fromResourceArgs(args: ResourceValidationArgs): PlannedResource {
  return toPlanned({ ...args, parent: args.opts?.parent ?? null });
}

/** Inputs that name a bucket: a sibling's `bucket`, a logging's `targetBucket`. */
const BUCKET_INPUTS = ["bucket", "targetBucket"];

/**
 * In a preview a new bucket's id is unknown, so its siblings' `bucket` input
 * (and a logging's `targetBucket`) is too; the property's dependency still
 * names the bucket, by URN (which the S3 rules accept as a reference).
 */
export function fromStackResource(r: PolicyResource): PlannedResource {
  const planned = toPlanned({ ...r, parent: r.parent?.urn ?? null });
  const inputs = { ...planned.inputs };
  for (const key of BUCKET_INPUTS) {
    const deps = r.propertyDependencies?.[key] ?? [];
    const [only] = deps;
    if (inputs[key] === UNKNOWN && deps.length === 1 && only) inputs[key] = only.urn;
  }
  return { ...planned, inputs };
}

function describePolicy(policy: Policy): string {
  const controls = policy.controls?.length ? ` [${policy.controls.join(", ")}]` : "";
  return `${policy.description}${controls}`;
}

/** One silkroute rule as CrossGuard policies (a resource and/or a stack validation). */
export function toCrossGuard(policy: Policy): (ResourceValidationPolicy | StackValidationPolicy)[] {
  const out: (ResourceValidationPolicy | StackValidationPolicy)[] = [];
  const { validateResource, validateStack } = policy;
  if (validateResource) {
    out.push({
      name: policy.name,
      description: describePolicy(policy),
      enforcementLevel: "mandatory",
      validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
        for (const message of validateResource(fromResourceArgs(args))) report(message);
      },
    });
  }
  if (validateStack) {
    out.push({
      // CrossGuard names must be unique: a rule with both halves gets `-stack`.
      name: validateResource ? `${policy.name}-stack` : policy.name,
      description: describePolicy(policy),
      enforcementLevel: "mandatory",
      validateStack: (args: StackValidationArgs, report: ReportViolation) => {
        const resources = args.resources.map(fromStackResource);
        for (const v of validateStack(resources)) report(v.message, v.urn);
      },
    });
  }
  return out;
}

/** Every silkroute rule, ready for `new PolicyPack(…, { policies })`. */
export function crossGuardPolicies(policies: readonly Policy[] = POLICIES): Policies {
  return policies.flatMap(toCrossGuard);
}
