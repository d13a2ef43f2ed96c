import { IAM_POLICIES } from "../../automation/policies/iam";
import { unboundedRoleProblems, wildcardProblems } from "../../components/iam/audit";
import { messages, planned, policyJson, policyNamed } from "../helpers/planned";

const wildcards = policyNamed(IAM_POLICIES, "iam-no-wildcard-actions");
const userPolicies = policyNamed(IAM_POLICIES, "iam-no-user-policies");
const consoleLogin = policyNamed(IAM_POLICIES, "iam-no-console-login");
const underBoundary = policyNamed(IAM_POLICIES, "iam-role-changes-under-boundary");
const appRoleBoundary = policyNamed(IAM_POLICIES, "iam-app-role-boundary");

const rolePolicy = (statement: Record<string, unknown>) =>
  planned("aws:iam/rolePolicy:RolePolicy", { policy: policyJson(statement) });

describe("iam-no-wildcard-actions", () => {
  it("passes a policy listing its actions", () => {
    const r = rolePolicy({
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject"],
      Resource: "*",
    });
    expect(messages(wildcards, r)).toEqual([]);
  });

  it.each([
    ["*", 'allows every action ("*")'],
    ["iam:*", "allows iam:*"],
    ["s3:*", "allows every action of a service (s3:*)"],
  ])("flags Allow %s", (action, problem) => {
    expect(
      messages(wildcards, rolePolicy({ Effect: "Allow", Action: action, Resource: "*" })),
    ).toEqual([expect.stringContaining(problem)]);
  });

  it("flags Allow with NotAction", () => {
    expect(wildcardProblems({ Effect: "Allow", NotAction: "iam:*" })).toEqual([
      expect.stringContaining("NotAction"),
    ]);
  });

  it("allows a Deny of s3:* (the TLS-only statement)", () => {
    expect(
      messages(wildcards, rolePolicy({ Effect: "Deny", Action: "s3:*", Resource: "*" })),
    ).toEqual([]);
  });

  it("checks a role's inline policies but not its trust policy", () => {
    const role = planned("aws:iam/role:Role", {
      assumeRolePolicy: policyJson({ Effect: "Allow", Principal: { AWS: "x" }, Action: "sts:*" }),
      inlinePolicies: [{ name: "p", policy: policyJson({ Effect: "Allow", Action: "kms:*" }) }],
    });
    expect(messages(wildcards, role)).toEqual([
      "inlinePolicies[0].policy statement 0: allows every action of a service (kms:*): list the actions needed",
    ]);
  });
});

describe("iam-no-user-policies", () => {
  it("passes a policy attached to a group", () => {
    const attachment = planned("aws:iam/policyAttachment:PolicyAttachment", {
      groups: ["deployers"],
      policyArn: "p",
    });
    expect(messages(userPolicies, attachment)).toEqual([]);
  });

  it.each([
    ["aws:iam/userPolicy:UserPolicy", { user: "u", policy: "{}" }],
    ["aws:iam/userPolicyAttachment:UserPolicyAttachment", { user: "u", policyArn: "p" }],
    ["aws:iam/policyAttachment:PolicyAttachment", { users: ["u"], policyArn: "p" }],
  ])("flags %s", (type, inputs) => {
    expect(messages(userPolicies, planned(type, inputs))).toEqual([
      expect.stringContaining("attach it to a group"),
    ]);
  });
});

describe("iam-no-console-login", () => {
  it("passes a user with an access key only", () => {
    expect(messages(consoleLogin, planned("aws:iam/accessKey:AccessKey", { user: "u" }))).toEqual(
      [],
    );
  });

  it("flags a login profile", () => {
    const profile = planned("aws:iam/userLoginProfile:UserLoginProfile", { user: "u" });
    expect(messages(consoleLogin, profile)).toEqual([expect.stringContaining("console password")]);
  });
});

