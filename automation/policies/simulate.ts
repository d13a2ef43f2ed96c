import { createValidatedPolicy, validateResourcePolicy } from "@cloud-copilot/iam-policy";
import { runSimulation, runUnsafeSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { valueKey } from "./conditions";
import { cut } from "./handed";
import { actionOf, compiled, type FilterRequest, type Relevant, relevantTo } from "./relevance";

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

/** What decide() reads of an ARN, read once per ARN: the plan asks of the same few hundred. */
interface ArnFacts {
  /** Its account, when it names one. */
  readonly account?: string;
  /** Whether it is one of AWS's own resources (byName). */
  readonly awsOwned: boolean;
}

const facts = new Map<string, ArnFacts>();
const ALIAS_PREFIX = "alias/aws/";

function arnFacts(arn: string): ArnFacts {
  let found = facts.get(arn);
  if (found === undefined) {
    const [, , , , account, ...name] = arn.split(":");
    const resource = name.join(":");
    found = {
      account: account !== undefined && ACCOUNT.test(account) ? account : undefined,
      awsOwned:
        account?.toLowerCase() === "aws" ||
        /^(role\/aws-reserved\/|alias\/aws\/)/.test(resource.toLowerCase().normalize("NFKC")) ||
        // The engine's own test of a managed alias (KmsServiceAuthorizer), which
        // also takes e.g. `ᴬlias/aws/`: its first ten characters alike but for case.
        resource.slice(0, ALIAS_PREFIX.length).localeCompare(ALIAS_PREFIX, undefined, {
          sensitivity: "accent",
        }) === 0,
    };
    facts.set(arn, found);
  }
  return found;
}

const accountOf = (arn: string): string | undefined => arnFacts(arn).account;

const parsed = (document: unknown): unknown =>
  typeof document === "string" ? JSON.parse(document) : document;

function accounts(request: AccessRequest): { principal: string; resource: string } {
  const principal = accountOf(request.principal);
  if (principal === undefined) {
    throw new Error(`principal ${request.principal} is not an IAM ARN with an account`);
  }
  const resource = request.resourceAccount ?? accountOf(request.resource);
  if (resource === undefined) {
    throw new Error(`${request.resource} names no account: give resourceAccount`);
  }
  return { principal, resource };
}

/**
 * The request's context as the engine is handed it: `aws:PrincipalArn` and
 * `aws:PrincipalAccount` from the principal, then the request's own keys
 * (which may set them again, in any case).
 */
function engineContext(
  request: AccessRequest,
  account: { principal: string },
): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = {
    "aws:PrincipalArn": request.principal,
    "aws:PrincipalAccount": account.principal,
  };
  for (const [key, value] of Object.entries(request.context ?? {})) {
    context[key] = typeof value === "string" ? value : [...value];
  }
  return context;
}

function simulation(
  policies: PolicySet,
  request: AccessRequest,
  account = accounts(request),
  context = engineContext(request, account),
): Simulation {
  return {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: account.resource },
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
 * Whether the engine also reads the action's own name: for sts (every
 * principal may call sts:GetCallerIdentity) and for AWS's own resources, which
 * no policy lets anyone change (an AWS managed policy, a role under
 * aws-reserved/, a key alias under alias/aws/). Such requests are remembered
 * by action, every other by the statements its action matches.
 */
function byName(service: string, resource: string): boolean {
  return service === "sts" || arnFacts(resource).awsOwned;
}

/**
 * Services whose answer the engine also bases on the resource itself (a
 * bucket or an object, a key or an alias, AWS's own policies and roles). Any
 * other service's request is remembered without its resource when every
 * statement the engine is handed matches every resource: only the resource's
 * account then counts.
 */
const READS_RESOURCE = new Set(["s3", "kms", "iam", "sts"]);

/** Answers already given, per policy set (its list of identity policies). */
const answers = new WeakMap<readonly unknown[], Map<string, Decision>>();

/**
 * Decides one request. Synchronous and unvalidated: an unknown action or a
 * misspelt condition key is simply not matched (so it is denied). Tools that
 * take policies from outside use decideValidated.
 *
 * The engine is handed only the statements that can take part (relevance.ts),
 * each with only its patterns that take in the request (handed.ts), and each
 * answer is remembered under what the engine reads. Two requests that differ
 * only in their action, of the same service, whose actions match exactly the
 * same statements, get the same answer: the engine reads the action's name
 * only in byName's cases, and the Action patterns left out for either change
 * no answer. So the plan asks about every S3 object action and runs the
 * engine for a few; and about another environment's stacks, whose encryption
 * context only the statements left out test, once (readContext).
 */
