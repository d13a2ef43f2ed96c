import { APP_PROVIDER_NAME, inlineAppProgram, targetProgram } from "../../automation/appProgram";
import { targetsOf } from "../../automation/targets";
import { loadGlobalConfig } from "../../stacks/config/global";
import { mockAws } from "../helpers/awsMocks";
import * as fs from "fs";
import * as path from "path";
import {
  CHINA_BUCKET,
  fixtureProject,
  KEY_ID,
  pipelineEnv,
  run,
  SECRET_KEY,
} from "../helpers/driver";
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

    it("ships each global Region's code to that Region's bucket: the flag's, and SSM's for the pipeline Region", async () => {
      // given
      const { fake, code } = await run([
        "deploy",
        "--env",
        "dev",
        "--target",
        "global",
        "--artifact-bucket",
        "eu-west-1=artifacts-eu",
        "--app-version",
        "9.9.9",
      ]);
      // when
      const eu = await evaluate(fake.programs.get("dev-eu-west-1")!);
      const us = await evaluate(fake.programs.get("dev-us-east-1")!);
      // then
      expect(code).toBe(0);
      expect(inputsOf(only(eu, OBJECT)).bucket).toBe("artifacts-eu");
      expect(inputsOf(only(us, OBJECT)).bucket).toBe("silkroute-artifacts-us-east-1");
    });

    it("takes SILKROUTE_ARTIFACT_BUCKET for the one Region a deploy-global project deploys", async () => {
      // given
      const env = { ...pipelineEnv(), SILKROUTE_ARTIFACT_BUCKET: "artifacts-eu-from-project" };
      const { fake, code } = await run(["deploy", "--env", "dev", "--target", "eu-west-1"], {
        env,
      });
      // when
      const eu = await evaluate(fake.programs.get("dev-eu-west-1")!);
      // then
      expect(code).toBe(0);
      expect(inputsOf(only(eu, OBJECT)).bucket).toBe("artifacts-eu-from-project");
      expect(aws.ssm.calls()).toHaveLength(0);
    });

    it("names the app after the configured prefix and environment, with that prefix's boundary", async () => {
      // given
      const projectDir = fixtureProject();
      fs.appendFileSync(path.join(projectDir, "Pulumi.global.yaml"), "  silkroute:prefix: acme\n");
      const { fake, code } = await run(["deploy", "--env", "dev", "--target", "us-east-1"], {
        projectDir,
      });
      // when
      const stack = await evaluate(fake.programs.get("dev-us-east-1")!);
      // then
      expect(code).toBe(0);
      const role = only(stack, "aws:iam/role:Role");
      expect(inputsOf(role).name).toMatch(/^acme-dev-/);
      expect(inputsOf(role).permissionsBoundary).toMatch(/:policy\/acme-app-boundary$/);
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

describe("targetProgram", () => {
  const cfg = loadGlobalConfig({
    "silkroute:environments": JSON.stringify([
      {
        name: "prod",
        globalRegions: ["us-east-1"],
        crossAccount: { accountId: "333333333333", roleName: "deployer" },
      },
    ]),
    "silkroute:prefix": "acme",
  });
  const [prod] = cfg.environments;
  const deployment = {
    artifactBucket: "bucket",
    version: "abc123",
    credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET_KEY },
  };
  const targetNamed = (name: string) => targetsOf(cfg, prod).find((t) => t.target === name)!;

  it("names the app <prefix>-<env> and bounds its role with <prefix>-app-boundary", async () => {
    // given / when
    const stack = await evaluate(targetProgram(cfg, prod, targetNamed("china"), deployment));
    // then
    const role = inputsOf(only(stack, "aws:iam/role:Role"));
    expect(role.name).toBe("acme-prod-china-fn");
    expect(role.permissionsBoundary).toBe("arn:aws-cn:iam::210987654321:policy/acme-app-boundary");
  });

  it("assumes the cross-account role for a global target, with the partition's ARN", async () => {
    const stack = await evaluate(targetProgram(cfg, prod, targetNamed("us-east-1"), deployment));
    const provider = inputsOf(only(stack, PROVIDER));
    // provider inputs reach the engine JSON-encoded
    expect(JSON.parse(provider.assumeRoles)).toEqual([
      expect.objectContaining({ roleArn: "arn:aws:iam::333333333333:role/deployer" }),
    ]);
    expect(provider.accessKey).toBeUndefined();
  });

  it("gives the China key to the China target only, and assumes no role there", async () => {
    const stack = await evaluate(targetProgram(cfg, prod, targetNamed("china"), deployment));
    const provider = inputsOf(only(stack, PROVIDER));
    expect(provider.accessKey).toBe(KEY_ID);
    expect(provider.assumeRoles).toBeUndefined();
  });
});