describe("iam-role-changes-under-boundary", () => {
  const ROLES = "arn:aws:iam::123456789012:role/silkroute-dev-*";
  const BOUNDARY = "arn:aws:iam::123456789012:policy/silkroute-app-boundary";

  it("passes role creation and inline policies under the app boundary", () => {
    const r = rolePolicy({
      Effect: "Allow",
      Action: ["iam:CreateRole", "iam:PutRolePolicy"],
      Resource: ROLES,
      Condition: { StringEquals: { "iam:PermissionsBoundary": BOUNDARY } },
    });
    expect(messages(underBoundary, r)).toEqual([]);
  });

  it("flags CreateRole and PutRolePolicy without a boundary condition", () => {
    const r = rolePolicy({
      Sid: "AppRoles",
      Effect: "Allow",
      Action: ["iam:CreateRole", "iam:GetRole", "iam:PutRolePolicy"],
      Resource: ROLES,
    });
    expect(messages(underBoundary, r)).toEqual([
      "policy statement AppRoles: allows iam:CreateRole, iam:PutRolePolicy without an iam:PermissionsBoundary condition that pins one boundary (StringEquals or ArnEquals, no wildcard): the roles it reaches could be given any permission, including its own",
    ]);
  });

  it.each([["iam:Attach*"], ["iam:*"], ["*"], ["IAM:PutRolePermissionsBoundary"]])(
    "flags %s, which includes a role-granting action",
    (action) => {
      expect(unboundedRoleProblems({ Effect: "Allow", Action: action })).toEqual([
        expect.stringContaining(`allows ${action} without an iam:PermissionsBoundary condition`),
      ]);
    },
  );

  it.each([
    ["StringLike", "arn:aws:iam::123456789012:policy/*"],
    ["ArnLike", "*"],
    ["StringEquals", "arn:aws:iam::123456789012:policy/app-*"],
    ["StringNotEquals", "arn:aws:iam::123456789012:policy/app-boundary"],
  ])("flags a boundary condition %s %s, which any policy could meet", (operator, value) => {
    const s = {
      Effect: "Allow",
      Action: "iam:CreateRole",
      Condition: { [operator]: { "iam:PermissionsBoundary": value } },
    };
    expect(unboundedRoleProblems(s)).toHaveLength(1);
  });

  it.each(["StringEquals", "ArnEquals"])("accepts a boundary pinned with %s", (operator) => {
    const s = {
      Effect: "Allow",
      Action: ["iam:CreateRole", "iam:PutRolePolicy"],
      Condition: { [operator]: { "iam:PermissionsBoundary": "arn:aws:iam::1:policy/b" } },
    };
    expect(unboundedRoleProblems(s)).toEqual([]);
  });

  it("ignores a Deny and actions that only read or take away", () => {
    expect(
      unboundedRoleProblems({ Effect: "Deny", Action: "iam:PutRolePermissionsBoundary" }),
    ).toEqual([]);
    expect(
      unboundedRoleProblems({ Effect: "Allow", Action: ["iam:DeleteRolePolicy", "iam:Get*"] }),
    ).toEqual([]);
  });
});

describe("iam-app-role-boundary", () => {
  const appRole = (inputs: Record<string, unknown>) =>
    planned("aws:iam/role:Role", {
      name: "silkroute-dev-us-east-1-fn",
      tags: { "silkroute:env": "dev", "silkroute:target": "us-east-1" },
      ...inputs,
    });

  it("passes an app role with a permissions boundary", () => {
    const r = appRole({
      permissionsBoundary: "arn:aws:iam::123456789012:policy/silkroute-app-boundary",
    });
    expect(messages(appRoleBoundary, r)).toEqual([]);
  });

  it("flags an app role without one", () => {
    expect(messages(appRoleBoundary, appRole({}))).toEqual([
      expect.stringContaining("is an app role without a permissions boundary"),
    ]);
  });

  it("leaves the pipeline's own roles (no silkroute:env tag) to the other rules", () => {
    const r = planned("aws:iam/role:Role", { name: "silkroute-deploy", tags: {} });
    expect(messages(appRoleBoundary, r)).toEqual([]);
  });
});
