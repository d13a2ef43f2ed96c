import { decide, type AccessRequest, type PolicySet } from "../../automation/policies/simulate";
import { wholeDocuments } from "../helpers/wholeDocuments";

/*
 * decide() leaves statements out and remembers answers by what the engine
 * reads; its rules copy the engine's behaviour (operators, padding of short
 * ARNs, actions ruled on by name). Random policy sets and requests, from a
 * fixed seed, each asked of decide() and of the engine on the whole
 * documents: an engine upgrade that changes what the shortcuts rely on shows
 * here, not only on the questions the shipped plan happens to ask.
 */

/** A small linear congruential generator: the same cases on every run. */
function generator(seed: number) {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const some = <T>(items: readonly T[], max = 2): T[] =>
    Array.from({ length: 1 + Math.floor(next() * max) }, () => pick(items));
  return { next, pick, some };
}

const A = "111111111111";
const B = "222222222222";
const PRINCIPALS = [
  `arn:aws:iam::${A}:role/app`,
  `arn:aws:iam::${A}:role/other`,
  `arn:aws:iam::${B}:role/x`,
];
const RESOURCES = [
  `arn:aws:ssm:us-east-1:${A}:parameter/app/x`,
  `arn:aws:ssm:us-east-1:${A}:parameter/other/y`,
  `arn:aws:ssm:us-east-1:${B}:parameter/app/x`,
  "arn:aws:s3:::bucket/app/k",
  "arn:aws:s3:::bucket",
  `arn:aws:kms:us-east-1:${A}:key/1`,
  `arn:aws:kms:us-east-1:${A}:alias/aws/s3`,
  `arn:aws:kms:us-east-1:${A}:alias/app`,
  `arn:aws:iam::${A}:role/app`,
  `arn:aws:iam::${A}:role/aws-reserved/sso/r`,
  `arn:aws:sqs:us-east-1:${A}:q`,
  `arn:aws:sts::${A}:role/app`,
  `arn:aws:lambda:us-east-1:${A}:function:app-f`,
  "*",
  // a request resource with `*` is matched by overlap: no pattern is left out of its statements
  "arn:aws:s3:::bucket/*",
  `arn:aws:ssm:us-east-1:${A}:parameter/app/*`,
  // the engine pads a request ARN of fewer than six parts, and never reads the first part
  `arn:aws:sqs:us-east-1:${A}`,
  `xyz:aws:sqs:us-east-1:${A}:q`,
  // an alias the engine takes for AWS's own (alias/aws/, compared ignoring case by locale)
  `arn:aws:kms:us-east-1:${A}:\u1d2clias/aws/s3`,
];
const ACTIONS = [
  "ssm:GetParameter",
  "ssm:PutParameter",
  "SSM:getparameter",
  "s3:GetObject",
  "s3:PutObject",
  "s3:ListBucket",
  "kms:Decrypt",
  "kms:CreateAlias",
  "kms:DescribeKey",
  "iam:PassRole",
  "iam:GetRole",
  "sqs:SendMessage",
  "sts:AssumeRole",
  "sts:GetCallerIdentity",
  "lambda:InvokeFunction",
  "lambda:CreateEventSourceMapping",
];
const ACTION_PATTERNS = [
  "*",
  "ssm:*",
  "ssm:Get*",
  "ssm:GetParameter",
  "ssm:get?arameter",
  "s3:*",
  "s3:Get*",
  "kms:*",
  "kms:Create*",
  "iam:Pass*",
  "sqs:*",
  "sts:*",
  "lambda:*",
  "SSM:*",
  "s3:*Object",
];
const RESOURCE_PATTERNS = [
  "*",
  `arn:aws:ssm:*:${A}:parameter/app/*`,
  "arn:aws:ssm:us-east-1:*:parameter/*",
  "arn:aws:ssm:us-east-1",
  "parameter",
  "arn:aws:s3:::bucket/*",
  "arn:aws:s3:::bucket",
  `arn:aws:kms:*:${A}:key/*`,
  `arn:aws:kms:*:${A}:alias/*`,
  `arn:aws:iam::${A}:role/*`,
  "arn:aws:sqs:*:*:q",
  "arn:*:sqs",
  "arn:aws:lambda:*:*:function:app-*",
  "arn:aws:*:*:*:*",
  "arn:*:*:*:*:*",
  "xyz:aws:sqs:*:*:q",
  // the engine reads a partition, service, Region or account as a regular expression, and
  // compares the resource part case-sensitively
  `arn:aws:ssm:us.east.1:${A}:parameter/app/x`,
  `arn:aws:ssm:us-east-1:${A}:parameter/APP/x`,
  `arn:aws:ssm:us-east-1:${A}:parameter/\${aws:PrincipalTag/team}/*`,
];
const KEYS = [
  "aws:PrincipalTag/team",
  "aws:PrincipalArn",
  "aws:PrincipalAccount",
  "kms:EncryptionContext:env",
  "aws:RequestedRegion",
  "s3:prefix",
  "kms:ViaService",
];
const OPERATORS = [
  "StringEquals",
  "STRINGEQUALS",
  "StringNotEquals",
  "StringLike",
  "StringNotLike",
  "StringEqualsIgnoreCase",
  "StringEqualsIfExists",
  "ArnLike",
  "ArnEquals",
  "ArnNotLike",
  "ArnLikeIfExists",
  "ForAnyValue:StringEquals",
  "ForAnyValue:StringNotEquals",
  "ForAllValues:StringEquals",
  "ForAllValues:ArnLike",
  "Null",
  "Bool",
  "NumericLessThan",
];
/** Values both a condition and a request's context may hold. */
const PLAIN_VALUES = [
  "",
  "app",
  "App",
  "prod",
  "us-east-1",
  "true",
  A,
  `arn:aws:iam::${A}:role/app`,
];
const CONDITION_VALUES = [
  ...PLAIN_VALUES,
  `arn:aws:iam::*:role/app`,
  `arn:aws:iam::${A}:role/*`,
  "arn:aws:*",
  "*",
  "${aws:PrincipalAccount}",
  "app/*",
  "ssm.us-east-1.amazonaws.com",
];
const CONTEXT_VALUES = [
  ...PLAIN_VALUES,
  `arn:aws:iam::${A}:role/App`,
  "app/x",
  "ssm.us-east-1.amazonaws.com",
];

