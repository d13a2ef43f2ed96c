import { APP_PROVIDER_NAME, inlineAppProgram } from "../../automation/appProgram";
import { mockAws } from "../helpers/awsMocks";
import { CHINA_BUCKET, KEY_ID, run, SECRET_KEY } from "../helpers/driver";
import { evaluate, inputsOf, only } from "../helpers/pulumi";
import { isSecretValue } from "../../automation/plan/secrets";

const PROVIDER = "pulumi:providers:aws";
const OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2";

describe("inlineAppProgram", () => {
  const china = {
    env: "dev",
    target: "china",
    region: "cn-north-1",
    artifactBucket: "b",
    version: "1.0.0",
  };

  it("creates one provider named app in the target's Region", async () => {
    // given / when
    const stack = await evaluate(
      inlineAppProgram(china, { accessKeyId: KEY_ID, secretAccessKey: SECRET_KEY }),
    );
    // then
    const provider = only(stack, PROVIDER);
    expect(provider.name).toBe(APP_PROVIDER_NAME);
    expect(inputsOf(provider).region).toBe("cn-north-1");
  });

  it("passes the China key to the provider as secret inputs", async () => {
    // given / when
    const stack = await evaluate(
      inlineAppProgram(china, { accessKeyId: KEY_ID, secretAccessKey: SECRET_KEY }),
    );
    // then
    const raw = only(stack, PROVIDER).inputs;
    expect(isSecretValue(raw.accessKey)).toBe(true);
    expect(isSecretValue(raw.secretKey)).toBe(true);
    expect(inputsOf(only(stack, PROVIDER))).toMatchObject({
      accessKey: KEY_ID,
      secretKey: SECRET_KEY,
    });
  });

  it("leaves a global provider on the default credential chain", async () => {
    // given / when
    const stack = await evaluate(
      inlineAppProgram({ ...china, target: "us-east-1", region: "us-east-1" }),
    );
    // then
    const inputs = inputsOf(only(stack, PROVIDER));
    expect(inputs.accessKey).toBeUndefined();
    expect(inputs.secretKey).toBeUndefined();
    expect(inputs.assumeRoles).toBeUndefined();
  });

  it("assumes the cross-account role when one is given", async () => {
    // given
    const roleArn = "role-arn-of-prod";
    // when
    const stack = await evaluate(
      inlineAppProgram({ ...china, target: "us-east-1", region: "us-east-1" }, undefined, {
        assumeRoleArn: roleArn,
      }),
    );
    // then
    expect(JSON.parse(inputsOf(only(stack, PROVIDER)).assumeRoles)).toEqual([
      { roleArn, sessionName: "silkroute-dev-us-east-1" },
    ]);
  });

  describe("as built by silkroute deploy", () => {
    let aws: ReturnType<typeof mockAws>;
    beforeEach(() => (aws = mockAws()));
    afterEach(() => aws.restore());

    it("ships the code to the China bucket read from SSM, with the key from SSM", async () => {
      // given
      const { fake } = await run([
        "deploy",
        "--env",
        "dev",
        "--target",
        "china",
        "--app-version",
        "9.9.9",
      ]);
      // when
      const stack = await evaluate(fake.programs.get("dev-china")!);
      // then
      expect(inputsOf(only(stack, OBJECT))).toMatchObject({
        bucket: CHINA_BUCKET,
        key: "app/silkroute-dev/9.9.9.zip",
      });
      expect(inputsOf(only(stack, PROVIDER))).toMatchObject({
        region: "cn-north-1",
        accessKey: KEY_ID,
      });
    });

    it("deploys prod's global Region through prod's cross-account role", async () => {
      // given
      const { fake } = await run([
        "deploy",
        "--env",
        "prod",
        "--target",
        "us-east-1",
        "--artifact-bucket",
        "b",
      ]);
      // when
      const stack = await evaluate(fake.programs.get("prod-us-east-1")!);
      // then
      const [role] = JSON.parse(inputsOf(only(stack, PROVIDER)).assumeRoles);
      expect(role.roleArn).toMatch(/^arn:aws:iam::333333333333:role\/deployer$/);
    });
  });
});
