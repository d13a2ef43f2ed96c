import { decide, type AccessRequest, type PolicySet } from "../../automation/policies/simulate";
import { wholeDocuments } from "../helpers/wholeDocuments";

/*
 * Requests on which decide() once answered otherwise than the engine on the
 * whole documents (found by review): each asked of both, in the order that
 * showed it.
 */

const A = "111111111111";
const ROLE = `arn:aws:iam::${A}:role/app`;
const allow = (Action: string, Resource: string) => ({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action, Resource }],
});

/** Each request's answer from decide() and from the engine, asked in turn of one policy set. */
function answers(policies: PolicySet, requests: AccessRequest[]) {
  return requests.map((request) => ({
    action: request.action,
    resource: request.resource,
    decide: decide(policies, request),
    engine: wholeDocuments(policies, request),
  }));
}

const agree = (rows: ReturnType<typeof answers>) =>
  rows
    .filter((r) => r.decide !== r.engine)
    .map((r) => `${r.action} ${r.resource}: ${r.decide}, engine ${r.engine}`);

describe("decide on requests the engine reads unusually", () => {
  it("does not take an answer about an alias the engine holds to be AWS's own (alias/aws/ by locale, ignoring case) for another action's", () => {
    // given an alias whose first letter is a modifier capital A (U+1D2C): the engine's
    // localeCompare takes it for alias/aws/, so it refuses CreateAlias whatever the policy
    const alias = `arn:aws:kms:us-east-1:${A}:\u1d2clias/aws/s3`;
    const rows = answers({ identityPolicies: [allow("kms:*", "*")] }, [
      { principal: ROLE, action: "kms:DescribeKey", resource: alias },
      { principal: ROLE, action: "kms:CreateAlias", resource: alias },
    ]);
    expect(rows.map((r) => r.engine)).toEqual(["Allowed", "ImplicitlyDenied"]);
    expect(agree(rows)).toEqual([]);
  });

  it("keeps a statement for a request ARN of fewer than six parts, which the engine pads", () => {
    const rows = answers({ identityPolicies: [allow("sqs:*", "arn:aws:sqs:*:*:*")] }, [
      { principal: ROLE, action: "sqs:SendMessage", resource: `arn:aws:sqs:us-east-1:${A}` },
    ]);
    expect(rows.map((r) => r.engine)).toEqual(["Allowed"]);
    expect(agree(rows)).toEqual([]);
  });

  it("does not compare the first part of the request's ARN, as the engine does not", () => {
    const rows = answers({ identityPolicies: [allow("sqs:*", `arn:aws:sqs:us-east-1:${A}:q`)] }, [
      {
        principal: ROLE,
        action: "sqs:SendMessage",
        resource: `xyz:aws:sqs:us-east-1:${A}:q`,
        resourceAccount: A,
      },
    ]);
    expect(rows.map((r) => r.engine)).toEqual(["Allowed"]);
    expect(agree(rows)).toEqual([]);
  });

  it("does not compare the first part of a policy's Resource pattern, as the engine does not", () => {
    const rows = answers(
      {
        identityPolicies: [],
        resourcePolicy: {
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { AWS: ROLE },
              Action: "sqs:*",
              Resource: "xyz:aws:sqs:*:*:q",
            },
          ],
        },
      },
      [{ principal: ROLE, action: "sqs:SendMessage", resource: `arn:aws:sqs:us-east-1:${A}:q` }],
    );
    expect(rows.map((r) => r.engine)).toEqual(["Allowed"]);
    expect(agree(rows)).toEqual([]);
  });

  it("hands the engine every pattern of a statement whose partition, service, Region or account the engine reads as a regular expression", () => {
    // given a Deny of two patterns: the engine matches the first (`.` in its Region is any
    // character) and not the second (it compares the resource part case-sensitively)
    const policies = {
      identityPolicies: [
        {
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Action: "ssm:*", Resource: "*" },
            {
              Effect: "Deny",
              Action: "ssm:GetParameter",
              Resource: [
                `arn:aws:ssm:us.east.1:${A}:parameter/app/x`,
                `arn:aws:ssm:us-east-1:${A}:parameter/app/X`,
              ],
            },
          ],
        },
      ],
    };
    const rows = answers(policies, [
      {
        principal: ROLE,
        action: "ssm:GetParameter",
        resource: `arn:aws:ssm:us-east-1:${A}:parameter/app/x`,
      },
    ]);
    expect(rows.map((r) => r.engine)).toEqual(["ExplicitlyDenied"]);
    expect(agree(rows)).toEqual([]);
  });

  it("reads a context key given in two spellings as the engine does, the last one written", () => {
    // given a condition on aws:PrincipalArn, which the request also sets, in two spellings
    const policies = {
      identityPolicies: [
        {
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: "ssm:GetParameter",
              Resource: `arn:aws:ssm:us-east-1:${A}:parameter/app/x`,
              Condition: { StringEquals: { "aws:PrincipalArn": "y" } },
            },
          ],
        },
      ],
    };
    const request = (context: Record<string, string>) => ({
      principal: ROLE,
      action: "ssm:GetParameter",
      resource: `arn:aws:ssm:us-east-1:${A}:parameter/app/x`,
      context,
    });
    const rows = answers(policies, [
      request({ "AWS:PRINCIPALARN": "x", "aws:PrincipalArn": "y" }),
      request({ "AWS:PRINCIPALARN": "y", "aws:PrincipalArn": "x" }),
    ]);
    expect(rows.map((r) => r.engine)).toEqual(["ImplicitlyDenied", "Allowed"]);
    expect(agree(rows)).toEqual([]);
  });
});
