import { Readable } from "stream";
import { GetParameterCommand } from "@aws-sdk/client-ssm";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { ListAccessKeysCommand } from "@aws-sdk/client-iam";
import { INSTALL_HINT } from "../../automation/pulumi/findCli";
import { awsError, mockAws } from "../helpers/awsMocks";
import {
  appOutputs,
  CHINA_BUCKET,
  KEY_ID,
  pipelineEnv,
  run,
  SECRET_KEY,
  EU_BUCKET,
} from "../helpers/driver";
import { FakePulumi, commandError } from "../helpers/fakePulumi";

describe("silkroute driver: bad inputs and faults", () => {
  let aws: ReturnType<typeof mockAws>;
  beforeEach(() => (aws = mockAws()));
  afterEach(() => aws.restore());

  const noAwsCall = () => {
    expect(aws.ssm.calls()).toHaveLength(0);
    expect(aws.sts.calls()).toHaveLength(0);
  };

  it("unknown environment: exit 2, names it and lists the valid ones, before any AWS call", async () => {
    // given / when
    const { code, err, fake } = await run(["deploy", "--env", "qa", "--target", "all"]);
    // then
    expect(code).toBe(2);
    expect(err).toEqual([
      'silkroute: unknown environment "qa"; valid environments (Pulumi.global.yaml): dev, prod, lab',
    ]);
    noAwsCall();
    expect(fake.calls).toEqual([]);
  });

  it("unknown target: exit 2, names it and lists the valid ones", async () => {
    // given / when
    const { code, err } = await run(["deploy", "--env", "dev", "--target", "ap-south-1"]);
    // then
    expect(code).toBe(2);
    expect(err).toEqual([
      'silkroute: unknown target "ap-south-1" for environment dev; valid targets: global, china, all, us-east-1, eu-west-1',
    ]);
    noAwsCall();
  });

  it("china in an environment without China: exit 2, says why", async () => {
    // given / when
    const { code, err } = await run(["deploy", "--env", "lab", "--target", "china"]);
    // then
    expect(code).toBe(2);
    expect(err[0]).toContain(
      "(environment lab has china: false); valid targets: global, all, us-east-1",
    );
  });

  it("missing SSM parameter: exit 3 naming it, no Pulumi operation", async () => {
    // given
    aws.ssm
      .on(GetParameterCommand, { Name: "/China/Dev/UserSecretKey" })
      .rejects(awsError("ParameterNotFound", "Parameter /China/Dev/UserSecretKey not found."));
    // when
    const { code, err, fake } = await run([
      "deploy",
      "--env",
      "dev",
      "--target",
      "all",
      ...EU_BUCKET,
    ]);
    // then
    expect(code).toBe(3);
    expect(err).toEqual([
      "silkroute: SSM parameter /China/Dev/UserSecretKey not found in us-east-1; create it with: pulumi up --stack china, or name another with --secret-key-parameter",
    ]);
    expect(fake.calls.filter((c) => c.op !== "outputs")).toEqual([]);
  });

  it("access denied on SSM: exit 3 naming the parameter and the permissions", async () => {
    // given
    aws.ssm
      .on(GetParameterCommand, { Name: "/China/Dev/UserAccessKey" })
      .rejects(awsError("AccessDeniedException", "User is not authorized"));
    // when
    const { code, err, fake } = await run(["preview", "--env", "dev", "--target", "china"]);
    // then
    expect(code).toBe(3);
    expect(err[0]).toBe(
      "silkroute: access denied reading SSM parameter /China/Dev/UserAccessKey in us-east-1 (AccessDeniedException): the deploy role needs ssm:GetParameter on it and kms:Decrypt on its key",
    );
    expect(fake.calls).toEqual([]);
  });

  it("SSM throttling then success: the SDK retries and the deploy goes on", async () => {
    // given: the real SSM client (aws-sdk-client-mock would bypass its retry
    // middleware), served by a transport that throttles the first request
    aws.ssm.restore();
    const requests: string[] = [];
    const requestHandler = {
      handle: async (request: { body?: string | Uint8Array }) => {
        const raw = request.body ?? "";
        const text = typeof raw === "string" ? raw : new TextDecoder().decode(raw);
        const name = JSON.parse(text).Name as string;
        requests.push(name);
        const throttled = requests.length === 1;
        const values: Record<string, string> = {
          "/China/Dev/UserAccessKey": KEY_ID,
          "/China/Dev/UserSecretKey": SECRET_KEY,
          "/China/Dev/DeploymentS3Bucket": CHINA_BUCKET,
        };
        const body = throttled
          ? { __type: "ThrottlingException", message: "Rate exceeded" }
          : { Parameter: { Name: name, Value: values[name] } };
        return {
          response: {
            statusCode: throttled ? 400 : 200,
            headers: { "content-type": "application/x-amz-json-1.1" },
            body: Readable.from([Buffer.from(JSON.stringify(body))]),
          },
        };
      },
    };
    // when
    const { code, fake } = await run(["deploy", "--env", "dev", "--target", "china"], {
      services: {
        aws: {
          requestHandler: requestHandler as never,
          defaultCredentials: { accessKeyId: "AKIDPIPELINE", secretAccessKey: "pipeline-secret" },
        },
      },
    });
    // then
    expect(code).toBe(0);
    expect(requests).toHaveLength(4);
    expect(fake.ran("up")).toEqual(["dev-china"]);
  });

  it("invalid China key at STS: exit 3 naming the parameters and the fix", async () => {
    // given
    aws.sts
      .on(GetCallerIdentityCommand)
      .rejects(
        awsError("InvalidClientTokenId", "The security token included in the request is invalid."),
      );
    // when
    const { code, err, fake } = await run(["deploy", "--env", "dev", "--target", "china"]);
    // then
    expect(code).toBe(3);
    expect(err).toEqual([
      "silkroute: the China deploy key in /China/Dev/UserAccessKey / /China/Dev/UserSecretKey was rejected by STS in cn-north-1 (InvalidClientTokenId); rotate it with: pulumi up --stack china",
    ]);
    expect(fake.calls).toEqual([]);
  });

  it("locked stack then success: retried with backoff", async () => {
    // given
    const sleeps: number[] = [];
    // when
    const { code, err, fake } = await run(["deploy", "--env", "dev", "--target", "china"], {
      stacks: { "dev-china": { lockedTimes: 2, outputs: appOutputs("dev-china", "1") } },
      services: { sleep: async (ms) => void sleeps.push(ms) },
    });
    // then
    expect(code).toBe(0);
    expect(fake.ran("up")).toEqual(["dev-china", "dev-china", "dev-china"]);
    expect(sleeps).toEqual([5000, 10000]);
    expect(err[1]).toContain("stack dev-china is locked (");
    expect(err[1]).toContain("created by ci@build-7 (pid 4242)");
  });

  it("locked stack forever: exit 1 naming the stack and the lock, after bounded attempts", async () => {
    // given / when
    const { code, err, fake } = await run(["deploy", "--env", "dev", "--target", "china"], {
      stacks: { "dev-china": { lockedTimes: Infinity } },
    });
    // then
    expect(code).toBe(1);
    expect(fake.ran("up")).toHaveLength(5);
    expect(err.join("\n")).toContain(
      "error: stack dev-china is locked by another update (file:///state/.pulumi/locks/organization/silkroute/dev-china/1f2e.json: created by ci@build-7 (pid 4242) at 2026-11-26T06:00:00Z); gave up after 5 attempts",
    );
  });

  it("one target failing does not cancel the other; summary at the end, exit 1", async () => {
    // given
    const failure = commandError("error: update failed\n");
    // when
    const { code, err, fake } = await run(
      ["deploy", "--env", "dev", "--target", "all", ...EU_BUCKET],
      {
        stacks: {
          "dev-china": { fail: failure, delayMs: 5 },
          "dev-us-east-1": {
            outputs: appOutputs("dev-us-east-1", "1"),
            delayMs: 20,
            lines: ["Updating (dev-us-east-1)"],
          },
        },
      },
    );
    // then
    expect(code).toBe(1);
    expect(fake.ran("up").sort()).toEqual(["dev-china", "dev-eu-west-1", "dev-us-east-1"]);
    expect(err).toContain("[dev-us-east-1] Updating (dev-us-east-1)");
    expect(err).toContain("[dev-china] error: update failed");
    const summary = err.slice(err.indexOf("deploy summary:"));
    expect(summary[2]).toMatch(/^ {2}dev-eu-west-1: succeeded/);
    expect(summary[3]).toMatch(/^ {2}dev-china: failed: update failed/);
    expect(summary[4]).toBe("deploy failed for dev-china");
  });

  it("no Pulumi CLI: exit 5 with how to install it, before any AWS call", async () => {
    // given
    const fake = new FakePulumi();
    fake.cliInstalled = false;
    // when
    const { code, err } = await run(["deploy", "--env", "dev", "--target", "all", ...EU_BUCKET], {
      fake,
    });
    // then
    expect(code).toBe(5);
    expect(err).toEqual([`silkroute: ${INSTALL_HINT}`]);
    noAwsCall();
  });

  it("destroy without --yes: exit 2, nothing destroyed", async () => {
    // given / when
    const { code, err, fake } = await run(["destroy", "--env", "dev", "--target", "china"]);
    // then
    expect(code).toBe(2);
    expect(err).toEqual([
      "silkroute: destroy deletes every resource of dev-china; add --yes to confirm",
    ]);
    expect(fake.calls).toEqual([]);
    noAwsCall();
  });

  it("status with mismatched versions: exit 1 naming each target's version", async () => {
    // given
    const stacks = {
      "dev-us-east-1": { outputs: appOutputs("dev-us-east-1", "2.0.0") },
      "dev-eu-west-1": { outputs: appOutputs("dev-eu-west-1", "2.0.0") },
      "dev-china": { outputs: appOutputs("dev-china", "1.9.0") },
    };
    // when
    const { code, out, err } = await run(["status", "--env", "dev"], { stacks });
    // then
    expect(code).toBe(1);
    expect(out).toContain("dev-china      1.9.0");
    expect(err.join("\n")).toContain(
      "dev: targets differ (dev-us-east-1 2.0.0, dev-eu-west-1 2.0.0, dev-china 1.9.0)",
    );
  });

  it("status with a target never deployed: exit 1", async () => {
    // given
    const stacks = { "dev-us-east-1": { outputs: appOutputs("dev-us-east-1", "2.0.0") } };
    // when
    const { code, out } = await run(["status", "--env", "dev", "--json"], { stacks });
    // then
    expect(code).toBe(1);
    expect(JSON.parse(out.join("\n"))).toMatchObject({
      inSync: false,
      targets: [{ version: "2.0.0" }, { version: null }, { version: null }],
    });
  });

  it("status of an environment never deployed: exit 1 saying so, not that its targets differ", async () => {
    // given no stack deployed
    // when
    const { code, err } = await run(["status", "--env", "dev"], { stacks: {} });
    // then
    expect(code).toBe(1);
    expect(err.join("\n")).toContain(
      "dev: not deployed yet (dev-us-east-1 not deployed, dev-eu-west-1 not deployed, dev-china not deployed); deploy it with: silkroute deploy --env dev",
    );
    expect(err.join("\n")).not.toContain("differ");
  });

  it("passphrase provider without PULUMI_CONFIG_PASSPHRASE: exit 2 saying what to set", async () => {
    // given / when
    const { code, err } = await run(["deploy", "--env", "dev", "--target", "china"], {
      env: { PATH: "/usr/bin" },
    });
    // then
    expect(code).toBe(2);
    expect(err[0]).toContain("needs PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE)");
    noAwsCall();
  });

  it("keys older than --max-age-days: exit 4 with the rotation command", async () => {
    // given
    aws.iam.on(ListAccessKeysCommand).resolves({
      AccessKeyMetadata: [
        { AccessKeyId: KEY_ID, Status: "Active", CreateDate: new Date("2026-10-01T00:00:00Z") },
      ],
    });
    // when
    const { code, err } = await run(["keys", "--env", "dev", "--max-age-days", "30"], {
      services: { now: () => new Date("2026-11-26T00:00:00Z") },
    });
    // then
    expect(code).toBe(4);
    expect(err).toContain(
      "China deploy key …0001 is 56 days old (max 30); rotate it with: pulumi up --stack china",
    );
  });

  it("keys when the deploy user may not list its keys: exit 3", async () => {
    // given
    aws.iam.on(ListAccessKeysCommand).rejects(awsError("AccessDenied", "not authorized"));
    // when
    const { code, err } = await run(["keys", "--env", "dev"]);
    // then
    expect(code).toBe(3);
    expect(err[0]).toContain("may not list its own access keys (AccessDenied)");
  });

  it("an unknown flag is a usage error: exit 2", async () => {
    // given / when
    const { code, err } = await run([
      "deploy",
      "--env",
      "dev",
      "--target",
      "all",
      ...EU_BUCKET,
      "--region",
      "x",
    ]);
    // then
    expect(code).toBe(2);
    expect(err[0]).toMatch(
      /^silkroute: unknown option --region \(silkroute deploy --help lists the options\)$/,
    );
  });

  it("a missing --target is a usage error: exit 2", async () => {
    // given / when
    const { code, err } = await run(["deploy", "--env", "dev"], { env: pipelineEnv() });
    // then
    expect(code).toBe(2);
    expect(err[0]).toBe(
      "silkroute: --target is required (silkroute deploy --help lists the options)",
    );
  });
});
