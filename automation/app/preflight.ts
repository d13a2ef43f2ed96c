import { AppKind, kindOfCfnType, ROLE_WITHHELD } from "../../components/appKinds";
import { BOUNDED_ROLE_ACTIONS } from "../../components/iam/policyStatements";
import { setCommand } from "../../stacks/config/read";
import type { PlannedResource, Violation } from "../plan/types";
import { decide, type PolicySet } from "../policies/simulate";
import { CREATE_EVENT_SOURCE_MAPPING, eventSourceMappingFix } from "./eventSourceMappings";
import { pulumiNeeds, templateNeeds } from "./needs";
import { PULUMI_TYPES, SAM_TYPES } from "./resourceTypes";
import type { Need, PreflightTarget } from "./types";

export { ownActions } from "./needs";

/*
 * "Would the deploy be allowed?" For every resource of an app stack, the
 * IAM actions creating and updating it takes (its CloudFormation type's
 * handler permissions, from AWS's registry schemas, on its own resource
 * type per IAM's data; plus passing its role and reading its code), asked
 * of a real IAM policy engine with the identity that deploys the target,
 * the resource's ARN in the target's partition, Region and account, and the
 * permissions boundary a role is created with.
 */

export const PREFLIGHT_POLICY = "app-deploy-preflight";

/** Who deploys a target, as the pre-flight asks about it. */
export interface PreflightIdentity {
  /** How a person knows it: `the dev deploy role silkroute-deploy-dev`. */
  readonly label: string;
  /** Its ARN (the user's, for the China deploy group). */
  readonly principal: string;
  readonly policies: Omit<PolicySet, "resourcePolicy">;
}

/** The command that appends `kind` to silkroute:app.manages, which lists `manages` now. */
export function addKindCommand(manages: readonly string[], kind: string): string {
  return setCommand(["app", "manages", manages.length], kind, "global");
}

/**
 * Why an action on a resource may be denied, and the change that grants it.
 * `missing` collects the kinds to add, in the order the fixes name them, so
 * each appends at its own index when they are all run.
 */
function fixFor(
  kind: AppKind | undefined,
  name: string,
  t: PreflightTarget,
  need: Need,
  missing: string[],
): string {
  if (need.action === CREATE_EVENT_SOURCE_MAPPING) return eventSourceMappingFix(need);
  const ownName = need.resource.includes(`${t.appPrefix}-`);
  if (kind && !t.kinds.includes(kind.name)) {
    if (!missing.includes(kind.name)) missing.push(kind.name);
    const before = [...(t.manages ?? []), ...missing.slice(0, missing.indexOf(kind.name))];
    return `add ${kind.name} to silkroute:app.manages (${addKindCommand(before, kind.name)}), then pulumi up the global and china stacks`;
  }
  if (
    BOUNDED_ROLE_ACTIONS.includes(need.action) &&
    need.context?.["iam:PermissionsBoundary"] === undefined
  ) {
    return "give the role the app's permissions boundary (ctx.permissionsBoundaryArn, or the SilkroutePermissionsBoundary template parameter)";
  }
  if (
    !ownName &&
    !kind?.unnamedResources &&
    !need.action.startsWith("s3:") &&
    !ROLE_WITHHELD.includes(need.action)
  ) {
    return `name ${name} under the app prefix ${t.appPrefix}- (ctx.name() in a program, !Sub "\${SilkroutePrefix}-…" in a template)`;
  }
  return "pulumi up the global and china stacks, which generate the deploy identities' permissions from this config";
}

/** The pre-flight's violations of one app stack (its Pulumi resources and its template's). */
export function preflightViolations(
  resources: readonly PlannedResource[],
  identity: PreflightIdentity,
  target: PreflightTarget,
  globals: Record<string, unknown> = {},
): Violation[] {
  const template = resources.filter((r) => r.type.startsWith("AWS::"));
  const violations: Violation[] = [];
  const missing: string[] = [];
  for (const r of resources) {
    if (!r.custom || r.type.startsWith("pulumi:")) continue;
    const isTemplate = r.type.startsWith("AWS::");
    const needs = isTemplate
      ? templateNeeds(r, target, template, globals)
      : pulumiNeeds(r, target, resources);
    if (needs === undefined) {
      violations.push({
        policy: PREFLIGHT_POLICY,
        urn: r.urn,
        message: `silkroute does not know what deploying ${r.type} takes, so ${identity.label} has no permission generated for it: use a kind silkroute generates permissions for (docs/app.md)`,
      });
      continue;
    }
    const denied = new Map<string, Need[]>();
    for (const need of needs) {
      const decision = decide(identity.policies, {
        principal: identity.principal,
        action: need.action,
        resource: need.resource,
        resourceAccount: target.account,
        context: { "aws:RequestedRegion": target.region, ...need.context },
      });
      if (decision !== "Allowed") {
        const key = `${need.resource} (${decision})`;
        denied.set(key, [...(denied.get(key) ?? []), need]);
      }
    }
    const kind = kindOfCfnType(
      isTemplate ? (SAM_TYPES[r.type] ?? r.type) : (PULUMI_TYPES[r.type]?.cfnType ?? ""),
    );
    for (const [where, list] of denied) {
      violations.push({
        policy: PREFLIGHT_POLICY,
        urn: r.urn,
        message: `${identity.label} may not ${list.map((n) => n.action).join(", ")} on ${where}: ${fixFor(kind, r.name, target, list[0]!, missing)}`,
      });
    }
  }
  return violations;
}
