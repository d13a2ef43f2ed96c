import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { GetParameterCommand } from "@aws-sdk/client-ssm";
import { deployMessage } from "../../automation/driver/history";
import { awsError, mockAws } from "../helpers/awsMocks";
import { FakePulumi, FakeStack } from "../helpers/fakePulumi";
import { appOutputs, CHINA_BUCKET, EU_BUCKET, run } from "../helpers/driver";
import { evaluate, inputsOf, ofType, only } from "../helpers/pulumi";

const DEV = ["dev-us-east-1", "dev-eu-west-1", "dev-china"];
const BUCKETS = ["silkroute-artifacts-us-east-1", "silkroute-artifacts-eu-west-1", CHINA_BUCKET];
const zip = (version: string) => `app/silkroute-dev/${version}.zip`;
const day = (n: number) => new Date(Date.UTC(2026, 10, n));

/** Each bucket keeps these versions' zips, the first the oldest. */
function keep(aws: ReturnType<typeof mockAws>, versions: Record<string, string[]>) {
  for (const [bucket, list] of Object.entries(versions)) {
    aws.s3.on(ListObjectsV2Command, { Bucket: bucket }).resolves({
      Contents: list.map((v, i) => ({ Key: zip(v), LastModified: day(i + 1) })),
    });
  }
}

/** Every dev target at `version`, deployed after `before` (oldest first). */
function deployedAt(version: string, before: string[] = []): Record<string, FakeStack> {
  return Object.fromEntries(
    DEV.map((s) => [
      s,
      {
        outputs: appOutputs(s, version),
        history: [...before, version].reverse().map((v, i) => ({
          kind: "update",
          result: "succeeded",
          message: deployMessage(v),
          endTime: day(20 - i).toISOString(),
        })),
      },
    ]),
  );
}

