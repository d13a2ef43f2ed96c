import { decide } from "../../../automation/policies/simulate";
import { doc } from "../../../components/iam/policyStatements";
import {
  stateReadStatements,
  stateRunStatements,
  StateScope,
} from "../../../components/iam/statePolicyStatements";

const ACCOUNT = "123456789012";
const SCOPE: StateScope = {
  region: "us-east-1",
  stateBucketArn: "arn:aws:s3:::state",
  stateKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/state`,
};
const ROLE = `arn:aws:iam::${ACCOUNT}:role/silkroute-deploy-dev`;

/** Every object the DIY backend (Pulumi 3.248) keeps for one stack. */
const objectsOf = (stack: string) => [
  `.pulumi/stacks/silkroute/${stack}.json`,
  `.pulumi/stacks/silkroute/${stack}.json.gz`,
  `.pulumi/stacks/silkroute/${stack}.json.bak`,
  `.pulumi/stacks/silkroute/${stack}.pulumi-tags`,
  `.pulumi/history/silkroute/${stack}/${stack}-1700000000.history.json`,
  `.pulumi/history/silkroute/${stack}/${stack}-1700000000.checkpoint.json`,
  `.pulumi/backups/silkroute/${stack}/${stack}.1700000000.json`,
  `.pulumi/locks/organization/silkroute/${stack}/0b7e3f.json`,
];
const decideOn = (statements: ReturnType<typeof stateRunStatements>, action: string, key: string) =>
  decide(
    { identityPolicies: [doc(statements)] },
    {
      principal: ROLE,
      action,
      resource: `${SCOPE.stateBucketArn}/${key}`,
      resourceAccount: ACCOUNT,
    },
  );

describe("state statements", () => {
  const run = stateRunStatements(SCOPE, ["dev-us-east-1", "dev-china"]);

  it("let a deploy role read and write every object of its own stacks", () => {
    for (const key of [
      ...objectsOf("dev-us-east-1"),
      ...objectsOf("dev-china"),
      ".pulumi/meta.yaml",
    ]) {
      expect([key, decideOn(run, "s3:GetObject", key)]).toEqual([key, "Allowed"]);
    }
    for (const key of objectsOf("dev-china")) {
      expect([key, decideOn(run, "s3:PutObject", key)]).toEqual([key, "Allowed"]);
    }
  });

  it("reach no object of another environment's stacks, even one whose name starts alike", () => {
    for (const key of [...objectsOf("dev-eu-us-east-1"), ...objectsOf("prod-china")]) {
      expect([key, decideOn(run, "s3:GetObject", key)]).toEqual([key, "ImplicitlyDenied"]);
    }
    expect(decideOn(run, "s3:PutObject", ".pulumi/meta.yaml")).toBe("ImplicitlyDenied");
  });

  it("deny the china stack's objects in either layout, and only the china stack's", () => {
    const china = [
      ...objectsOf("china"),
      ".pulumi/stacks/china.json",
      ".pulumi/history/china/china-1700000000.history.json",
      ".pulumi/backups/china/china.1700000000.json",
    ];
    for (const key of china) {
      expect([key, decideOn(run, "s3:GetObject", key)]).toEqual([key, "ExplicitlyDenied"]);
    }
    for (const key of objectsOf("dev-china")) {
      expect([key, decideOn(run, "s3:GetObject", key)]).not.toEqual([key, "ExplicitlyDenied"]);
    }
  });

  it("let a preview read its stacks' checkpoints, never write or read their history", () => {
    const read = stateReadStatements(SCOPE, ["dev-us-east-1"]);
    expect(decideOn(read, "s3:GetObject", ".pulumi/stacks/silkroute/dev-us-east-1.json")).toBe(
      "Allowed",
    );
    expect(decideOn(read, "s3:GetObject", ".pulumi/meta.yaml")).toBe("Allowed");
    for (const key of objectsOf("dev-us-east-1")) {
      expect([key, decideOn(read, "s3:PutObject", key)]).toEqual([key, "ImplicitlyDenied"]);
    }
    expect(
      decideOn(read, "s3:GetObject", ".pulumi/locks/organization/silkroute/dev-us-east-1/x.json"),
    ).toBe("ImplicitlyDenied");
  });
});
