import { iamPattern } from "../../components/iam/audit";
import { createValidatedPolicy, validateResourcePolicy } from "@cloud-copilot/iam-policy";
import { runSimulation, runUnsafeSimulation, type Simulation } from "@cloud-copilot/iam-simulate";

/*
 * One request decided the way AWS decides it, by a real IAM policy engine
 * (@cloud-copilot/iam-simulate): the principal's identity policies capped by
 * its permissions boundary, the resource's policy, an explicit Deny anywhere
 * winning, and a request from another account needing both its own identity
 * policy and the resource policy. The plan's isolation rules ask it "may this
 * role read that parameter?"; a pre-flight can ask it "would the deploy be
 * allowed?".
 */

/** What IAM answers: only `Allowed` lets the request through. */
export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

export interface AccessRequest {
  /** ARN of the role or user making the request (for a role session: the role's ARN). */
  readonly principal: string;
  /** `service:Action`, e.g. `ssm:GetParameter`. */
  readonly action: string;
  /** ARN of the resource acted on. */
  readonly resource: string;
  /**
   * Account that owns the resource. @default the account in `resource`; an
   * ARN without one (S3) needs it, or the request fails
   */
  readonly resourceAccount?: string;
  /**
   * Request context, e.g. `kms:ViaService`, `kms:EncryptionContext:<key>`,
   * `aws:RequestedRegion`. `aws:PrincipalArn` and `aws:PrincipalAccount` are
   * filled in from `principal`. @default none
   */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

/** The policies that decide a request (documents as objects or JSON text). */
export interface PolicySet {
  /** Every identity policy of the principal: inline and attached. */
  readonly identityPolicies: readonly unknown[];
  /** The resource's policy (bucket policy, key policy, trust policy). @default none */
  readonly resourcePolicy?: unknown;
  /** The principal's permissions boundary. @default none */
  readonly permissionsBoundary?: unknown;
}

const ACCOUNT = /^\d{12}$/;

function accountOf(arn: string): string | undefined {
  const account = arn.split(":")[4];
  return account !== undefined && ACCOUNT.test(account) ? account : undefined;
}

const parsed = (document: unknown): unknown =>
  typeof document === "string" ? JSON.parse(document) : document;

/**
 * An IAM action or resource pattern (`s3:Get*`, a bucket ARN with `/*`) as a
 * case-insensitive regular expression whose `*` spans anything: it matches
 * everything IAM would, and perhaps more, which only keeps a statement.
 */
const globPattern = (pattern: string): RegExp => iamPattern(pattern, "is");

/** Whether one of the patterns (a string or a list) may match `value`; anything unusual may. */
function mayMatch(patterns: unknown, value: string): boolean {
  const list = Array.isArray(patterns) ? patterns : [patterns];
  return list.some((p) => typeof p !== "string" || p.includes("${") || globPattern(p).test(value));
}

/**
 * The document with only the statements that can decide this request: those
 * whose Action and Resource may match it, and every NotAction or NotResource
 * statement. A statement that cannot match takes no part in the decision,
 * Allow or Deny; leaving it out spares the engine most of its work when one
 * policy set is asked thousands of questions.
 */
function relevantTo(document: unknown, request: AccessRequest): unknown {
  const doc = parsed(document) as { Statement?: unknown } | null;
  if (typeof doc !== "object" || doc === null) return doc;
  const list = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  const kept = list.filter((s: unknown) => {
    const statement = s as { Action?: unknown; Resource?: unknown } | null;
    if (statement === null || typeof statement !== "object") return true;
    const actionOk = statement.Action === undefined || mayMatch(statement.Action, request.action);
    const resourceOk =
      statement.Resource === undefined || mayMatch(statement.Resource, request.resource);
    return actionOk && resourceOk;
  });
  return { ...doc, Statement: kept };
}

function simulation(policies: PolicySet, request: AccessRequest): Simulation {
  const principalAccount = accountOf(request.principal);
  if (principalAccount === undefined) {
    throw new Error(`principal ${request.principal} is not an IAM ARN with an account`);
  }
  const resourceAccount = request.resourceAccount ?? accountOf(request.resource);
  if (resourceAccount === undefined) {
    throw new Error(`${request.resource} names no account: give resourceAccount`);
  }
  const context: Record<string, string | string[]> = {
    "aws:PrincipalArn": request.principal,
    "aws:PrincipalAccount": principalAccount,
  };
  for (const [key, value] of Object.entries(request.context ?? {})) {
    context[key] = typeof value === "string" ? value : [...value];
  }
  return {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: resourceAccount },
      contextVariables: context,
    },
    identityPolicies: policies.identityPolicies.map((policy, i) => ({
      name: `identity-${i}`,
      policy: parsed(policy),
    })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy:
      policies.resourcePolicy === undefined ? undefined : parsed(policies.resourcePolicy),
    permissionBoundaryPolicies:
      policies.permissionsBoundary === undefined
        ? undefined
        : [{ name: "boundary", policy: parsed(policies.permissionsBoundary) }],
  };
}

