import * as crypto from "crypto";
import { providerConfig } from "./awsDouble/identity";
import { AwsDouble } from "./awsDouble/provider";
import { DoubleStore, sha256 } from "./awsDouble/store";
import { isSecret, secret } from "./awsDouble/values";
import { tempDir } from "../helpers/tempDir";

// The AWS provider double itself, called directly (no engine): what it
// rejects, replaces and returns must be what AWS and the real provider would.
const urn = (type: string, name: string) => `urn:pulumi:test::silkroute::${type}::${name}`;
const ROLE = "aws:iam/role:Role";
const PARAMETER = "aws:ssm/parameter:Parameter";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

function setUp(region: string, extra: Record<string, unknown> = {}) {
  const store = new DoubleStore(tempDir("silkroute-double-"));
  const keyOf = (account: string, partition: string) => {
    const key = { id: `AKIA${crypto.randomBytes(8).toString("hex").toUpperCase()}`, secret: "s" };
    store.putAccessKey({
      accessKeyId: key.id,
      secretSha256: sha256(key.secret),
      account,
      partition,
      arn: `arn:${partition}:iam::${account}:user/ci`,
      status: "Active",
    });
    return key;
  };
  const global = keyOf("123456789012", "aws");
  const china = keyOf("210987654321", "aws-cn");
  const double = new AwsDouble(store, {});
  const configure = (args: Record<string, unknown>) =>
    double.configure(urn("pulumi:providers:aws", "p"), providerConfig(args, new Map()));
  const key = region.startsWith("cn-") ? china : global;
  return {
    store,
    double,
    configure,
    global,
    china,
    args: { region, accessKey: key.id, secretKey: key.secret, ...extra },
  };
}

describe("AWS provider double: check", () => {
  const { double, configure, args } = setUp("us-east-1");
  beforeAll(() => configure(args));

  it("reports a required input left out, from @pulumi/aws's declared Args", async () => {
    const result = await double.check(urn(ROLE, "r"), {}, { name: "r" });
    expect(result.failures).toContainEqual(
      expect.objectContaining({ property: "assumeRolePolicy" }),
    );
  });

  it("reports a required input of a nested type, and a value of the wrong kind", async () => {
    const result = await double.check(
      urn("aws:codebuild/project:Project", "p"),
      {},
      {
        artifacts: { type: "NO_ARTIFACTS" },
        serviceRole: "arn:aws:iam::123456789012:role/x",
        source: { type: "NO_SOURCE" },
        environment: { image: "aws/codebuild/standard:7.0", type: "LINUX_CONTAINER" },
        buildTimeout: "ten",
      },
    );
    const properties = result.failures!.map((f) => f.property);
    expect(properties).toEqual(expect.arrayContaining(["environment.computeType", "buildTimeout"]));
  });

  it("reports an enum value the AWS SDK does not list, and an argument the resource does not have", async () => {
    const result = await double.check(urn(PARAMETER, "p"), {}, { type: "Secure", valu: "x" });
    expect(result.failures).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          property: "type",
          reason: expect.stringContaining("ParameterType"),
        }),
        expect.objectContaining({ property: "valu" }),
      ]),
    );
  });

  it("accepts unknown values (a preview) and secrets of the right kind", async () => {
    const result = await double.check(
      urn(PARAMETER, "p"),
      {},
      { type: UNKNOWN, value: secret("v") },
    );
    expect(result.failures).toEqual([]);
  });

  it("auto-names an optional name left out, and keeps that name on the next check", async () => {
    const first = await double.check(urn("aws:s3/bucket:Bucket", "Artifacts"), {}, {});
    expect(first.inputs.bucket).toMatch(/^artifacts-[0-9a-f]{7}$/);
    const again = await double.check(urn("aws:s3/bucket:Bucket", "Artifacts"), first.inputs, {});
    expect(again.inputs.bucket).toBe(first.inputs.bucket);
  });
});

