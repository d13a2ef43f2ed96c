import { PlannedResource } from "../plan/types";
import { Policy, resourcePolicy } from "./types";
import { unboundedRoleProblems, wildcardProblems } from "../../components/iam/audit";
import { get, policyDocumentsOf, stringsOf } from "./util";

/** Identity policies: what a principal in the account may do (trust policies excluded). */
const IDENTITY_POLICY_TYPES = [
  "aws:iam/policy:Policy",
  "aws:iam/rolePolicy:RolePolicy",
  "aws:iam/groupPolicy:GroupPolicy",
  "aws:iam/userPolicy:UserPolicy",
  "aws:iam/role:Role",
];

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

const roleCreationUnderBoundary = resourcePolicy({
  name: "iam-role-changes-under-boundary",
  description:
    "Identity policies allow creating roles or changing their policies (CreateRole, PutRolePolicy, AttachRolePolicy, PutRolePermissionsBoundary) only with an iam:PermissionsBoundary condition.",
  types: IDENTITY_POLICY_TYPES,
  check: (r) =>
    identityStatements(r).flatMap(({ at, statements }) =>
      statements.flatMap((s, i) =>
        unboundedRoleProblems(s).map((p) => `${at} statement ${s.Sid ?? i}: ${p}`),
      ),
    ),
});

const appRoleBoundary = resourcePolicy({
  name: "iam-app-role-boundary",
  description:
    "A role created by an app stack (tagged silkroute:env) has a permissions boundary (the account's app boundary).",
  types: ["aws:iam/role:Role"],
  check: (r) => {
    if (get(r.inputs, "tags", "silkroute:env") === undefined) return [];
    const boundary = r.inputs.permissionsBoundary;
    return typeof boundary === "string" && boundary !== ""
      ? []
      : [
          "is an app role without a permissions boundary: set permissionsBoundary to the app boundary policy of its account (<prefix>-app-boundary)",
        ];
  },
});

export const IAM_POLICIES: readonly Policy[] = [
  noWildcards,
  noUserPolicies,
  noConsoleLogin,
  roleCreationUnderBoundary,
  appRoleBoundary,
];
