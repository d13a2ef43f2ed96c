import { IAM_POLICIES, wildcardProblems } from "../../automation/policies/iam";
import { messages, planned, policyJson, policyNamed } from "../helpers/planned";

const wildcards = policyNamed(IAM_POLICIES, "iam-no-wildcard-actions");
const userPolicies = policyNamed(IAM_POLICIES, "iam-no-user-policies");
const consoleLogin = policyNamed(IAM_POLICIES, "iam-no-console-login");

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
