import { cut } from "../../automation/policies/handed";
import {
  actionOf,
  compiled,
  type FilterRequest,
  relevantTo,
} from "../../automation/policies/relevance";
import { decide, decideValidated, type PolicySet } from "../../automation/policies/simulate";

/*
 * The engine is handed, of each statement the filter keeps, only the
 * Resource and Action patterns that take in the request (handed.ts); the
 * answer must be the engine's on the whole documents (decideValidated hands
 * it them whole and remembers nothing).
 */

const A = "111111111111";
const ROLE = `arn:aws:iam::${A}:role/deploy-dev`;
const STATE = "arn:aws:s3:::state";
const checkpoint = (stack: string) => `${STATE}/.pulumi/stacks/silkroute/${stack}.json`;
const doc = (...Statement: object[]) => ({ Version: "2012-10-17", Statement });

/** What decide() hands the engine of `document` for an S3 request. */
function handed(document: object, action: string, resource: string) {
  const request: FilterRequest = { ...actionOf(action), resource, context: new Map() };
  const { Statement } = cut(relevantTo(compiled(document), request), request).document as {
    Statement: Record<string, unknown>[];
  };
  return Statement.map((s) => ({
    Action: s.Action,
    Resource: s.Resource,
    NotAction: s.NotAction,
    Condition: s.Condition,
  }));
}

describe("the documents the engine is handed", () => {
  const ownStacks = doc({
    Effect: "Allow",
    Action: ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
    Resource: [`${STATE}/.pulumi/stacks/silkroute/dev-*`, `${STATE}/.pulumi/history/dev-*`],
  });

  it("hold of a statement only the patterns that take in the request", () => {
    expect(handed(ownStacks, "s3:GetObject", checkpoint("dev-us-east-1"))).toEqual([
      { Action: ["s3:GetObject"], Resource: [`${STATE}/.pulumi/stacks/silkroute/dev-*`] },
    ]);
  });

  it("hold whole what matches whole, and what the tests leave undecided", () => {
    const whole = doc(
      { Effect: "Allow", NotAction: ["s3:PutObject", "iam:*"], Resource: ["*", STATE] },
      { Effect: "Allow", Action: ["s3:Get*", "s3:*Object"], Resource: `${STATE}/*` },
      { Effect: "Allow", Action: ["s3:GetObject", "s3:Put*"], Resource: [`${STATE}/\${aws:x}`] },
    );
    expect(handed(whole, "s3:GetObject", checkpoint("dev"))).toEqual([
      { NotAction: ["s3:PutObject", "iam:*"], Resource: ["*"] },
      { Action: ["s3:Get*", "s3:*Object"], Resource: `${STATE}/*` },
      { Action: ["s3:GetObject"], Resource: [`${STATE}/\${aws:x}`] },
    ]);
    // a request resource with `*` is matched by overlap: its patterns are handed whole
    expect(handed(ownStacks, "s3:GetObject", `${STATE}/.pulumi/*`)).toEqual([
      {
        Action: ["s3:GetObject"],
        Resource: [`${STATE}/.pulumi/stacks/silkroute/dev-*`, `${STATE}/.pulumi/history/dev-*`],
      },
    ]);
  });

  it("hold of a statement's conditions only the entries not certain to hold", () => {
    const conditional = doc({
      Effect: "Deny",
      Action: "s3:GetObject",
      Resource: "*",
      Condition: {
        StringEquals: { "aws:RequestedRegion": ["us-east-1", "eu-west-1"], "s3:prefix": "app/" },
        StringLike: { "aws:RequestedRegion": "eu-*" },
      },
    });
    const ask = (context: Record<string, string | string[]>) => {
      const request: FilterRequest = {
        ...actionOf("s3:GetObject"),
        resource: checkpoint("dev"),
        context: new Map(Object.entries(context)),
      };
      const { Statement } = cut(relevantTo(compiled(conditional), request), request).document as {
        Statement: { Condition?: unknown }[];
      };
      return Statement.map((s) => s.Condition);
    };
    expect(ask({ "aws:requestedregion": "us-east-1", "s3:prefix": "app/" })).toEqual([
      { StringLike: { "aws:RequestedRegion": "eu-*" } },
    ]);
    expect(ask({ "aws:requestedregion": "us-east-1", "s3:prefix": ["app/"] })).toEqual([
      {
        StringEquals: { "s3:prefix": "app/" },
        StringLike: { "aws:RequestedRegion": "eu-*" },
      },
    ]);
  });

  it.each([
    ["us-east-1", "Allowed"],
    ["eu-west-1", "ExplicitlyDenied"],
    ["ap-south-1", "Allowed"],
  ])(
    "answer a request in %s as the engine does on the whole documents: %s",
    async (region, expected) => {
      // given a Deny whose StringEquals holds in two Regions and whose StringLike in one
      const policies: PolicySet = {
        identityPolicies: [
          doc(
            { Effect: "Allow", Action: "s3:*", Resource: "*" },
            {
              Effect: "Deny",
              Action: "s3:GetObject",
              Resource: `${STATE}/*`,
              Condition: {
                StringEquals: { "aws:RequestedRegion": ["us-east-1", "eu-west-1"] },
                StringLike: { "aws:RequestedRegion": "eu-*" },
              },
            },
          ),
        ],
      };
      const request = {
        principal: ROLE,
        action: "s3:GetObject",
        resource: checkpoint("dev"),
        resourceAccount: A,
        context: { "aws:RequestedRegion": region },
      };
      // then the entries left out change no answer
      const answer = decide(policies, request);
      expect(answer).toBe(expected);
      expect(await decideValidated(policies, request)).toBe(answer);
    },
  );

  it.each([
    ["dev-us-east-1", "s3:GetObject", "ExplicitlyDenied"],
    ["dev-us-east-1", "s3:PutObject", "ExplicitlyDenied"],
    ["dev-us-east-1", "s3:DeleteObject", "Allowed"],
    ["prod-us-east-1", "s3:GetObject", "ExplicitlyDenied"],
    ["stage-us-east-1", "s3:GetObject", "ImplicitlyDenied"],
    ["china", "s3:GetObject", "ExplicitlyDenied"],
    ["china", "s3:DeleteObject", "ExplicitlyDenied"],
  ])(
    "answer %s %s as the engine does on the whole documents: %s",
    async (stack, action, expected) => {
      // given an Allow and a Deny, each of patterns that partly take in the request
      const policies: PolicySet = {
        identityPolicies: [
          ownStacks,
          doc(
            {
              Effect: "Deny",
              Action: ["s3:ListBucket", "s3:GetObject", "s3:PutObject"],
              Resource: [`${STATE}/.pulumi/stacks/*/prod-*`, `${STATE}/.pulumi/stacks/*/dev-us-*`],
            },
            {
              Effect: "Deny",
              Action: ["s3:ListBucket", "s3:*"],
              Resource: [`${STATE}/.pulumi/stacks/prod.*`, `${STATE}/.pulumi/stacks/*/china.*`],
            },
          ),
        ],
      };
      const request = { principal: ROLE, action, resource: checkpoint(stack), resourceAccount: A };
      // then the patterns left out change no answer
      const answer = decide(policies, request);
      expect(answer).toBe(expected);
      expect(await decideValidated(policies, request)).toBe(answer);
    },
  );
});
