import {
  AccessRequest,
  decide,
  decideValidated,
  PolicySet,
} from "../../automation/policies/simulate";

const A = "111111111111";
const B = "222222222222";
const ROLE = `arn:aws:iam::${A}:role/deployer`;
const OTHER_ACCOUNT_ROLE = `arn:aws:iam::${B}:role/deployer`;
const PARAM = `arn:aws:ssm:us-east-1:${A}:parameter/China/Dev/UserAccessKey`;
const KEY = `arn:aws:kms:us-east-1:${A}:key/k`;
const OBJECT = "arn:aws:s3:::bucket/app/dev/1.zip";

const allow = (Action: string, Resource: string, Condition?: object) => ({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action, Resource, ...(Condition ? { Condition } : {}) }],
});
const both = async (policies: PolicySet, request: AccessRequest) => {
  const quick = decide(policies, request);
  // The validated path must agree: the rules use the quick one.
  expect(await decideValidated(policies, request)).toBe(quick);
  return quick;
};

describe("decide: one request through a real IAM policy engine", () => {
  it("allows what an identity policy allows in the principal's own account", async () => {
    const policies = { identityPolicies: [allow("ssm:GetParameter", PARAM)] };
    const request = { principal: ROLE, action: "ssm:GetParameter", resource: PARAM };
    expect(await both(policies, request)).toBe("Allowed");
    expect(await both(policies, { ...request, resource: `${PARAM}2` })).toBe("ImplicitlyDenied");
  });

  it("lets an explicit Deny in any policy win", async () => {
    const deny = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:GetObject", Resource: OBJECT }],
    };
    const policies = { identityPolicies: [allow("s3:GetObject", "*")], resourcePolicy: deny };
    const request = { principal: ROLE, action: "s3:GetObject", resource: OBJECT };
    expect(await both(policies, { ...request, resourceAccount: A })).toBe("ExplicitlyDenied");
  });

  it("needs both the identity policy and the resource policy across accounts", async () => {
    const grant = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: OTHER_ACCOUNT_ROLE },
          Action: "s3:PutObject",
          Resource: "arn:aws:s3:::bucket/app/dev/*",
        },
      ],
    };
    const request = {
      principal: OTHER_ACCOUNT_ROLE,
      action: "s3:PutObject",
      resource: OBJECT,
      resourceAccount: A,
    };
    const identity = [allow("s3:PutObject", "*")];
    expect(await both({ identityPolicies: identity, resourcePolicy: grant }, request)).toBe(
      "Allowed",
    );
    expect(await both({ identityPolicies: identity }, request)).toBe("ImplicitlyDenied");
    expect(await both({ identityPolicies: [], resourcePolicy: grant }, request)).toBe(
      "ImplicitlyDenied",
    );
  });

  it("checks the encryption context a KMS request carries", async () => {
    const keyPolicy = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${A}:root` },
          Action: "kms:*",
          Resource: "*",
        },
      ],
    };
    const policies = {
      identityPolicies: [
        allow("kms:Decrypt", KEY, { StringEquals: { "kms:EncryptionContext:stack": "dev-china" } }),
      ],
      resourcePolicy: keyPolicy,
    };
    const request = (stack: string) => ({
      principal: ROLE,
      action: "kms:Decrypt",
      resource: KEY,
      context: { "kms:EncryptionContext:stack": stack },
    });
    expect(await both(policies, request("dev-china"))).toBe("Allowed");
    expect(await both(policies, request("prod-china"))).toBe("ImplicitlyDenied");
  });

  it("still applies a Deny by service wildcard or NotAction among statements of other actions", async () => {
    // decide() hands the engine only the statements whose actions can match
    const statements = (...extra: object[]) => ({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: "ssm:GetParameter", Resource: PARAM },
        { Effect: "Allow", Action: "kms:Decrypt", Resource: KEY },
        ...extra,
      ],
    });
    const request = { principal: ROLE, action: "ssm:GetParameter", resource: PARAM };
    expect(await both({ identityPolicies: [statements()] }, request)).toBe("Allowed");
    expect(
      await both(
        { identityPolicies: [statements({ Effect: "Deny", Action: "SSM:*", Resource: "*" })] },
        request,
      ),
    ).toBe("ExplicitlyDenied");
    expect(
      await both(
        {
          identityPolicies: [
            statements({ Effect: "Deny", NotAction: "kms:Decrypt", Resource: PARAM }),
          ],
        },
        request,
      ),
    ).toBe("ExplicitlyDenied");
  });

  it("caps the identity policies with the permissions boundary", async () => {
    const policies = {
      identityPolicies: [allow("ssm:GetParameter", "*")],
      permissionsBoundary: allow("ssm:GetParameter", `${PARAM}2`),
    };
    expect(
      await both(policies, { principal: ROLE, action: "ssm:GetParameter", resource: PARAM }),
    ).toBe("ImplicitlyDenied");
  });

  it("refuses to answer for an S3 ARN whose account is not given", () => {
    expect(() =>
      decide(
        { identityPolicies: [] },
        { principal: ROLE, action: "s3:GetObject", resource: OBJECT },
      ),
    ).toThrow("names no account");
  });

  it("validated: rejects an action AWS does not have", async () => {
    await expect(
      decideValidated(
        { identityPolicies: [allow("ssm:GetParameter", PARAM)] },
        { principal: ROLE, action: "ssm:GetParameterz", resource: PARAM },
      ),
    ).rejects.toThrow("cannot simulate");
  });

  it("validated: rejects a context key that does not apply to the action", async () => {
    await expect(
      decideValidated(
        { identityPolicies: [allow("ssm:GetParameter", PARAM)] },
        {
          principal: ROLE,
          action: "ssm:GetParameter",
          resource: PARAM,
          context: { "s3:prefix": "x" },
        },
      ),
    ).rejects.toThrow("s3:prefix");
  });
});