describe("AWS provider double: diff", () => {
  const { double } = setUp("us-east-1");

  it.each([
    ["aws:s3/bucket:Bucket", { bucket: "a" }, { bucket: "b" }, ["bucket"]],
    [ROLE, { name: "a", path: "/" }, { name: "a", path: "/x/" }, ["path"]],
    ["aws:iam/user:User", { name: "a" }, { name: "b" }, []],
    [
      "aws:iam/accessKey:AccessKey",
      { user: "a", status: "Active" },
      { user: "b", status: "Active" },
      ["user"],
    ],
    [PARAMETER, { name: "/a", value: "1" }, { name: "/a", value: "2" }, []],
    ["aws:lambda/function:Function", { name: "f" }, { name: UNKNOWN }, ["name"]],
  ])("%s: %j → %j replaces %j", async (type, olds, news, replaces) => {
    const result = await double.diff("id", urn(type, "r"), olds, news);
    expect(result.changes).toBe(true);
    expect(result.replaces).toEqual(replaces);
  });

  it("sees no change when only a secret's wrapping differs", async () => {
    const result = await double.diff(
      "id",
      urn(PARAMETER, "p"),
      { value: "v" },
      { value: secret("v") },
    );
    expect(result.changes).toBe(false);
  });
});

describe("AWS provider double: signing in", () => {
  it("refuses a key it does not know, and a China key outside China", () => {
    const { configure, china } = setUp("us-east-1");
    expect(() => configure({ region: "us-east-1", accessKey: "AKIANOPE", secretKey: "x" })).toThrow(
      /InvalidClientTokenId/,
    );
    expect(() =>
      configure({ region: "us-east-1", accessKey: china.id, secretKey: china.secret }),
    ).toThrow(/InvalidClientTokenId/);
  });

  it("enforces allowedAccountIds, and takes the account of an assumed role", async () => {
    const { configure, double, args } = setUp("cn-north-1");
    expect(() => configure({ ...args, allowedAccountIds: ["999999999999"] })).toThrow(
      "AWS account ID not allowed: 210987654321",
    );
    configure({
      ...args,
      assumeRoles: [{ roleArn: "arn:aws-cn:iam::310987654321:role/deployer" }],
    });
    const me = await double.invoke("aws:index/getCallerIdentity:getCallerIdentity", {});
    expect(me.outputs.accountId).toBe("310987654321");
  });

  it("refuses a Region AWS does not list", () => {
    const { configure, args } = setUp("us-east-1");
    expect(() => configure({ ...args, region: "us-east-42" })).toThrow("invalid AWS Region");
  });
});

