import { ChinaDeployer, validateChinaDeployerArgs } from "../../components/chinaDeployer";
import {
  deployPolicyDocument,
  LAMBDA_ACTIONS,
  LOG_GROUP_ACTIONS,
  ROLE_ACTIONS,
} from "../../components/deployPolicy";
import { servicePrincipal } from "../../components/partition";
import { evaluate, inputsOf, ofType, only, policyOf, providerFor } from "../helpers/pulumi";

const CHINA_ACCOUNT = "210987654321";

describe("ChinaDeployer", () => {
  const program = () => {
    const provider = providerFor("cn-north-1", "china-dev");
    const deployer = new ChinaDeployer(
      "dev-china",
      { environment: "dev", region: "cn-north-1" },
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

  it("attaches the deploy policy for this account, Region, bucket, key and user", async () => {
    // when
    const stack = await evaluate(program);
    // then the group's policy is exactly the deploy policy of these resources
    const policy = policyOf(only(stack, "aws:iam/groupPolicy:GroupPolicy"));
    expect(policy).toEqual(
      deployPolicyDocument({
        partition: "aws-cn",
        region: "cn-north-1",
        account: CHINA_ACCOUNT,
        appPrefix: "silkroute-dev",
        bucketArn: String(stack.outputs.bucketArn),
        keyArn: String(stack.outputs.keyArn),
        userArn: String(stack.outputs.userArn),
      }),
    );
    expect(String(stack.outputs.userArn)).toBe(
      `arn:aws-cn:iam::${CHINA_ACCOUNT}:user/silkroute-dev-china-deployer`,
    );
  });
});

describe("validateChinaDeployerArgs", () => {
  const ok = { environment: "dev", region: "cn-northwest-1" };

  it("refuses a Region outside China", () => {
    expect(validateChinaDeployerArgs({ ...ok, region: "us-east-1" })).toBe(
      "region must be cn-north-1 or cn-northwest-1 (the deploy user lives in China), got us-east-1",
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

describe("deployPolicyDocument", () => {
  const scope = {
    partition: "aws-cn" as const,
    region: "cn-north-1",
    account: CHINA_ACCOUNT,
    appPrefix: "silkroute-dev",
    bucketArn: "arn:aws-cn:s3:::dev-artifacts",
    keyArn: "arn:aws-cn:kms:cn-north-1:210987654321:key/k",
    userArn: "arn:aws-cn:iam::210987654321:user/silkroute/silkroute-dev-china-deployer",
  };
  const doc = deployPolicyDocument(scope);
  const statement = (sid: string) => {
    const found = doc.Statement.find((s) => s.Sid === sid);
    if (!found) throw new Error(`no statement ${sid}`);
    return found;
  };

  it("is exactly these statements, each an Allow", () => {
    expect(doc.Statement.map((s) => s.Sid)).toEqual([
      "AppFunction",
      "AppFunctionRole",
      "PassAppFunctionRoleToLambdaOnly",
      "AppFunctionLogGroup",
      "DescribeLogGroups",
      "ArtifactBucket",
      "ArtifactObjects",
      "ArtifactKey",
      "OwnAccessKeysAgeCheck",
    ]);
    expect(new Set(doc.Statement.map((s) => s.Effect))).toEqual(new Set(["Allow"]));
  });

  it("never grants a wildcard action nor a resource of *", () => {
    for (const s of doc.Statement) {
      for (const action of s.Action) expect(action).toMatch(/^[a-z0-9]+:[A-Za-z]+$/);
      expect(s.Resource).not.toContain("*");
    }
    expect(JSON.stringify(doc)).not.toMatch(/"iam:\*"|"\*"/);
  });

  it("limits Lambda to the app's functions in this Region and account", () => {
    expect(statement("AppFunction")).toEqual({
      Sid: "AppFunction",
      Effect: "Allow",
      Action: [...LAMBDA_ACTIONS],
      Resource: ["arn:aws-cn:lambda:cn-north-1:210987654321:function:silkroute-dev-*"],
    });
    expect(LAMBDA_ACTIONS).toEqual(
      expect.arrayContaining([
        "lambda:CreateFunction",
        "lambda:DeleteFunction",
        "lambda:UpdateFunctionCode",
        "lambda:PublishVersion",
        "lambda:CreateAlias",
        "lambda:UpdateAlias",
        "lambda:TagResource",
      ]),
    );
  });

  it("limits role management to the app's roles", () => {
    expect(statement("AppFunctionRole")).toEqual({
      Sid: "AppFunctionRole",
      Effect: "Allow",
      Action: [...ROLE_ACTIONS],
      Resource: ["arn:aws-cn:iam::210987654321:role/silkroute-dev-*"],
    });
    expect(ROLE_ACTIONS).not.toContain("iam:PassRole");
    expect(ROLE_ACTIONS).toEqual(
      expect.arrayContaining([
        "iam:CreateRole",
        "iam:DeleteRole",
        "iam:GetRole",
        "iam:TagRole",
        "iam:AttachRolePolicy",
        "iam:PutRolePolicy",
        "iam:DeleteRolePolicy",
      ]),
    );
  });

  it("passes the app's roles to Lambda only, with the principal from the partition table", () => {
    expect(statement("PassAppFunctionRoleToLambdaOnly")).toEqual({
      Sid: "PassAppFunctionRoleToLambdaOnly",
      Effect: "Allow",
      Action: ["iam:PassRole"],
      Resource: ["arn:aws-cn:iam::210987654321:role/silkroute-dev-*"],
      Condition: {
        StringEquals: { "iam:PassedToService": servicePrincipal("lambda", "aws-cn") },
      },
    });
    const passRoles = doc.Statement.filter((s) => s.Action.includes("iam:PassRole"));
    expect(passRoles).toHaveLength(1);
  });

  it("limits logs to the app's log groups, DescribeLogGroups to this account's", () => {
    expect(statement("AppFunctionLogGroup")).toEqual({
      Sid: "AppFunctionLogGroup",
      Effect: "Allow",
      Action: [...LOG_GROUP_ACTIONS],
      Resource: ["arn:aws-cn:logs:cn-north-1:210987654321:log-group:/aws/lambda/silkroute-dev-*"],
    });
    expect(LOG_GROUP_ACTIONS).toEqual([
      "logs:CreateLogGroup",
      "logs:DeleteLogGroup",
      "logs:PutRetentionPolicy",
      "logs:TagResource",
      "logs:ListTagsForResource",
    ]);
    expect(statement("DescribeLogGroups").Resource).toEqual([
      "arn:aws-cn:logs:cn-north-1:210987654321:log-group:*",
    ]);
  });

  it("limits S3 to the artifact bucket and KMS to its key", () => {
    expect(statement("ArtifactBucket")).toMatchObject({
      Action: ["s3:ListBucket"],
      Resource: [scope.bucketArn],
    });
    expect(statement("ArtifactObjects")).toMatchObject({
      Action: ["s3:GetObject", "s3:PutObject"],
      Resource: [`${scope.bucketArn}/*`],
    });
    expect(statement("ArtifactKey")).toMatchObject({
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"],
      Resource: [scope.keyArn],
    });
  });

  it("lets the user read only its own access keys, for the age check", () => {
    expect(statement("OwnAccessKeysAgeCheck")).toMatchObject({
      Action: ["iam:ListAccessKeys", "iam:GetAccessKeyLastUsed"],
      Resource: [scope.userArn],
    });
  });

  it("uses the aws partition's ARNs when given it", () => {
    const global = deployPolicyDocument({ ...scope, partition: "aws", region: "us-east-1" });
    expect(global.Statement[0].Resource[0]).toMatch(/^arn:aws:lambda:us-east-1:/);
  });
});