describe("silkroute rollback", () => {
  let aws: ReturnType<typeof mockAws>;
  beforeEach(() => (aws = mockAws()));
  afterEach(() => aws.restore());

  it("to a kept version: every target, concurrently, from the kept zip, recorded in the history", async () => {
    // given
    keep(aws, Object.fromEntries(BUCKETS.map((b) => [b, ["1.2.1", "1.2.2", "1.2.3"]])));
    // when
    const { code, fake, err } = await run(
      ["rollback", "--env", "dev", "--to", "1.2.2", ...EU_BUCKET],
      { stacks: deployedAt("1.2.3") },
    );
    // then
    expect(code).toBe(0);
    expect(fake.ran("up").sort()).toEqual([...DEV].sort());
    for (const stack of DEV)
      expect(fake.upMessages.get(stack)).toEqual(["silkroute rollback 1.2.2"]);
    expect(err.join("\n")).toContain("rollback to 1.2.2 succeeded for");
    expect(fake.ran("refresh")).toEqual([]);
  });

  it("never rebuilds: the program takes the kept zip and uploads nothing", async () => {
    // given
    keep(aws, Object.fromEntries(BUCKETS.map((b) => [b, ["1.2.2", "1.2.3"]])));
    const { fake } = await run(["rollback", "--env", "dev", "--to", "1.2.2", ...EU_BUCKET], {
      stacks: deployedAt("1.2.3"),
    });
    // when
    const china = await evaluate(fake.programs.get("dev-china")!);
    const eu = await evaluate(fake.programs.get("dev-eu-west-1")!);
    // then
    for (const [stack, bucket] of [
      [china, CHINA_BUCKET],
      [eu, "silkroute-artifacts-eu-west-1"],
    ] as const) {
      expect(ofType(stack, "aws:s3/bucketObjectv2:BucketObjectv2")).toEqual([]);
      const fn = inputsOf(only(stack, "aws:lambda/function:Function"));
      expect(fn).toMatchObject({ s3Bucket: bucket, s3Key: zip("1.2.2") });
      expect(fn.environment.variables.APP_VERSION).toBe("1.2.2");
      expect(stack.outputs.version).toBe("1.2.2");
    }
  });

  it("--to previous: the version deployed before the current one; status then shows the targets in sync", async () => {
    // given: 1.2.2 then 1.2.3 deployed; the fake runs each program it updates
    keep(aws, Object.fromEntries(BUCKETS.map((b) => [b, ["1.2.2", "1.2.3"]])));
    const fake = new FakePulumi(deployedAt("1.2.3", ["1.2.2"]), { runPrograms: true });
    // when
    const rolled = await run(["rollback", "--env", "dev", "--to", "previous", ...EU_BUCKET], {
      fake,
    });
    const status = await run(["status", "--env", "dev", "--json"], { fake });
    // then
    expect(rolled.code).toBe(0);
    expect(fake.ran("history").sort()).toEqual([...DEV].sort());
    expect(fake.upMessages.get("dev-china")).toEqual(["silkroute rollback 1.2.2"]);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.out[0])).toMatchObject({
      inSync: true,
      targets: DEV.map(() => expect.objectContaining({ version: "1.2.2" })),
    });
  });

  it("--to previous reads what deploy recorded: deploy 1.0.0, deploy 1.1.0, roll back to 1.0.0", async () => {
    // given
    keep(aws, Object.fromEntries(BUCKETS.map((b) => [b, ["1.0.0", "1.1.0"]])));
    const fake = new FakePulumi({}, { runPrograms: true });
    for (const version of ["1.0.0", "1.1.0"]) {
      const deployed = await run(
        ["deploy", "--env", "dev", "--target", "all", "--app-version", version, ...EU_BUCKET],
        { fake },
      );
      expect(deployed.code).toBe(0);
    }
    // when
    const { code } = await run(["rollback", "--env", "dev", "--to", "previous", ...EU_BUCKET], {
      fake,
    });
    // then
    expect(code).toBe(0);
    expect(fake.upMessages.get("dev-us-east-1")).toEqual([
      "silkroute deploy 1.0.0",
      "silkroute deploy 1.1.0",
      "silkroute rollback 1.0.0",
    ]);
    expect(fake.stacks["dev-china"].outputs?.version).toBe("1.0.0");
  });

  it("to a version no longer kept: exit 2 listing the kept versions, nothing deployed", async () => {
    // given: China's bucket lost 1.2.1 to retention
    keep(aws, {
      [BUCKETS[0]]: ["1.2.1", "1.2.2", "1.2.3"],
      [BUCKETS[1]]: ["1.2.1", "1.2.2", "1.2.3"],
      [CHINA_BUCKET]: ["1.2.2", "1.2.3"],
    });
    // when
    const { code, err, fake } = await run(
      ["rollback", "--env", "dev", "--to", "1.2.1", ...EU_BUCKET],
      { stacks: deployedAt("1.2.3") },
    );
    // then
    expect(code).toBe(2);
    expect(fake.ran("up")).toEqual([]);
    expect(err.at(-1)).toEqual(
      `silkroute: version 1.2.1 is no longer kept for dev-china (s3://${CHINA_BUCKET}/app/silkroute-dev/), so it cannot be deployed again without a rebuild; versions kept in every selected target, newest first: 1.2.3, 1.2.2`,
    );
  });

  it("--json: the version and each target's outputs; a failure still one document", async () => {
    // given
    keep(aws, Object.fromEntries(BUCKETS.map((b) => [b, ["1.2.2", "1.2.3"]])));
    // when
    const ok = await run(["rollback", "--env", "dev", "--to", "1.2.2", "--json", ...EU_BUCKET], {
      stacks: deployedAt("1.2.3"),
    });
    const gone = await run(["rollback", "--env", "dev", "--to", "0.9", "--json", ...EU_BUCKET], {
      stacks: deployedAt("1.2.3"),
    });
    // then
    expect(JSON.parse(ok.out.join("\n"))).toMatchObject({
      env: "dev",
      version: "1.2.2",
      targets: { "dev-china": { status: "succeeded" } },
    });
    expect(gone.code).toBe(2);
    expect(JSON.parse(gone.out.join("\n"))).toMatchObject({ ok: false, error: { exitCode: 2 } });
  });

  it("--refresh refreshes each stack first, so the update also undoes drift", async () => {
    // given
    keep(aws, { [CHINA_BUCKET]: ["1.2.3"] });
    // when
    const { code, fake } = await run(
      ["rollback", "--env", "dev", "--target", "china", "--to", "1.2.3", "--refresh"],
      { stacks: deployedAt("1.2.3") },
    );
    // then
    expect(code).toBe(0);
    expect(fake.calls.filter((c) => c.op !== "history").map((c) => c.op)).toEqual([
      "refresh",
      "up",
    ]);
  });

  it("a bad --to is a usage error before any call", async () => {
    // given / when
    const { code, err, fake } = await run(["rollback", "--env", "dev", "--to", "../1.0"]);
    // then
    expect(code).toBe(2);
    expect(err[0]).toContain("--to must be a version");
    expect(fake.calls).toEqual([]);
    expect(aws.s3.commandCalls(ListObjectsV2Command)).toEqual([]);
  });

  it("--to previous with no earlier version recorded: exit 2 asking for --to <version>", async () => {
    // given
    const stacks = deployedAt("1.2.3");
    // when
    const { code, err, fake } = await run(
      ["rollback", "--env", "dev", "--to", "previous", ...EU_BUCKET],
      { stacks },
    );
    // then
    expect(code).toBe(2);
    expect(err[0]).toContain("ran no version before 1.2.3 in their history");
    expect(fake.ran("up")).toEqual([]);
  });

  it("credentials missing: exit 3, no listing and no update", async () => {
    // given
    aws.ssm
      .on(GetParameterCommand, { Name: "/China/Dev/UserAccessKey" })
      .rejects(awsError("AccessDeniedException", "User is not authorized"));
    // when
    const { code, fake } = await run(["rollback", "--env", "dev", "--to", "1.2.2", ...EU_BUCKET], {
      stacks: deployedAt("1.2.3"),
    });
    // then
    expect(code).toBe(3);
    expect(fake.ran("up")).toEqual([]);
    expect(aws.s3.commandCalls(ListObjectsV2Command)).toEqual([]);
  });

  it("a listing denied is a credentials error naming the bucket", async () => {
    // given
    keep(aws, { [BUCKETS[0]]: ["1.2.2"], [BUCKETS[1]]: ["1.2.2"] });
    aws.s3
      .on(ListObjectsV2Command, { Bucket: CHINA_BUCKET })
      .rejects(awsError("AccessDenied", "Access Denied"));
    // when
    const { code, err } = await run(["rollback", "--env", "dev", "--to", "1.2.2", ...EU_BUCKET], {
      stacks: deployedAt("1.2.3"),
    });
    // then
    expect(code).toBe(3);
    expect(err.at(-1)).toContain(
      `cannot list the kept code zips of dev-china in s3://${CHINA_BUCKET}/`,
    );
  });
});
