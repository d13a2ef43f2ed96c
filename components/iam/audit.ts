/**
 * What makes one IAM Allow statement too broad. The components' self-checks
 * (`auditPolicyDocument`, as a policy is built) and the plan's rules
 * (`automation/policies/iam.ts`, over every planned policy) both ask these,
 * so a statement passes or fails both alike.
 */

/** A statement as IAM reads it: strings or lists, any case. */
export interface AuditedStatement {
  readonly Effect?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Condition?: unknown;
}

/**
 * Actions that give a role permissions. Each is allowed only with an
 * `iam:PermissionsBoundary` condition, so every role they reach is capped by
 * the app boundary and the caller cannot grant itself more through it.
 */
export const ROLE_GRANTING_ACTIONS: readonly string[] = [
  "iam:AttachRolePolicy",
  "iam:CreateRole",
  "iam:PutRolePermissionsBoundary",
  "iam:PutRolePolicy",
];

const patterns = new Map<string, RegExp>();

/**
 * An IAM pattern (`*` any run, `?` one character) as a regular expression;
 * `flags` "i" for actions. Compiled once per pattern and flags: the plan's
 * rules ask about the same few hundred patterns thousands of times.
 */
export function iamPattern(pattern: string, flags = ""): RegExp {
  const key = `${flags}/${pattern}`;
  let re = patterns.get(key);
  if (re === undefined) {
    const source = pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".");
    re = new RegExp(`^${source}$`, flags);
    patterns.set(key, re);
  }
  return re;
}

function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** Wildcard grants in an Allow statement (empty when there are none, and for a Deny). */
export function wildcardProblems(s: AuditedStatement): string[] {
  if (s.Effect !== "Allow") return [];
  const problems: string[] = [];
  if (s.NotAction !== undefined) {
    problems.push("allows NotAction, i.e. every action but a few: list the actions instead");
  }
  for (const action of strings(s.Action)) {
    if (action === "*") problems.push('allows every action ("*")');
    else if (action.toLowerCase() === "iam:*") problems.push("allows iam:*");
    else if (/^[a-z0-9-]+:\*$/i.test(action)) {
      problems.push(`allows every action of a service (${action}): list the actions needed`);
    }
  }
  return problems;
}

/**
 * Condition operators that pin a value. `StringLike` or `ArnLike` with `*`
 * would let any policy be the boundary, so only these, with ARNs that have no
 * wildcard, count as a boundary condition.
 */
const PINNING_OPERATORS = ["stringequals", "arnequals"];

const objectOf = (value: unknown): object =>
  typeof value === "object" && value !== null ? value : {};

/**
 * What in one Allow statement lets a principal give a role any permission
 * (empty when nothing): a role-granting action, or a pattern matching one,
 * without a condition that pins the role's permissions boundary.
 */
export function unboundedRoleProblems(s: AuditedStatement): string[] {
  if (s.Effect !== "Allow") return [];
  const granting = strings(s.Action).filter((action) => {
    // "*", iam:Create*, iam:Put*Role*, …: a pattern matching one of them, in any case.
    const pattern = iamPattern(action, "i");
    return ROLE_GRANTING_ACTIONS.some((g) => pattern.test(g));
  });
  if (granting.length === 0) return [];
  const bounded = Object.entries(objectOf(s.Condition)).some(
    ([operator, keys]) =>
      PINNING_OPERATORS.includes(operator.toLowerCase()) &&
      Object.entries(objectOf(keys)).some(
        ([key, values]) =>
          key.toLowerCase() === "iam:permissionsboundary" &&
          strings(values).length > 0 &&
          strings(values).every((v) => !/[*?]/.test(v)),
      ),
  );
  return bounded
    ? []
    : [
        `allows ${granting.join(", ")} without an iam:PermissionsBoundary condition that pins one boundary (StringEquals or ArnEquals, no wildcard): the roles it reaches could be given any permission, including its own`,
      ];
}
