import { commandError } from "../helpers/fakePulumi";
import { GetParameterCommand } from "@aws-sdk/client-ssm";
import * as fs from "fs";
import * as path from "path";
import type { DriftedResource } from "../../automation/pulumi/runner";
import { awsError, mockAws } from "../helpers/awsMocks";
import type { FakeStack } from "../helpers/fakePulumi";
import { appOutputs, EU_BUCKET, fixtureProject, run, SECRET_KEY } from "../helpers/driver";

const DEV = ["dev-us-east-1", "dev-eu-west-1", "dev-china"];
const deployed = (version = "1.2.3"): Record<string, FakeStack> =>
  Object.fromEntries(DEV.map((s) => [s, { outputs: appOutputs(s, version) }]));

/** The function resized by hand in Beijing. */
const resized: DriftedResource = {
  op: "update",
  type: "aws:lambda/function:Function",
  name: "app-fn",
  properties: [
    { path: "memorySize", kind: "update", state: 128, actual: 512 },
    { path: 'tags["owner"]', kind: "add", actual: "someone" },
  ],
};

describe("silkroute drift", () => {
  let aws: ReturnType<typeof mockAws>;
  beforeEach(() => (aws = mockAws()));
  afterEach(() => aws.restore());

  it("drift found: reports the resource and its properties, names the fix, exit 1", async () => {
    // given
    const stacks = deployed();
    stacks["dev-china"].drift = { resources: [resized] };
    // when
    const { code, out, err, fake } = await run(["drift", "--env", "dev", ...EU_BUCKET], {
      stacks,
    });
    // then
    expect(code).toBe(1);
    expect(fake.ran("drift").sort()).toEqual([...DEV].sort());
    const text = out.join("\n");
    expect(text).toContain("dev-china: 1 resource drifted");
    expect(text).toContain("~ aws:lambda/function:Function app-fn");
    expect(text).toContain("memorySize: 128 → 512");
    expect(text).toContain('tags["owner"]: "someone" (only in the cloud)');
    expect(text).toContain("dev-us-east-1: no drift");
    expect(err.join("\n")).toContain(
      "dev-china drifted: undo it by redeploying its version from the kept code, from a checkout of that version (the program comes from the checkout): silkroute rollback --env dev --target china --to 1.2.3 --refresh",
    );
  });

  it("writes nothing: no update, refresh or destroy runs", async () => {
    // given
    const stacks = deployed();
    stacks["dev-china"].drift = { resources: [resized] };
    // when
    const { fake } = await run(["drift", "--env", "dev", ...EU_BUCKET], { stacks });
    // then
    expect(fake.calls.map((c) => c.op).filter((op) => !["drift", "outputs"].includes(op))).toEqual(
      [],
    );
  });

  it("none found: every target says so, exit 0", async () => {
    // given / when
    const { code, out } = await run(["drift", "--env", "dev", ...EU_BUCKET], {
      stacks: deployed(),
    });
    // then
    expect(code).toBe(0);
    expect(out.join("\n").split("\n").sort()).toEqual(DEV.map((s) => `${s}: no drift`).sort());
  });

  it("--json: one document with every target, drifted and not", async () => {
    // given
    const stacks = deployed();
    stacks["dev-eu-west-1"].drift = { resources: [{ ...resized, op: "delete", properties: [] }] };
    // when
    const { code, out } = await run(["drift", "--env", "dev", "--json", ...EU_BUCKET], {
      stacks,
    });
    // then
    expect(code).toBe(1);
    expect(out).toHaveLength(1);
    const doc = JSON.parse(out[0]);
    expect(doc.env).toBe("dev");
    expect(doc.drifted).toBe(true);
    const eu = doc.targets.find((t: { name: string }) => t.name === "dev-eu-west-1");
    expect(eu).toMatchObject({ status: "succeeded", drifted: true });
    expect(eu.resources[0]).toMatchObject({ op: "delete", name: "app-fn" });
    const china = doc.targets.find((t: { name: string }) => t.name === "dev-china");
    expect(china).toMatchObject({ status: "succeeded", drifted: false, resources: [] });
  });

  it("one target failing: the others are still checked and reported, exit 1", async () => {
    // given
    const stacks = deployed();
    stacks["dev-eu-west-1"].fail = commandError("error: AccessDenied: lambda:GetFunction");
    // when
    const { code, out, err } = await run(["drift", "--env", "dev", ...EU_BUCKET], { stacks });
    // then
    expect(code).toBe(1);
    const text = out.join("\n");
    expect(text).toContain("dev-eu-west-1: check failed: AccessDenied: lambda:GetFunction");
    expect(text).toContain("dev-china: no drift");
    expect(text).toContain("dev-us-east-1: no drift");
    expect(err.join("\n")).toContain("drift check failed for dev-eu-west-1");
  });

  it("credentials missing: exit 3 before any check, and --json still prints one document", async () => {
    // given
    aws.ssm
      .on(GetParameterCommand, { Name: "/China/Dev/UserSecretKey" })
      .rejects(awsError("ParameterNotFound", "Parameter /China/Dev/UserSecretKey not found."));
    // when
    const { code, out, err, fake } = await run(["drift", "--env", "dev", "--json", ...EU_BUCKET], {
      stacks: deployed(),
    });
    // then
    expect(code).toBe(3);
    expect(fake.ran("drift")).toEqual([]);
    expect(JSON.parse(out.join("\n"))).toEqual({
      ok: false,
      error: { exitCode: 3, message: expect.stringContaining("/China/Dev/UserSecretKey") },
    });
    expect(err[0]).toContain("SSM parameter /China/Dev/UserSecretKey not found");
  });

  it("redacts what the cloud returns: a drifted value holding the China key", async () => {
    // given: someone pasted the deploy key into the function's variables
    const stacks = deployed();
    stacks["dev-china"].drift = {
      resources: [
        {
          ...resized,
          properties: [
            { path: "environment.variables.KEY", kind: "add", actual: `key=${SECRET_KEY}` },
          ],
        },
      ],
    };
    // when
    const text = await run(["drift", "--env", "dev", "--target", "china"], { stacks });
    const json = await run(["drift", "--env", "dev", "--target", "china", "--json"], { stacks });
    // then
    for (const r of [text, json]) {
      expect(r.all).not.toContain(SECRET_KEY);
      expect(r.all).toContain("[redacted]");
    }
  });

  it("a target never deployed has nothing to compare: not drift", async () => {
    // given / when
    const { code, out } = await run(["drift", "--env", "dev", "--target", "us-east-1"], {
      stacks: {},
    });
    // then
    expect(code).toBe(0);
    expect(out).toEqual(["dev-us-east-1: not deployed, nothing to compare"]);
  });

  it("--stacks checks the project's own stacks beside the targets", async () => {
    // given
    const dir = fixtureProject();
    fs.writeFileSync(path.join(dir, "Pulumi.china.yaml"), "config: {}\n");
    const stacks: Record<string, FakeStack> = {
      ...deployed(),
      global: { drift: { resources: [{ ...resized, type: "aws:sns/topic:Topic", name: "t" }] } },
    };
    // when
    const { code, fake, err } = await run(
      ["drift", "--env", "dev", "--target", "china", "--stacks", "global,china"],
      { stacks, projectDir: dir },
    );
    // then
    expect(code).toBe(1);
    expect(fake.ran("driftProjectStack")).toEqual(["global", "china"]);
    expect(fake.projectStacks.map((s) => s.workDir)).toEqual([dir, dir]);
    expect(err.join("\n")).toContain("undo it with: pulumi up --stack global --refresh");
  });

  it("a bad --target is a usage error before anything runs", async () => {
    // given / when
    const { code, fake, err } = await run(["drift", "--env", "dev", "--target", "mars-1"]);
    // then
    expect(code).toBe(2);
    expect(fake.calls).toEqual([]);
    expect(err[0]).toContain('unknown target "mars-1"');
  });
});