describe("AWS provider double: create", () => {
  it("gives IAM ARNs the partition, account and path, and regional ARNs the Region", async () => {
    const { double, configure, args } = setUp("cn-northwest-1");
    configure(args);
    const role = await double.create(urn(ROLE, "r"), {
      name: "deployer",
      path: "/silkroute/",
      assumeRolePolicy: "{}",
    });
    const key = await double.create(urn("aws:kms/key:Key", "k"), {});
    expect(role.outs.arn).toBe("arn:aws-cn:iam::210987654321:role/silkroute/deployer");
    expect(key.outs.arn).toBe(`arn:aws-cn:kms:cn-northwest-1:210987654321:key/${key.id}`);
  });

  it("keeps SSM parameters for later reads, refusing to overwrite one unless told", async () => {
    const { double, configure, args } = setUp("us-east-1");
    configure(args);
    const inputs = {
      name: "/China/Dev/UserAccessKey",
      type: "SecureString",
      value: secret("AKIA1"),
    };
    await double.create(urn(PARAMETER, "p"), inputs);
    const read = await double.invoke("aws:ssm/getParameter:getParameter", {
      name: "/China/Dev/UserAccessKey",
      withDecryption: true,
    });
    expect(read.outputs.value).toEqual(secret("AKIA1"));
    await expect(double.create(urn(PARAMETER, "q"), inputs)).rejects.toThrow(
      "ParameterAlreadyExists",
    );
    await expect(
      double.create(urn(PARAMETER, "q"), { ...inputs, overwrite: true }),
    ).resolves.toBeDefined();
  });

  it("issues an access key only for a user that exists, with its secret marked secret", async () => {
    const { double, configure, args, store } = setUp("cn-north-1");
    configure(args);
    await expect(
      double.create(urn("aws:iam/accessKey:AccessKey", "k"), { user: "nobody" }),
    ).rejects.toThrow("NoSuchEntity");
    await double.create(urn("aws:iam/user:User", "u"), { name: "deployer", path: "/silkroute/" });
    const key = await double.create(urn("aws:iam/accessKey:AccessKey", "k"), { user: "deployer" });
    expect(isSecret(key.outs.secret)).toBe(true);
    expect(store.getAccessKey(key.id)?.arn).toBe(
      "arn:aws-cn:iam::210987654321:user/silkroute/deployer",
    );
  });

  it("stops signing in with a key made Inactive", async () => {
    const { double, configure, args, store } = setUp("cn-north-1");
    configure(args);
    await double.create(urn("aws:iam/user:User", "u"), { name: "deployer" });
    const key = await double.create(urn("aws:iam/accessKey:AccessKey", "k"), { user: "deployer" });
    const secretKey = (key.outs.secret as { value: string }).value;
    expect(store.identify(key.id, secretKey)).toBeDefined();
    await double.update(key.id, urn("aws:iam/accessKey:AccessKey", "k"), key.outs, {
      user: "deployer",
      status: "Inactive",
    });
    expect(store.identify(key.id, secretKey)).toBeUndefined();
  });

  it("keeps names unique where AWS does: IAM per account (any case), functions per Region", async () => {
    // given two providers of one account in two Regions, sharing the double's AWS
    const east = setUp("us-east-1");
    east.configure(east.args);
    const west = new AwsDouble(east.store, {});
    west.configure(
      urn("pulumi:providers:aws", "west"),
      providerConfig({ ...east.args, region: "eu-west-1" }, new Map()),
    );
    const role = { name: "Deployer", assumeRolePolicy: "{}" };
    const fn = { name: "app", role: "r", runtime: "nodejs22.x", handler: "i.h" };
    // when / then
    await east.double.create(urn(ROLE, "a"), role);
    await expect(west.create(urn(ROLE, "b"), { ...role, name: "deployer" })).rejects.toThrow(
      "AlreadyExists",
    );
    await east.double.create(urn("aws:lambda/function:Function", "f"), fn);
    await expect(west.create(urn("aws:lambda/function:Function", "f"), fn)).resolves.toBeDefined();
    await expect(east.double.create(urn("aws:lambda/function:Function", "g"), fn)).rejects.toThrow(
      "AlreadyExists",
    );
  });

  it("frees a name when its resource is deleted", async () => {
    const { double, configure, args } = setUp("us-east-1");
    configure(args);
    const role = { name: "deployer", assumeRolePolicy: "{}" };
    const first = await double.create(urn(ROLE, "a"), role);
    await double.delete(first.id, urn(ROLE, "a"), first.outs);
    await expect(double.create(urn(ROLE, "a"), role)).resolves.toBeDefined();
  });

  it("logs every call without a secret's value", async () => {
    const { double, configure, args, store } = setUp("us-east-1");
    configure(args);
    await double.check(
      urn(PARAMETER, "p"),
      {},
      { name: "/x", type: "SecureString", value: secret("hunter2") },
    );
    await double.create(urn(PARAMETER, "p"), {
      name: "/x",
      type: "SecureString",
      value: secret("hunter2"),
    });
    const calls = store.calls();
    expect(calls.map((c) => c.call)).toEqual(["configure", "check", "create"]);
    expect(JSON.stringify(calls)).not.toContain("hunter2");
    expect(JSON.stringify(calls)).not.toContain(args.accessKey);
  });
});
