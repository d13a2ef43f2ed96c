import { GetParameterCommand } from "@aws-sdk/client-ssm";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { ListAccessKeysCommand } from "@aws-sdk/client-iam";
import * as path from "path";
import { FakePulumi, commandError } from "../helpers/fakePulumi";
import { mockAws } from "../helpers/awsMocks";
import {
  EU_BUCKET,
  GITHUB_COMMENT_ENV,
  KEY_ID,
  PASSPHRASE,
  SECRET_KEY,
  appOutputs,
  fixtureProject,
  pipelineEnv,
  run,
  previewAll,
} from "../helpers/driver";

describe("silkroute driver commands (happy paths)", () => {
  let aws: ReturnType<typeof mockAws>;
  beforeEach(() => (aws = mockAws()));
  afterEach(() => aws.restore());

  const deployed = {
    "dev-us-east-1": { outputs: appOutputs("dev-us-east-1", "1.2.3") },
    "dev-eu-west-1": { outputs: appOutputs("dev-eu-west-1", "1.2.3") },
    "dev-china": { outputs: appOutputs("dev-china", "1.2.3") },
  };

  it("deploy --target all updates every global Region and China", async () => {
    // given / when
    const { code, fake, out } = await run(
      ["deploy", "--env", "dev", "--target", "all", ...EU_BUCKET],
      {
        stacks: deployed,
      },
    );
    // then
    expect(code).toBe(0);
    expect(fake.ran("up").sort()).toEqual(["dev-china", "dev-eu-west-1", "dev-us-east-1"]);
    expect(out.join("\n")).toContain("dev-china:\n  codeKey: app/silkroute/1.2.3.zip");
  });

  it("deploy --target global touches no China parameter", async () => {
    // given / when
    const { code, fake } = await run([
      "deploy",
      "--env",
      "dev",
      "--target",
      "global",
      "--artifact-bucket",
      "us-east-1=b",
      ...EU_BUCKET,
    ]);
    // then
    expect(code).toBe(0);
    expect(fake.ran("up").sort()).toEqual(["dev-eu-west-1", "dev-us-east-1"]);
    expect(aws.ssm.commandCalls(GetParameterCommand)).toHaveLength(0);
    expect(aws.sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(0);
  });

  it("deploy --target <region> deploys that Region only", async () => {
    // given / when
    const { code, fake } = await run([
      "deploy",
      "--env",
      "dev",
      "--target",
      "eu-west-1",
      ...EU_BUCKET,
    ]);
    // then
    expect(code).toBe(0);
    expect(fake.ran("up")).toEqual(["dev-eu-west-1"]);
  });

  it("deploy --target cn-north-1 names the China target", async () => {
    // given / when
    const { code, fake } = await run(["deploy", "--env", "dev", "--target", "cn-north-1"]);
    // then
    expect(code).toBe(0);
    expect(fake.ran("up")).toEqual(["dev-china"]);
  });

  it("runs the targets concurrently: the wall time is that of the slowest", async () => {
    // given: modules loaded by a first run
    await run(["deploy", "--env", "dev", "--target", "all", ...EU_BUCKET]);
    const stacks = {
      "dev-us-east-1": { delayMs: 150 },
      "dev-eu-west-1": { delayMs: 250 },
      "dev-china": { delayMs: 350 },
    };
    // when
    const started = Date.now();
    const { code } = await run(["deploy", "--env", "dev", "--target", "all", ...EU_BUCKET], {
      stacks,
    });
    // then
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(650);
  });

  it("reads the China key with decryption in the pipeline Region, by the seed's names", async () => {
    // given / when
    await run(["deploy", "--env", "dev", "--target", "china"]);
    // then
    const calls = aws.ssm.commandCalls(GetParameterCommand);
    expect(calls.map((c) => c.args[0].input.Name).sort()).toEqual([
      "/China/Dev/DeploymentS3Bucket",
      "/China/Dev/UserAccessKey",
      "/China/Dev/UserSecretKey",
    ]);
    expect(calls.every((c) => c.args[0].input.WithDecryption === true)).toBe(true);
    expect(await calls[0].thisValue.config.region()).toBe("us-east-1");
  });

  it("takes the parameter names from USER_ACCESS_KEY_SSM / USER_SECRET_KEY_SSM / S3_BUCKET_SSM", async () => {
    // given
    const env = pipelineEnv({
      USER_ACCESS_KEY_SSM: "/China/Dev/UserAccessKey",
      USER_SECRET_KEY_SSM: "/Custom/Secret",
      S3_BUCKET_SSM: "/China/Dev/DeploymentS3Bucket",
    });
    // when
    const { code, err } = await run(["deploy", "--env", "dev", "--target", "china"], { env });
    // then: /Custom/Secret does not exist in the mock
    expect(code).toBe(3);
    expect(err.join("\n")).toContain("/Custom/Secret (from USER_SECRET_KEY_SSM)");
  });

  it("a flag wins over the CodeBuild variable", async () => {
    // given
    const env = pipelineEnv({ USER_SECRET_KEY_SSM: "/Custom/Secret" });
    // when
    const { code } = await run(
      [
        "deploy",
        "--env",
        "dev",
        "--target",
        "china",
        "--secret-key-parameter",
        "/China/Dev/UserSecretKey",
      ],
      { env },
    );
    // then
    expect(code).toBe(0);
  });

  it("verifies the China key with STS in cn-north-1, the key in memory and more retries", async () => {
    // given / when
    await run(["deploy", "--env", "dev", "--target", "china"]);
    // then
    const [call] = aws.sts.commandCalls(GetCallerIdentityCommand);
    const config = call.thisValue.config;
    expect(await config.region()).toBe("cn-north-1");
    expect(await config.credentials()).toMatchObject({
      accessKeyId: KEY_ID,
      secretAccessKey: SECRET_KEY,
    });
    expect(await config.maxAttempts()).toBeGreaterThan(3);
  });

  it("hands the China key to the program only: not to the Pulumi process environment", async () => {
    // given / when
    const { fake } = await run(["deploy", "--env", "dev", "--target", "china"]);
    // then
    const vars = JSON.stringify(fake.settings?.envVars);
    expect(vars).not.toContain(KEY_ID);
    expect(vars).not.toContain(SECRET_KEY);
    expect(fake.programs.has("dev-china")).toBe(true);
    expect(process.env.AWS_ACCESS_KEY_ID).not.toBe(KEY_ID);
  });

  it("defaults to a file:// backend under the project and the passphrase provider", async () => {
    // given
    const projectDir = fixtureProject();
    // when
    const { fake } = await run(["deploy", "--env", "dev", "--target", "global", ...EU_BUCKET], {
      projectDir,
    });
    // then
    expect(fake.settings).toMatchObject({
      backendUrl: `file://${path.join(projectDir, ".pulumi-state")}`,
      secretsProvider: "passphrase",
      envVars: { PULUMI_CONFIG_PASSPHRASE: PASSPHRASE },
    });
  });

  it("takes the backend from PULUMI_BACKEND_URL and the secrets provider from SILKROUTE_SECRETS_PROVIDER", async () => {
    // given
    const env = {
      PULUMI_BACKEND_URL: "s3://state-bucket?region=us-east-1",
      SILKROUTE_SECRETS_PROVIDER: "awskms://alias/silkroute-pulumi-state?region=us-east-1",
    };
    // when
    const { code, fake } = await run(["outputs", "--env", "dev", "--target", "global"], {
      env,
      stacks: deployed,
    });
    // then
    expect(code).toBe(0);
    expect(fake.settings).toMatchObject({
      backendUrl: env.PULUMI_BACKEND_URL,
      secretsProvider: env.SILKROUTE_SECRETS_PROVIDER,
      envVars: {},
    });
  });

  it("--backend and --secrets-provider win over the environment", async () => {
    // given / when
    const { fake } = await run(
      [
        "outputs",
        "--env",
        "dev",
        "--backend",
        "s3://other",
        "--secrets-provider",
        "awskms://alias/x",
      ],
      { env: { PULUMI_BACKEND_URL: "s3://state" }, stacks: deployed },
    );
    // then
    expect(fake.settings).toMatchObject({
      backendUrl: "s3://other",
      secretsProvider: "awskms://alias/x",
    });
  });

  it("deploy --json prints the outputs of every target as one document", async () => {
    // given / when
    const { code, out } = await run(
      ["deploy", "--env", "dev", "--target", "all", ...EU_BUCKET, "--json"],
      {
        stacks: deployed,
      },
    );
    // then
    expect(code).toBe(0);
    const doc = JSON.parse(out.join("\n"));
    expect(doc.targets["dev-china"]).toMatchObject({
      status: "succeeded",
      region: "cn-north-1",
      outputs: { version: "1.2.3" },
    });
  });

  it("deploy --refresh refreshes before the update", async () => {
    // given / when
    const { fake } = await run(["deploy", "--env", "dev", "--target", "us-east-1", "--refresh"]);
    // then
    expect(fake.calls.map((c) => c.op)).toEqual(["refresh", "up"]);
  });

  it("preview --json reports the changes of each target", async () => {
    // given
    const stacks = { "dev-china": { preview: { changeSummary: { create: 2, same: 3 } } } };
    // when
    const { code, out } = await run(previewAll("--json"), {
      stacks,
    });
    // then
    expect(code).toBe(0);
    const china = JSON.parse(out.join("\n")).previews.find(
      (p: { name: string }) => p.name === "dev-china",
    );
    expect(china).toMatchObject({
      status: "succeeded",
      changes: { create: 2, update: 0, replace: 0, delete: 0, same: 3 },
    });
  });

  it("preview --comment publishes one comment with every target", async () => {
    // given
    const publishComment = jest.fn().mockResolvedValue({ action: "updated", id: "c-1" });
    // when
    const { code, err } = await run(previewAll("--comment", "github", "--pr", "42"), {
      env: pipelineEnv(GITHUB_COMMENT_ENV),
      services: { publishComment },
    });
    // then
    expect(code).toBe(0);
    const options = publishComment.mock.calls[0][0];
    expect(options).toMatchObject({ provider: "github", pr: "42", env: "dev" });
    expect(options.previews.map((p: { name: string }) => p.name)).toEqual([
      "dev-us-east-1",
      "dev-eu-west-1",
      "dev-china",
    ]);
    expect(options.redact(`key ${SECRET_KEY}`)).toBe("key [redacted]");
    expect(err.join("\n")).toContain("preview comment updated");
  });

  it("preview with policy violations exits 4", async () => {
    // given
    const stacks = {
      "dev-us-east-1": { preview: { violations: ["silkroute/s3: bucket not encrypted"] } },
    };
    // when
    const { code, out } = await run(["preview", "--env", "dev", "--target", "us-east-1"], {
      stacks,
    });
    // then
    expect(code).toBe(4);
    expect(out.join("\n")).toContain("policy: silkroute/s3: bucket not encrypted");
  });

  it("destroy --yes destroys every selected target", async () => {
    // given / when
    const { code, fake } = await run(
      ["destroy", "--env", "dev", "--target", "global", ...EU_BUCKET, "--yes"],
      {
        stacks: deployed,
      },
    );
    // then
    expect(code).toBe(0);
    expect(fake.ran("destroy").sort()).toEqual(["dev-eu-west-1", "dev-us-east-1"]);
  });

  it("outputs --json shows secret outputs as [secret]", async () => {
    // given
    const stacks = {
      "dev-china": {
        outputs: { version: "1.2.3", token: "s3cr3t-value" },
        secretOutputs: ["token"],
      },
    };
    // when
    const { code, out } = await run(["outputs", "--env", "dev", "--target", "china", "--json"], {
      stacks,
    });
    // then
    expect(code).toBe(0);
    expect(JSON.parse(out.join("\n")).targets["dev-china"].outputs).toEqual({
      version: "1.2.3",
      token: "[secret]",
    });
  });

  it("outputs reads the state only: no SSM, no STS", async () => {
    // given / when
    await run(["outputs", "--env", "dev"], { stacks: deployed });
    // then
    expect(aws.ssm.commandCalls(GetParameterCommand)).toHaveLength(0);
    expect(aws.sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(0);
  });

  it("status exits 0 when every target runs the same version", async () => {
    // given / when
    const { code, out, err } = await run(["status", "--env", "dev"], { stacks: deployed });
    // then
    expect(code).toBe(0);
    expect(out).toEqual(["dev-us-east-1  1.2.3", "dev-eu-west-1  1.2.3", "dev-china      1.2.3"]);
    expect(err.join("\n")).toContain("every target runs 1.2.3");
  });

  it("keys reports the key ages with the China deploy key, ids masked", async () => {
    // given
    aws.iam.on(ListAccessKeysCommand).resolves({
      AccessKeyMetadata: [
        { AccessKeyId: KEY_ID, Status: "Active", CreateDate: new Date("2026-11-16T00:00:00Z") },
      ],
    });
    // when
    const { code, out } = await run(["keys", "--env", "dev", "--json"], {
      services: { now: () => new Date("2026-11-26T00:00:00Z") },
    });
    // then
    expect(code).toBe(0);
    expect(JSON.parse(out.join("\n")).keys).toEqual([
      { id: "…0001", status: "Active", ageDays: 10, inUse: true },
    ]);
    const [call] = aws.iam.commandCalls(ListAccessKeysCommand);
    expect(await call.thisValue.config.region()).toBe("cn-north-1");
    expect(await call.thisValue.config.credentials()).toMatchObject({ accessKeyId: KEY_ID });
  });

  it("deploys global targets of a cross-account environment through its role, China with the key", async () => {
    // given / when
    const { code, fake } = await run(
      ["deploy", "--env", "prod", "--target", "global", "--artifact-bucket", "b"],
      {
        fake: new FakePulumi(),
      },
    );
    // then
    expect(code).toBe(0);
    expect(fake.ran("up")).toEqual(["prod-us-east-1"]);
  });

  it.each(["preview", "deploy", "destroy", "outputs", "status", "keys"])(
    "%s --help documents --env",
    async (command) => {
      // given / when
      const { code, out } = await run([command, "--help"]);
      // then
      expect(code).toBe(0);
      expect(out.join("\n")).toContain("--env");
    },
  );
});

describe("silkroute preview --comment with the comments module", () => {
  let aws: ReturnType<typeof mockAws>;
  beforeEach(() => (aws = mockAws()));
  afterEach(() => aws.restore());

  it("posts one GitHub comment naming every target, redacted, and exits 1 when a target failed", async () => {
    // given
    const token = "ghp_commentTestToken0123456789";
    const requests: { method: string; url: string; body?: string }[] = [];
    const fetchImpl = async (url: string | URL | Request, init?: RequestInit) => {
      requests.push({
        method: init?.method ?? "GET",
        url: String(url),
        body: init?.body as string | undefined,
      });
      const created = init?.method === "POST";
      return new Response(JSON.stringify(created ? { id: 99, body: "" } : []), {
        status: created ? 201 : 200,
        headers: { "content-type": "application/json" },
      });
    };
    const fail = commandError(`error: bad key ${SECRET_KEY}`);
    // when
    const { code, err } = await run(previewAll("--comment", "github", "--pr", "12"), {
      env: pipelineEnv({ GITHUB_TOKEN: token, GITHUB_REPOSITORY: "acme/app" }),
      stacks: { "dev-china": { fail, lines: [`using ${KEY_ID}`] } },
      services: { fetch: fetchImpl as typeof fetch },
    });
    // then
    expect(code).toBe(1);
    const post = requests.find((r) => r.method === "POST");
    expect(post?.url).toContain("/repos/acme/app/issues/12/comments");
    for (const name of ["dev-us-east-1", "dev-eu-west-1", "dev-china"])
      expect(post?.body).toContain(name);
    for (const secret of [KEY_ID, SECRET_KEY, token]) expect(post?.body).not.toContain(secret);
    expect(err.join("\n")).toContain("preview comment created");
  });
});