export function decide(policies: PolicySet, request: AccessRequest): Decision {
  const account = accounts(request);
  // Read by key in lower case, the last of a key's spellings winning, as the engine reads it
  // (RequestContextImpl): the filter, the conditions left out and the engine see one context.
  const handed = engineContext(request, account);
  const context = new Map<string, string | readonly string[]>();
  for (const key in handed) context.set(key.toLowerCase(), handed[key]!);
  const { service, action, name } = actionOf(request.action);
  const filter: FilterRequest = { service, action, name, resource: request.resource, context };
  const relevant = (d: unknown) => (d === undefined ? undefined : relevantTo(compiled(d), filter));
  const identity = policies.identityPolicies.map(relevant) as Relevant[];
  const resource = relevant(policies.resourcePolicy);
  const boundary = relevant(policies.permissionsBoundary);
  const none = (r: Relevant | undefined) => r === undefined || r.kept.length === 0;
  // Nothing left that could allow it: what the engine would say, at once.
  if (service !== "sts" && identity.every(none) && none(resource) && none(boundary)) {
    return "ImplicitlyDenied";
  }
  const all = [...identity, resource, boundary].filter((r): r is Relevant => r !== undefined);
  const kept = (r: Relevant | undefined) => (r === undefined ? "-" : `${r.compiled.id}:${r.key}`);
  // Each part says where it ends (ids and statement indexes hold no `;` or `|`; valueKey the
  // rest), so no two requests that differ in any part share a key.
  const key =
    `${identity.map(kept).join(";")}|${kept(resource)}|${kept(boundary)}|` +
    valueKey(request.principal) +
    valueKey(
      all.every((r) => r.anyResource) && !READS_RESOURCE.has(filter.service)
        ? ""
        : request.resource,
    ) +
    valueKey(account.resource) +
    readContext(request, all) +
    valueKey(filter.service) +
    valueKey(
      !all.every((r) => r.exact) || byName(filter.service, request.resource) ? request.action : "",
    );
  let remembered = answers.get(policies.identityPolicies);
  if (remembered === undefined) answers.set(policies.identityPolicies, (remembered = new Map()));
  const known = remembered.get(key);
  if (known !== undefined) return known;
  const sim = simulation(
    {
      identityPolicies: identity.map((r) => cut(r, filter).document),
      resourcePolicy: resource === undefined ? undefined : cut(resource, filter).document,
      permissionsBoundary: boundary === undefined ? undefined : cut(boundary, filter).document,
    },
    request,
    account,
    handed,
  );
  const decision = runUnsafeSimulation(
    { ...sim, resourcePolicy: resource === undefined ? undefined : validated(resource, filter) },
    { simulationMode: "Strict" },
  );
  remembered.set(key, decision);
  return decision;
}

/**
 * The part of the request's context the engine reads with these statements:
 * the keys of their conditions (all of it when one has a policy variable).
 * The engine reads the context nowhere else, so two requests that differ in
 * other keys only (the encryption context of another environment's stack,
 * which no kept statement tests) get the same answer. As text, each key and
 * value saying where it ends (valueKey).
 */
function readContext(request: AccessRequest, relevant: readonly Relevant[]): string {
  let entries = Object.entries(request.context ?? {});
  if (relevant.every((r) => r.reads !== undefined)) {
    entries = entries.filter(([k]) => relevant.some((r) => r.reads?.has(k.toLowerCase())));
  }
  return `[${entries.length}:${entries.map(([k, v]) => valueKey(k) + valueKey(v)).join("")}`;
}

/**
 * The engine's unvalidated entry loads a raw resource policy without a name
 * and then fails reading it; a validated policy carries its name. Validated
 * once per document the engine is handed.
 */
function validated(r: Relevant, filter: FilterRequest): unknown {
  const c = cut(r, filter);
  c.validated ??= createValidatedPolicy(c.document, validateResourcePolicy, {
    name: "resource-policy",
  });
  return c.validated;
}

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
