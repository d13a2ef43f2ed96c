import * as fs from "fs";
import * as path from "path";
import { PLAN_ACCOUNTS } from "../../../automation/plan/mocks";
import { PlanDocument, PlannedResource } from "../../../automation/plan/types";
import { decide } from "../../../automation/policies/simulate";
import { APPS, plan, projectWith, stack } from "../../helpers/appProjects";

/*
 * Environments sharing an account share its app boundary policy: with
 * functionsUse, each environment's function role must still reach only its
 * own environment's resources. The queue-table program, dev and prod both
 * deploying into the pipeline account, planned, and the planned boundary
 * asked of an IAM policy engine with the planned roles and resources.
 */

const ACCOUNT = PLAN_ACCOUNTS.aws;

describe("functionsUse with two environments in one account", () => {
  let code: number;
  let doc: PlanDocument;
  beforeAll(async () => {
    // given the queue-table app, and prod without its cross-account role
    const project = projectWith(APPS["queue-table"]);
    const file = path.join(project, "Pulumi.global.yaml");
    const text = fs.readFileSync(file, "utf8");
    const inAccount = text.replace(
      /(- name: prod\n(?: {6}.*\n)*?)( {6}crossAccount:\n {8}accountId: "333333333333"\n {8}roleName: .*\n)/,
      "$1",
    );
    expect(inAccount).not.toBe(text);
    fs.writeFileSync(file, inAccount);
    ({ code, doc } = await plan(project));
  });

  const named = (stackName: string, type: string): PlannedResource =>
    stack(doc, stackName).resources.find((r) => r.type === type)!;
  const boundary = () =>
    JSON.parse(
      String(
        stack(doc, "global").resources.find((r) => r.inputs.name === "silkroute-app-boundary")!
          .inputs.policy,
      ),
    );
  /** May the function role of `env` (an own policy allowing anything) take `action` on `resource`? */
  const may = (env: string, action: string, resource: string) =>
    decide(
      {
        identityPolicies: [
          { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
        ],
        permissionsBoundary: boundary(),
      },
      {
        principal: `arn:aws:iam::${ACCOUNT}:role/${named(`app-${env}-us-east-1`, "aws:iam/role:Role").inputs.name}`,
        action,
        resource,
        context: { "aws:RequestedRegion": "us-east-1" },
      },
    );
  const queueOf = (env: string) =>
    `arn:aws:sqs:us-east-1:${ACCOUNT}:${named(`app-${env}-us-east-1`, "aws:sqs/queue:Queue").inputs.name}`;
  const tableOf = (env: string) =>
    `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/${named(`app-${env}-us-east-1`, "aws:dynamodb/table:Table").inputs.name}`;

  it("plans with zero violations, app-boundary-per-environment among the rules", () => {
    expect(doc.stacks.flatMap((s) => s.violations)).toEqual([]);
    expect(code).toBe(0);
  });

  it.each([
    ["dev", "prod"],
    ["prod", "dev"],
  ])("lets %s's function use its own queue and table, never %s's", (env, other) => {
    expect(may(env, "sqs:SendMessage", queueOf(env))).toBe("Allowed");
    expect(may(env, "dynamodb:PutItem", tableOf(env))).toBe("Allowed");
    expect(may(env, "sqs:SendMessage", queueOf(other))).not.toBe("Allowed");
    expect(may(env, "dynamodb:PutItem", tableOf(other))).not.toBe("Allowed");
  });

  it("gives a role of no environment (the PR comment poster's) nothing of either", () => {
    const poster = (action: string, resource: string) =>
      decide(
        {
          identityPolicies: [
            { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
          ],
          permissionsBoundary: boundary(),
        },
        {
          principal: `arn:aws:iam::${ACCOUNT}:role/silkroute-commenter`,
          action,
          resource,
          context: { "aws:RequestedRegion": "us-east-1" },
        },
      );
    for (const env of ["dev", "prod"]) {
      expect(poster("sqs:SendMessage", queueOf(env))).not.toBe("Allowed");
      expect(poster("dynamodb:PutItem", tableOf(env))).not.toBe("Allowed");
    }
  });
});
