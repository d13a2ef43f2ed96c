import { ChinaDeployer, validateChinaDeployerArgs } from "../../components/chinaDeployer";
import { chinaUserPolicyDocument } from "../../components/iam/chinaUserPolicy";
import { TEST_ACCESS_LOGS } from "../helpers/accessLogs";
import { evaluate, inputsOf, ofType, only, policyOf, providerFor } from "../helpers/pulumi";

const CHINA_ACCOUNT = "210987654321";
const BOUNDARY = `arn:aws-cn:iam::${CHINA_ACCOUNT}:policy/silkroute-app-boundary`;

describe("ChinaDeployer", () => {
  const program = () => {
    const provider = providerFor("cn-north-1", "china-dev");
    const deployer = new ChinaDeployer(
      "dev-china",
      {
        environment: "dev",
        region: "cn-north-1",
        permissionsBoundaryArn: BOUNDARY,
        accessLogs: TEST_ACCESS_LOGS,
      },
      { provider },
    );
    return {
      bucketArn: deployer.bucketArn,
      keyArn: deployer.keyArn,
      userArn: deployer.userArn,
    };
  };

  it("puts every child in the aws-cn partition and the China Region", async () => {
    // when
    const stack = await evaluate(program);
    // then
    const children = stack.resources.filter((r) => r.type.startsWith("aws:"));
    expect(children.length).toBeGreaterThan(10);
    for (const child of children) {
      expect({ name: child.name, region: child.region, partition: child.partition }).toEqual({
        name: child.name,
        region: "cn-north-1",
        partition: "aws-cn",
      });
    }
  });

  it("writes no aws-partition ARN into any input", async () => {
    const stack = await evaluate(program);
    const text = JSON.stringify(stack.resources.map(inputsOf));
    expect(text).not.toContain("arn:aws:");
    expect(text).toContain("arn:aws-cn:");
  });

  it("encrypts the artifact bucket with its own rotating KMS key in China", async () => {
    const stack = await evaluate(program);
    const key = inputsOf(only(stack, "aws:kms/key:Key"));
    expect(key.enableKeyRotation).toBe(true);
    const encryption = inputsOf(
      only(
        stack,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      ),
    );
    expect(encryption.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId).toBe(
      stack.outputs.keyArn,
    );
    expect(ofType(stack, "silkroute:storage:SecureBucket")).toHaveLength(1);
  });

  it("makes a programmatic-only user under /silkroute/ with no policy and no login profile", async () => {
    const stack = await evaluate(program);
    const user = inputsOf(only(stack, "aws:iam/user:User"));
    expect(user.path).toBe("/silkroute/");
    expect(user.name).toBe("silkroute-dev-china-deployer");
    for (const type of [
      "aws:iam/userLoginProfile:UserLoginProfile",
      "aws:iam/userPolicy:UserPolicy",
      "aws:iam/userPolicyAttachment:UserPolicyAttachment",
      "aws:iam/policyAttachment:PolicyAttachment",
      "aws:iam/accessKey:AccessKey",
    ]) {
      expect(ofType(stack, type)).toEqual([]);
    }
  });

  it("gives the user its permissions only through its group", async () => {
    const stack = await evaluate(program);
    const group = inputsOf(only(stack, "aws:iam/group:Group"));
    const membership = inputsOf(only(stack, "aws:iam/groupMembership:GroupMembership"));
    const policy = inputsOf(only(stack, "aws:iam/groupPolicy:GroupPolicy"));
    expect(group.path).toBe("/silkroute/");
    expect(membership).toMatchObject({
      group: group.name,
      users: ["silkroute-dev-china-deployer"],
    });
    expect(policy.group).toBe(group.name);
  });

  it("attaches the deploy policy for this account, Region, bucket, key, user and boundary", async () => {
    // when
    const stack = await evaluate(program);
    // then the group's policy is exactly the deploy policy of these resources
    const policy = policyOf(only(stack, "aws:iam/groupPolicy:GroupPolicy"));
    expect(policy).toEqual(
      chinaUserPolicyDocument({
        partition: "aws-cn",
        region: "cn-north-1",
        account: CHINA_ACCOUNT,
        appPrefix: "silkroute-dev",
        bucketArn: String(stack.outputs.bucketArn),
        keyArn: String(stack.outputs.keyArn),
        userArn: String(stack.outputs.userArn),
        boundaryArn: BOUNDARY,
      }),
    );
    expect(String(stack.outputs.userArn)).toBe(
      `arn:aws-cn:iam::${CHINA_ACCOUNT}:user/silkroute/silkroute-dev-china-deployer`,
    );
  });
});

describe("validateChinaDeployerArgs", () => {
  const ok = {
    environment: "dev",
    region: "cn-northwest-1",
    permissionsBoundaryArn: BOUNDARY,
    accessLogs: TEST_ACCESS_LOGS,
  };

  it("refuses a Region outside China", () => {
    expect(validateChinaDeployerArgs({ ...ok, region: "us-east-1" })).toBe(
      "region must be a Region of the aws-cn partition, cn-north-1 or cn-northwest-1 (the deploy user lives in China), got us-east-1",
    );
  });

  it("accepts both China Regions", () => {
    expect(validateChinaDeployerArgs(ok)).toBeUndefined();
    expect(validateChinaDeployerArgs({ ...ok, region: "cn-north-1" })).toBeUndefined();
  });

  it("rejects a bad environment, app prefix or IAM path, naming the argument", () => {
    expect(validateChinaDeployerArgs({ ...ok, environment: "Dev" })).toMatch(/^environment /);
    expect(validateChinaDeployerArgs({ ...ok, appPrefix: "App*" })).toMatch(/^appPrefix /);
    expect(validateChinaDeployerArgs({ ...ok, iamPath: "silkroute" })).toMatch(/^iamPath /);
  });
});
