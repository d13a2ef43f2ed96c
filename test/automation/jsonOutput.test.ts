import { ListAccessKeysCommand } from "@aws-sdk/client-iam";
import { GetParameterCommand } from "@aws-sdk/client-ssm";
import { awsError, mockAws } from "../helpers/awsMocks";
import { appOutputs, EU_BUCKET, KEY_ID, run, RunOptions } from "../helpers/driver";

// Every command with --json prints exactly one JSON document on stdout, whatever
// happens: its result, or why there is none, with "ok" first and, on a failure,
// "error": { exitCode, message } (the exit code and the line stderr shows).
describe("--json: one document on stdout, on success and failure alike", () => {
  let aws: ReturnType<typeof mockAws>;
  beforeEach(() => (aws = mockAws()));
  afterEach(() => aws.restore());

  const failing = { fail: new Error("error: update failed") };
  const deployed = (version: string) => ({ outputs: appOutputs("x", version) });

  const cases: [string, string[], RunOptions, number][] = [
    ["a usage error", ["deploy", "--env", "qa", "--target", "all", "--json"], {}, 2],
    ["a flag misspelt", ["status", "--env", "dev", "--jsn", "--json"], {}, 2],
    [
      "a missing SSM parameter",
      ["deploy", "--env", "dev", "--target", "china", "--json"],
      { env: { PATH: "/usr/bin", PULUMI_CONFIG_PASSPHRASE: "p", USER_ACCESS_KEY_SSM: "/Nope" } },
      3,
    ],
    [
      "a target failing",
      ["deploy", "--env", "dev", "--target", "all", ...EU_BUCKET, "--json"],
      { stacks: { "dev-china": failing } },
      1,
    ],
    [
      "status of a target that cannot be read",
      ["status", "--env", "dev", "--json"],
      { stacks: { "dev-china": failing } },
      1,
    ],
    [
      "status of targets on different versions",
      ["status", "--env", "dev", "--json"],
      {
        stacks: {
          "dev-us-east-1": deployed("1.2.3"),
          "dev-eu-west-1": deployed("1.2.3"),
          "dev-china": deployed("1.2.2"),
        },
      },
      1,
    ],
    ["outputs of a stack never deployed", ["outputs", "--env", "lab", "--json"], {}, 1],
    ["a deploy key too old", ["keys", "--env", "dev", "--max-age-days", "1", "--json"], {}, 4],
    [
      "a preview with policy violations",
      ["preview", "--env", "dev", "--target", "china", "--json"],
      { stacks: { "dev-china": { preview: { violations: ["pack/rule: no"] } } } },
      4,
    ],
  ];

  it.each(cases)("%s", async (_what, argv, options, exitCode) => {
    // given a China key made 10 days ago
    aws.iam.on(ListAccessKeysCommand).resolves({
      AccessKeyMetadata: [
        { AccessKeyId: KEY_ID, Status: "Active", CreateDate: new Date("2026-11-16T00:00:00Z") },
      ],
    });
    aws.ssm
      .on(GetParameterCommand, { Name: "/Nope", WithDecryption: true })
      .rejects(awsError("ParameterNotFound"));
    // when
    const { code, out, err } = await run(argv, {
      ...options,
      services: { now: () => new Date("2026-11-26T00:00:00Z"), ...options.services },
    });
    // then: one document, saying what stderr says
    expect(code).toBe(exitCode);
    expect(out).toHaveLength(1);
    const doc = JSON.parse(out[0]);
    expect(Object.keys(doc)[0]).toBe("ok");
    expect(doc.ok).toBe(false);
    expect(doc.error).toEqual({ exitCode, message: expect.any(String) });
    expect(err.join("\n")).toContain(doc.error.message);
  });

  it("a success has ok: true and no error", async () => {
    const { code, out } = await run(["deploy", "--env", "dev", "--target", "china", "--json"]);
    expect(code).toBe(0);
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0])).toMatchObject({ ok: true, targets: expect.any(Object) });
    expect(JSON.parse(out[0]).error).toBeUndefined();
  });
});