/**
 * Decides one request. Synchronous and unvalidated: an unknown action or a
 * misspelt condition key is simply not matched (so it is denied). Tools that
 * take policies from outside use decideValidated.
 */
export function decide(policies: PolicySet, request: AccessRequest): Decision {
  const relevant = (d: unknown) => (d === undefined ? undefined : relevantTo(d, request));
  const identityPolicies = policies.identityPolicies.map(relevant);
  const resourcePolicy = relevant(policies.resourcePolicy);
  // Nothing left that could allow it: what the engine would say, at once.
  if (![...identityPolicies, resourcePolicy].some(hasStatements)) {
    simulation(policies, request); // the same checks of the request
    return "ImplicitlyDenied";
  }
  const sim = simulation(
    {
      identityPolicies,
      resourcePolicy,
      permissionsBoundary: relevant(policies.permissionsBoundary),
    },
    request,
  );
  // The engine's unvalidated entry loads a raw resource policy without a
  // name and then fails reading it; a validated policy carries its name.
  const validated =
    sim.resourcePolicy === undefined
      ? undefined
      : createValidatedPolicy(sim.resourcePolicy, validateResourcePolicy, {
          name: "resource-policy",
        });
  return runUnsafeSimulation({ ...sim, resourcePolicy: validated }, { simulationMode: "Strict" });
}

const hasStatements = (d: unknown) =>
  d !== undefined && ((d as { Statement?: unknown[] }).Statement ?? []).length > 0;

/**
 * The engine matches variable condition keys by their `/` (`aws:ResourceTag/x`)
 * and so drops `kms:EncryptionContext:<key>` as not applying to the action;
 * those are evaluated by decide() instead.
 */
const ENCRYPTION_CONTEXT = /^kms:encryptioncontext:/i;

/**
 * Decides one request after validating it against AWS's IAM data: policy
 * syntax, that the action exists, and that every context key applies to it.
 * Throws on invalid input rather than answer a question that was not asked.
 */
export async function decideValidated(
  policies: PolicySet,
  request: AccessRequest,
): Promise<Decision> {
  const result = await runSimulation(simulation(policies, request), { simulationMode: "Strict" });
  if (result.resultType === "error") {
    throw new Error(`cannot simulate ${request.action}: ${JSON.stringify(result.errors)}`);
  }
  if (result.resultType === "wildcard") return result.overallResult;
  const ignored = result.result.ignoredContextKeys ?? [];
  const unknown = ignored.filter((key) => !ENCRYPTION_CONTEXT.test(key));
  if (unknown.length > 0) {
    throw new Error(`context keys ${unknown.join(", ")} do not apply to ${request.action}`);
  }
  return ignored.length > 0 ? decide(policies, request) : result.overallResult;
}