function randomPolicySet(g: ReturnType<typeof generator>): PolicySet {
  const statement = (resourcePolicy: boolean) => {
    const s: Record<string, unknown> = { Effect: g.next() < 0.6 ? "Allow" : "Deny" };
    if (g.next() < 0.15) s.NotAction = g.some(ACTION_PATTERNS);
    else s.Action = g.some(ACTION_PATTERNS, 3);
    if (g.next() < 0.1) s.NotResource = g.some(RESOURCE_PATTERNS);
    else s.Resource = g.some(RESOURCE_PATTERNS, 3);
    if (g.next() < 0.5) {
      const condition: Record<string, Record<string, unknown>> = {};
      for (let i = 0; i < 1 + Math.floor(g.next() * 2); i++) {
        const values = g.next() < 0.6 ? g.pick(CONDITION_VALUES) : g.some(CONDITION_VALUES, 3);
        (condition[g.pick(OPERATORS)] ??= {})[g.pick(KEYS)] = values;
      }
      s.Condition = condition;
    }
    if (resourcePolicy) {
      s.Principal =
        g.next() < 0.3 ? "*" : { AWS: g.some([...PRINCIPALS, `arn:aws:iam::${A}:root`, B]) };
    }
    return s;
  };
  const document = (count: number, resourcePolicy = false) => ({
    Version: "2012-10-17",
    Statement: Array.from({ length: count }, () => statement(resourcePolicy)),
  });
  return {
    identityPolicies: Array.from({ length: 1 + Math.floor(g.next() * 2) }, () =>
      document(1 + Math.floor(g.next() * 4)),
    ),
    resourcePolicy: g.next() < 0.4 ? document(1 + Math.floor(g.next() * 3), true) : undefined,
    permissionsBoundary: g.next() < 0.3 ? document(1 + Math.floor(g.next() * 3)) : undefined,
  };
}

function randomRequest(g: ReturnType<typeof generator>): AccessRequest {
  const context: Record<string, string | string[]> = {};
  for (const key of KEYS) {
    if (g.next() < 0.35) {
      context[g.next() < 0.3 ? key.toUpperCase() : key] =
        g.next() < 0.8 ? g.pick(CONTEXT_VALUES) : g.some(CONTEXT_VALUES);
    }
  }
  const resource = g.pick(RESOURCES);
  return {
    principal: g.pick(PRINCIPALS),
    action: g.pick(ACTIONS),
    resource,
    resourceAccount: resource.startsWith("arn:aws:s3") || resource === "*" ? A : undefined,
    context,
  };
}

describe("decide on random policies", () => {
  it("answers as the engine does on the whole documents, remembered answers included", () => {
    // given policy sets from a fixed seed, each asked many questions (so answers are remembered)
    const g = generator(20261130);
    const differing: string[] = [];
    const answers = new Map<string, number>();
    for (let set = 0; set < 150; set++) {
      const policies = randomPolicySet(g);
      for (let question = 0; question < 40; question++) {
        const request = randomRequest(g);
        // when
        const expected = wholeDocuments(policies, request);
        const answer = decide(policies, request);
        // then
        answers.set(expected, (answers.get(expected) ?? 0) + 1);
        if (answer !== expected) {
          differing.push(`${JSON.stringify({ policies, request })}: ${answer}, engine ${expected}`);
        }
      }
    }
    expect(differing.slice(0, 3)).toEqual([]);
    // and the cases reach every answer, each often
    expect([...answers.keys()].sort()).toEqual(["Allowed", "ExplicitlyDenied", "ImplicitlyDenied"]);
    expect(Math.min(...answers.values())).toBeGreaterThan(300);
  });
});
