import { PlannedResource } from "../plan/types";
import { Policy, resourcePolicy } from "./types";
import { policyDocumentsOf, Statement, stringsOf } from "./util";

/** Identity policies: what a principal in the account may do (trust policies excluded). */
const IDENTITY_POLICY_TYPES = [
  "aws:iam/policy:Policy",
  "aws:iam/rolePolicy:RolePolicy",
  "aws:iam/groupPolicy:GroupPolicy",
  "aws:iam/userPolicy:UserPolicy",
  "aws:iam/role:Role",
];

/** What is too broad in one Allow statement (empty when nothing is). */
export function wildcardProblems(s: Statement): string[] {
  if (s.Effect !== "Allow") return [];
  const problems: string[] = [];
  if (s.NotAction !== undefined) {
    problems.push("allows NotAction, i.e. every action but a few: list the actions instead");
  }
  for (const action of stringsOf(s.Action)) {
    if (action === "*") problems.push('allows every action ("*")');
    else if (action.toLowerCase() === "iam:*") problems.push("allows iam:*");
    else if (/^[a-z0-9-]+:\*$/i.test(action)) {
      problems.push(`allows every action of a service (${action}): list the actions needed`);
    }
  }
  return problems;
}

function identityStatements(r: PlannedResource) {
  // A role's assumeRolePolicy is a trust policy: its actions are sts:AssumeRole*.
  return policyDocumentsOf(r).filter((d) => d.at !== "assumeRolePolicy");
}

const noWildcards = resourcePolicy({
  name: "iam-no-wildcard-actions",
  description:
    'IAM identity policies allow no "*" action, no iam:*, no whole service (s3:*) and no NotAction.',
  controls: ["IAM.1", "IAM.21"],
  types: IDENTITY_POLICY_TYPES,
  check: (r) =>
    identityStatements(r).flatMap(({ at, statements }) =>
      statements.flatMap((s, i) =>
        wildcardProblems(s).map((p) => `${at} statement ${s.Sid ?? i}: ${p}`),
      ),
    ),
});

const noUserPolicies = resourcePolicy({
  name: "iam-no-user-policies",
  description:
    "No policy is attached to an IAM user directly (users get permissions from a group).",
  controls: ["IAM.2"],
  types: [
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    "aws:iam/policyAttachment:PolicyAttachment",
  ],
  check: (r) => {
    if (r.type === "aws:iam/policyAttachment:PolicyAttachment") {
      return stringsOf(r.inputs.users).length > 0
        ? ["attaches a policy to users: attach it to a group and add the users to the group"]
        : [];
    }
    return ["attaches a policy to a user: attach it to a group and add the user to the group"];
  },
});

const noConsoleLogin = resourcePolicy({
  name: "iam-no-console-login",
  description: "Deploy users are programmatic only: no console password (login profile).",
  types: ["aws:iam/userLoginProfile:UserLoginProfile"],
  check: () => [
    "gives a user a console password: deploy users use access keys only; remove the login profile",
  ],
});

export const IAM_POLICIES: readonly Policy[] = [noWildcards, noUserPolicies, noConsoleLogin];
