import {
  AccessRequest,
  decide,
  decideValidated,
  PolicySet,
} from "../../automation/policies/simulate";

/*
 * decide() hands the engine only the statements that can take part and
 * remembers answers by what the engine is handed; neither may change an
 * answer. Each case is asked of the validated path too, which hands the
 * engine the whole documents and remembers nothing.
 */

const A = "111111111111";
const ROLE = `arn:aws:iam::${A}:role/deployer`;
const OBJECT = "arn:aws:s3:::bucket/app/dev/1.zip";
const KEY = `arn:aws:kms:us-east-1:${A}:key/k`;

const doc = (...Statement: object[]) => ({ Version: "2012-10-17", Statement });
const both = async (policies: PolicySet, request: AccessRequest) => {
  const quick = decide(policies, request);
  expect(await decideValidated(policies, request)).toBe(quick);
  return quick;
};
const s3 = (action: string) => ({ principal: ROLE, action, resource: OBJECT, resourceAccount: A });

describe("decide: statements left out, answers remembered", () => {
  it.each([
    ["s3:GetObject", "s3:GetObject", "Allowed"],
    ["S3:getobject", "s3:GetObject", "Allowed"],
    ["s3:Get*", "s3:GetObjectAcl", "Allowed"],
    ["s3:Get?bject", "s3:GetObject", "Allowed"],
    ["s3:Get?bject", "s3:GetObjectAcl", "ImplicitlyDenied"],
    ["*", "s3:PutObject", "Allowed"],
    ["s3:*Object", "s3:PutObjectAcl", "ImplicitlyDenied"],
    ["kms:GetObject", "s3:GetObject", "ImplicitlyDenied"],
  ])("matches Action %s to %s as the engine does", async (pattern, action, expected) => {
    const policies = {
      identityPolicies: [doc({ Effect: "Allow", Action: pattern, Resource: "*" })],
    };
    expect(await both(policies, s3(action))).toBe(expected);
  });

  it("answers each action alone when the actions match different statements", async () => {
    // given one policy set asked about actions only some of its statements name
    const policies = {
      identityPolicies: [
        doc(
          { Effect: "Allow", Action: "s3:*", Resource: "*" },
          { Effect: "Deny", Action: ["s3:PutObject", "s3:Delete*"], Resource: OBJECT },
          { Effect: "Deny", NotAction: "s3:Get*", Resource: "arn:aws:s3:::bucket/app/*" },
        ),
      ],
    };
    // when asked in turn, then each gets its own answer
    expect(await both(policies, s3("s3:GetObject"))).toBe("Allowed");
    expect(await both(policies, s3("s3:GetObjectAcl"))).toBe("Allowed");
    expect(await both(policies, s3("s3:PutObject"))).toBe("ExplicitlyDenied");
    expect(await both(policies, s3("s3:RestoreObject"))).toBe("ExplicitlyDenied");
    expect(await both(policies, s3("s3:GetObject"))).toBe("Allowed");
  });

  it("tells an action it matches as the engine does from one it cannot, though both take in the same statements", async () => {
    // given statements both actions take in: s3:Get* is no action name, so it is matched by the engine alone
    const policies = {
      identityPolicies: [
        doc(
          { Effect: "Allow", Action: "s3:*", Resource: "*" },
          { Effect: "Deny", Action: "s3:GetObject", Resource: "*" },
        ),
      ],
    };
    // then the Deny of s3:GetObject takes no part in s3:Get*, asked after it or before
    expect(await both(policies, s3("s3:GetObject"))).toBe("ExplicitlyDenied");
    expect(decide(policies, s3("s3:Get*"))).toBe("Allowed");
    expect(await both(policies, s3("s3:GetObject"))).toBe("ExplicitlyDenied");
  });

  it("answers each KMS action alone: the engine denies alias changes of AWS managed keys by name", async () => {
    const policies = {
      identityPolicies: [doc({ Effect: "Allow", Action: "kms:*", Resource: "*" })],
    };
    const alias = `arn:aws:kms:us-east-1:${A}:alias/aws/s3`;
    const ask = (action: string) => decide(policies, { principal: ROLE, action, resource: alias });
    expect(ask("kms:DescribeKey")).toBe("Allowed");
    expect(ask("kms:UpdateAlias")).toBe("ImplicitlyDenied");
    expect(ask("kms:DescribeKey")).toBe("Allowed");
  });

  it("answers by name what the engine answers by name: AWS managed policies, sts:GetCallerIdentity", () => {
    const everything = { identityPolicies: [doc({ Effect: "Allow", Action: "*", Resource: "*" })] };
    const managed = "arn:aws:iam::aws:policy/AdministratorAccess";
    const onPolicy = (action: string) =>
      decide(everything, { principal: ROLE, action, resource: managed, resourceAccount: A });
    expect(onPolicy("iam:GetPolicy")).toBe("Allowed");
    expect(onPolicy("iam:DeletePolicy")).toBe("ImplicitlyDenied");
    expect(onPolicy("iam:GetPolicyVersion")).toBe("Allowed");
    const denied = { identityPolicies: [doc({ Effect: "Deny", Action: "sts:*", Resource: "*" })] };
    const sts = (action: string) =>
      decide(denied, { principal: ROLE, action, resource: "*", resourceAccount: A });
    expect(sts("sts:GetSessionToken")).toBe("ExplicitlyDenied");
    expect(sts("sts:GetCallerIdentity")).toBe("Allowed");
  });

  it("tells apart resources, and principals, that the same statements match", async () => {
    // given one statement that matches every role and every principal
    const policies = { identityPolicies: [doc({ Effect: "Allow", Action: "*", Resource: "*" })] };
    const onRole = (role: string) => ({
      principal: ROLE,
      action: "iam:GetRole",
      resource: `arn:aws:iam::${A}:role/${role}`,
    });
    // then an AWS reserved role's changes are denied by name, another role's not
    expect(await both(policies, onRole("mine"))).toBe("Allowed");
    const reserved = { ...onRole("aws-reserved/sso/x"), action: "iam:DeleteRole" };
    expect(decide(policies, { ...reserved, resource: onRole("mine").resource })).toBe("Allowed");
    expect(decide(policies, reserved)).toBe("ImplicitlyDenied");
    // and another account's principal needs the bucket's own grant
    const elsewhere = { ...s3("s3:GetObject"), principal: "arn:aws:iam::222222222222:role/x" };
    expect(await both(policies, s3("s3:GetObject"))).toBe("Allowed");
    expect(await both(policies, elsewhere)).toBe("ImplicitlyDenied");
  });

  it("tells apart resources the engine reads, though every statement matches any resource", () => {
    // a key is used only as its key policy allows (none here), an alias as IAM does
    const policies = {
      identityPolicies: [doc({ Effect: "Allow", Action: "kms:*", Resource: "*" })],
    };
    const on = (resource: string) =>
      decide(policies, { principal: ROLE, action: "kms:DescribeKey", resource });
    expect(on(`arn:aws:kms:us-east-1:${A}:alias/mine`)).toBe("Allowed");
    expect(on(KEY)).toBe("ImplicitlyDenied");
    expect(on(`arn:aws:kms:us-east-1:${A}:alias/mine`)).toBe("Allowed");
  });

  it("leaves to the engine a resource the filter only may match: IAM names are case-sensitive", async () => {
    const group = `arn:aws:logs:us-east-1:${A}:log-group:/aws/lambda/fn:log-stream:x`;
    const policies = {
      identityPolicies: [doc({ Effect: "Allow", Action: "logs:PutLogEvents", Resource: group })],
    };
    const write = (resource: string) =>
      both(policies, { principal: ROLE, action: "logs:PutLogEvents", resource });
    expect(await write(group)).toBe("Allowed");
    expect(await write(group.replace("/fn", "/FN"))).toBe("ImplicitlyDenied");
  });

  it("tells apart resources a boundary's statement names, under an identity that allows any", async () => {
    // given an app role allowed every log action, capped by a boundary of its own log groups
    const role = `arn:aws:iam::${A}:role/app-dev-fn`;
    const policies = {
      identityPolicies: [doc({ Effect: "Allow", Action: "logs:*", Resource: "*" })],
      permissionsBoundary: doc(
        {
          Effect: "Allow",
          Action: "logs:PutLogEvents",
          Resource: `arn:aws:logs:*:${A}:log-group:/aws/lambda/app-dev-*`,
          Condition: { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${A}:role/app-dev-*` } },
        },
        {
          Effect: "Allow",
          Action: "logs:PutLogEvents",
          Resource: `arn:aws:logs:*:${A}:log-group:/aws/lambda/app-prod-*`,
          Condition: { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${A}:role/app-prod-*` } },
        },
      ),
    };
    const write = (group: string) =>
      both(policies, {
        principal: role,
        action: "logs:PutLogEvents",
        resource: `arn:aws:logs:us-east-1:${A}:log-group:/aws/lambda/${group}:log-stream:x`,
      });
    // then its own groups are open, another environment's and another prefix's are not
    expect(await write("app-dev-fn")).toBe("Allowed");
    expect(await write("app-prod-fn")).toBe("ImplicitlyDenied");
    expect(await write("other-fn")).toBe("ImplicitlyDenied");
    expect(await write("app-dev-worker")).toBe("Allowed");
  });

  it.each([
    ["StringNotEquals", { "aws:SourceVpc": "vpc-1" }],
    ["StringEqualsIfExists", { "aws:SourceVpc": "vpc-1" }],
    ["Null", { "aws:SourceVpc": "true" }],
    ["ForAllValues:StringEquals", { "aws:TagKeys": ["team"] }],
    ["ArnNotLike", { "aws:SourceArn": "arn:aws:s3:::x" }],
  ])("keeps a Deny whose %s condition matches a key the request lacks", async (operator, keys) => {
    const policies = {
      identityPolicies: [
        doc(
          { Effect: "Allow", Action: "s3:GetObject", Resource: "*" },
          { Effect: "Deny", Action: "s3:*", Resource: "*", Condition: { [operator]: keys } },
        ),
      ],
    };
    expect(decide(policies, s3("s3:GetObject"))).toBe("ExplicitlyDenied");
  });

  it("leaves out a statement whose condition needs a key the request lacks, and only that", async () => {
    const policies = {
      identityPolicies: [
        doc(
          { Effect: "Allow", Action: "s3:GetObject", Resource: "*" },
          {
            Effect: "Deny",
            Action: "s3:*",
            Resource: "*",
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ),
      ],
    };
    expect(await both(policies, s3("s3:GetObject"))).toBe("Allowed");
    const insecure = { ...s3("s3:GetObject"), context: { "aws:SecureTransport": "false" } };
    expect(decide(policies, insecure)).toBe("ExplicitlyDenied");
  });

  it.each([
    ["StringEquals", "dev-china"],
    ["StringLike", "dev-*"],
    ["StringEquals", "${aws:PrincipalAccount}-china"],
  ])("tells requests apart by the context a %s %s condition reads", async (operator, value) => {
    const policies = {
      identityPolicies: [
        doc({
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: KEY,
          Condition: { [operator]: { "kms:EncryptionContext:stack": value } },
        }),
      ],
      // A key policy that leaves it to IAM, as the plan's keys do.
      resourcePolicy: doc({
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${A}:root` },
        Action: "kms:*",
        Resource: "*",
      }),
    };
    const own = value.startsWith("$") ? `${A}-china` : "dev-china";
    const ask = (stack: string) =>
      both(policies, {
        principal: ROLE,
        action: "kms:Decrypt",
        resource: KEY,
        context: { "kms:EncryptionContext:stack": stack },
      });
    expect(await ask(own)).toBe("Allowed");
    expect(await ask("prod-china")).toBe("ImplicitlyDenied");
    expect(await ask(own)).toBe("Allowed");
  });

  it("tells requests apart by the context a policy variable reads", async () => {
    const policies = {
      identityPolicies: [
        doc({
          Effect: "Allow",
          Action: "s3:GetObject",
          Resource: "arn:aws:s3:::bucket/${aws:PrincipalTag/team}/*",
        }),
      ],
    };
    const ask = (team: string) =>
      decide(policies, { ...s3("s3:GetObject"), context: { "aws:PrincipalTag/team": team } });
    expect(ask("app")).toBe("Allowed");
    expect(ask("web")).toBe("ImplicitlyDenied");
  });

  it("tells a context value from a list that reads the same as text", async () => {
    const policies = {
      identityPolicies: [
        doc({
          Effect: "Allow",
          Action: "s3:GetObject",
          Resource: "*",
          Condition: { "ForAnyValue:StringEquals": { "aws:TagKeys": "a,b" } },
        }),
      ],
    };
    const ask = (keys: string | string[]) =>
      both(policies, { ...s3("s3:GetObject"), context: { "aws:TagKeys": keys } });
    expect(await ask("a,b")).toBe("Allowed");
    expect(await ask(["a", "b"])).toBe("ImplicitlyDenied");
    expect(await ask(["a,b"])).toBe("Allowed");
  });
});
