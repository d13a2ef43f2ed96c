import * as aws from "../../../components/aws";
import { PLAN_ACCOUNTS, providerAccount } from "../../../automation/plan/mocks";
import { evaluate, only, promiseOf, providerFor } from "../../helpers/pulumi";

describe("the mock engine's ARNs", () => {
  it("keeps an IAM user's, group's and role's path in the ARN, and / when there is none", async () => {
    // given / when
    const stack = await evaluate(() => {
      const provider = providerFor("cn-north-1");
      new aws.iam.User(
        "u",
        { name: "silkroute-dev-china-deployer", path: "/silkroute/" },
        { provider },
      );
      new aws.iam.Group(
        "g",
        { name: "silkroute-dev-china-deployers", path: "/silkroute/" },
        { provider },
      );
      new aws.iam.Role("r", { name: "plain", assumeRolePolicy: "{}" }, { provider });
      return {};
    });
    // then
    const account = PLAN_ACCOUNTS["aws-cn"];
    expect(only(stack, "aws:iam/user:User").state.arn).toBe(
      `arn:aws-cn:iam::${account}:user/silkroute/silkroute-dev-china-deployer`,
    );
    expect(only(stack, "aws:iam/group:Group").state.arn).toBe(
      `arn:aws-cn:iam::${account}:group/silkroute/silkroute-dev-china-deployers`,
    );
    expect(only(stack, "aws:iam/role:Role").state.arn).toBe(
      `arn:aws-cn:iam::${account}:role/plain`,
    );
  });

  it("puts a provider pinned by allowedAccountIds, its resources and its invokes in that account", async () => {
    // given
    let callerAccount: Promise<string> = Promise.resolve("");
    // when
    const stack = await evaluate(() => {
      const provider = new aws.Provider("prod", {
        region: "cn-north-1",
        allowedAccountIds: ["310987654321"],
      });
      new aws.iam.User("u", { name: "deployer", path: "/silkroute/" }, { provider });
      callerAccount = promiseOf(aws.getCallerIdentityOutput({}, { provider }).accountId);
      return {};
    });
    // then
    expect(only(stack, "aws:iam/user:User").state.arn).toBe(
      "arn:aws-cn:iam::310987654321:user/silkroute/deployer",
    );
    expect(only(stack, "aws:iam/user:User").account).toBe("310987654321");
    await expect(callerAccount).resolves.toBe("310987654321");
  });

  it("puts the resources of a provider that assumes a role into the role's account", async () => {
    // when
    const stack = await evaluate(() => {
      const provider = new aws.Provider("stage", {
        region: "us-east-1",
        assumeRoles: [{ roleArn: "arn:aws:iam::222222222222:role/cross-account-deploy" }],
      });
      new aws.cloudwatch.LogGroup("logs", { name: "/aws/lambda/fn" }, { provider });
      return {};
    });
    // then
    expect(only(stack, "aws:cloudwatch/logGroup:LogGroup").state.arn).toBe(
      "arn:aws:logs:us-east-1:222222222222:log-group:/aws/lambda/fn",
    );
  });

  it("keeps the partition's placeholder account for a provider that names none", async () => {
    // when
    const stack = await evaluate(() => {
      new aws.iam.Role(
        "r",
        { name: "r", assumeRolePolicy: "{}" },
        { provider: providerFor("us-east-1") },
      );
      return {};
    });
    // then
    expect(only(stack, "aws:iam/role:Role").account).toBe(PLAN_ACCOUNTS.aws);
  });
});

describe("providerAccount", () => {
  it("reads the account from allowedAccountIds or the assumed role, as the engine passes them (JSON)", () => {
    expect(providerAccount({ allowedAccountIds: '["210987654321"]' })).toBe("210987654321");
    expect(
      providerAccount({ assumeRoles: '[{"roleArn":"arn:aws:iam::333333333333:role/x"}]' }),
    ).toBe("333333333333");
    expect(
      providerAccount({ assumeRole: { roleArn: "arn:aws-cn:iam::210987654321:role/x" } }),
    ).toBe("210987654321");
  });

  it("names no account when the provider could be in several or says nothing", () => {
    expect(
      providerAccount({ allowedAccountIds: '["111111111111","222222222222"]' }),
    ).toBeUndefined();
    expect(providerAccount({ region: "us-east-1" })).toBeUndefined();
    expect(providerAccount({ assumeRoles: "not json" })).toBeUndefined();
  });
});
