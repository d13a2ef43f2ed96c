import * as fs from "fs";
import * as path from "path";
import { main } from "../../automation/cli";
import { PlanDocument, PlannedResource, PlannedStack } from "../../automation/plan/types";
import { runPolicies } from "../../automation/policies";
import { isLogBucket } from "../../automation/policies/s3";
import { tempDir } from "../helpers/tempDir";

const root = path.resolve(__dirname, "../..");

/** Runs the CLI in-process and captures what it prints. */
async function run(argv: string[], projectDir = root) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    io: { out: (t) => out.push(t), err: (t) => err.push(t) },
    projectDir,
  });
  return { code, stdout: out.join(""), stderr: err.join(""), errLines: err };
}

/** Runs of the shipped config that several tests read, each made once for the file. */
const shippedRuns = new Map<string, ReturnType<typeof run>>();
function runShipped(argv: string[]) {
  const key = JSON.stringify(argv);
  let result = shippedRuns.get(key);
  if (result === undefined) {
    result = run(argv);
    shippedRuns.set(key, result);
  }
  return result;
}

/** The first line of every plan on stderr: what it does, and that it changes nothing. */
const OPENING =
  /^Planning \d+ stacks?(, and the \d+ it reads outputs of,)? offline under Pulumi's mock engine, with the config of Pulumi\.global\.yaml( and Pulumi\.china\.yaml)?: no cloud is called, nothing is created or changed$/;

/** A copy of the project's stack config files, edited by `edit`. */
function projectWith(edit: (file: string, text: string) => string): string {
  const dir = tempDir("silkroute-plan-");
  for (const f of fs.readdirSync(root).filter((f) => /^Pulumi\..*\.yaml$/.test(f))) {
    fs.writeFileSync(path.join(dir, f), edit(f, fs.readFileSync(path.join(root, f), "utf8")));
  }
  return dir;
}

describe("silkroute plan", () => {
  let doc: PlanDocument;
  let code: number;

  beforeAll(async () => {
    const result = await run(["plan", "--json"]);
    code = result.code;
    doc = JSON.parse(result.stdout);
  });

  it("plans the shipped config with every stack and no violations", () => {
    expect(code).toBe(0);
    const names = doc.stacks.map((s) => s.name);
    expect(names.slice(0, 2)).toEqual(["global", "china"]);
    expect(names).toEqual(
      expect.arrayContaining(["app-dev-us-east-1", "app-dev-china", "app-prod-us-east-1"]),
    );
    expect(doc.stacks.flatMap((s) => s.violations)).toEqual([]);
  });

  it("gives every resource the contract's fields", () => {
    for (const r of doc.stacks.flatMap((s) => s.resources)) {
      expect(Object.keys(r)).toEqual(
        expect.arrayContaining([
          "urn",
          "id",
          "type",
          "name",
          "parent",
          "region",
          "partition",
          "inputs",
        ]),
      );
    }
  });

  it("keeps the global stack in the aws partition", () => {
    const global = doc.stacks.find((s) => s.name === "global")!;
    const cloud = global.resources.filter((r) => r.custom);
    expect(new Set(cloud.map((r) => r.partition))).toEqual(new Set(["aws"]));
    expect(JSON.stringify(global)).not.toMatch(/aws-cn|amazonaws\.com\.cn|cn-north/);
  });

  it.each(["dev", "stage", "prod"])(
    "lets the %s deploy role read its own China deploy key parameters, never the bootstrap key",
    (env) => {
      const global = doc.stacks.find((s) => s.name === "global")!;
      const deploy = global.resources.find(
        (r) => r.type === "aws:iam/policy:Policy" && r.name === `policies-deploy-${env}-secrets`,
      )!;
      const statements = JSON.parse(String(deploy.inputs.policy)).Statement as {
        Action: string[];
        Resource: string[];
      }[];
      const readable = statements
        .filter((s) => s.Action.includes("ssm:GetParameter"))
        .flatMap((s) => s.Resource)
        .filter((r) => r.includes(":parameter/China/"));
      const title = env[0].toUpperCase() + env.slice(1);
      expect(readable).toEqual(
        ["UserAccessKey", "UserSecretKey", "DeploymentS3Bucket"].map(
          (name) => `arn:aws:ssm:us-east-1:123456789012:parameter/China/${title}/${name}`,
        ),
      );
    },
  );

  it("gives the single-Region default pipeline one artifact store that names no Region", () => {
    const global = doc.stacks.find((s) => s.name === "global")!;
    const pipeline = global.resources.find((r) => r.type === "aws:codepipeline/pipeline:Pipeline")!;
    const stores = pipeline.inputs.artifactStores as { region?: string; encryptionKey: object }[];
    expect(stores).toHaveLength(1);
    expect(stores[0].region).toBeUndefined();
    expect(stores[0].encryptionKey).toMatchObject({ type: "KMS" });
  });

  it("places app stacks in the partition of their target", () => {
    const china = doc.stacks.find((s) => s.name === "app-dev-china")!;
    const global = doc.stacks.find((s) => s.name === "app-dev-us-east-1")!;
    const fn = (s: typeof china) =>
      s.resources.find((r) => r.type === "aws:lambda/function:Function")!;
    expect([fn(china).partition, fn(china).region]).toEqual(["aws-cn", "cn-north-1"]);
    expect([fn(global).partition, fn(global).region]).toEqual(["aws", "us-east-1"]);
  });

  it("shows each app stack's resources under the account config gives its environment", () => {
    // given: China accounts per environment (Pulumi.china.yaml), cross-account
    // targets for stage and prod (Pulumi.global.yaml), dev in the pipeline account
    const roleOf = (name: string) =>
      doc.stacks
        .find((s) => s.name === name)!
        .resources.find((r) => r.type === "aws:lambda/function:Function")!.inputs.role;
    // then
    expect(roleOf("app-dev-china")).toBe(
      "arn:aws-cn:iam::210987654321:role/silkroute-dev-china-fn",
    );
    expect(roleOf("app-prod-china")).toBe(
      "arn:aws-cn:iam::310987654321:role/silkroute-prod-china-fn",
    );
    expect(roleOf("app-stage-us-east-1")).toBe(
      "arn:aws:iam::222222222222:role/silkroute-stage-us-east-1-fn",
    );
    expect(roleOf("app-prod-us-east-1")).toBe(
      "arn:aws:iam::333333333333:role/silkroute-prod-us-east-1-fn",
    );
  });

  it("keeps the China deploy users' path and account in their ARNs", () => {
    // given
    const china = JSON.stringify(doc.stacks.find((s) => s.name === "china"));
    // then
    expect(china).toContain(
      "arn:aws-cn:iam::310987654321:user/silkroute/silkroute-prod-china-deployer",
    );
    expect(china).toContain(
      "arn:aws-cn:iam::210987654321:user/silkroute/silkroute-dev-china-deployer",
    );
    expect(china).not.toMatch(/:user\/silkroute-/);
  });

  it("takes the China accounts from Pulumi.china.yaml", async () => {
    // given prod's China account changed in the china stack's config
    const dir = projectWith((f, text) =>
      f === "Pulumi.china.yaml" ? text.replace('"310987654321"', '"410987654321"') : text,
    );
    // when
    const result = await run(["plan", "--json", "--stack", "app-prod-china"], dir);
    // then
    const [stack] = JSON.parse(result.stdout).stacks;
    expect(JSON.stringify(stack)).toContain(
      "arn:aws-cn:iam::410987654321:role/silkroute-prod-china-fn",
    );
    expect(JSON.stringify(stack)).not.toContain("310987654321");
  });

  it("ships each target's code from app/handler through its own artifact bucket", () => {
    const code = (name: string) =>
      doc.stacks
        .find((s) => s.name === name)!
        .resources.find((r) => r.type === "aws:s3/bucketObjectv2:BucketObjectv2")!.inputs;
    const china = doc.stacks.find((s) => s.name === "china")!;
    const chinaBuckets = china.resources
      .filter((r) => r.type === "aws:s3/bucket:Bucket")
      .map((r) => r.id);
    expect(code("app-dev-china").source).toEqual({
      assetArchive: { ".": { fileArchive: "app/handler" } },
    });
    expect(chinaBuckets).toContain(code("app-dev-china").bucket);
    expect(chinaBuckets).not.toContain(code("app-dev-us-east-1").bucket);
  });

  describe("server access logging (FSBP S3.9)", () => {
    const stackNamed = (name: string) => doc.stacks.find((s) => s.name === name)!;
    const buckets = (stack: PlannedStack) =>
      stack.resources.filter((r) => r.type === "aws:s3/bucket:Bucket");
    const loggingOf = (stack: PlannedStack, bucket: PlannedResource) =>
      stack.resources.find(
        (r) => r.type === "aws:s3/bucketLogging:BucketLogging" && r.inputs.bucket === bucket.id,
      );

    it.each([
      ["global", "aws"],
      ["china", "aws-cn"],
    ])(
      "logs every data bucket of the %s stack into a log bucket of its Region (%s), which logs nowhere",
      (name, partition) => {
        // given
        const stack = stackNamed(name);
        const [logs, data] = [true, false].map((log) =>
          buckets(stack).filter((b) => isLogBucket(b) === log),
        );
        // then
        expect(data.length).toBeGreaterThan(0);
        for (const bucket of data) {
          const target = logs.find((l) => l.id === loggingOf(stack, bucket)?.inputs.targetBucket);
          expect({ bucket: bucket.name, region: target?.region }).toEqual({
            bucket: bucket.name,
            region: bucket.region,
          });
        }
        for (const log of logs) expect(loggingOf(stack, log)).toBeUndefined();
        expect(new Set(buckets(stack).map((b) => b.partition))).toEqual(new Set([partition]));
        expect(stack.violations.filter((v) => v.policy === "s3-access-logging")).toEqual([]);
      },
    );

    it("fails s3-access-logging on the one bucket whose logging is removed", () => {
      // given the global stack without the state bucket's logging
      const global = stackNamed("global");
      const state = buckets(global).find((b) => b.name === "state-bucket")!;
      const resources = global.resources.filter((r) => r !== loggingOf(global, state));
      // when
      const found = runPolicies(resources);
      // then
      expect(found).toEqual([
        expect.objectContaining({ policy: "s3-access-logging", urn: state.urn }),
      ]);
    });

    it("gives each deploy Region of the pipeline its own log bucket", async () => {
      // given dev deploying to eu-west-1 as well
      const dir = projectWith((f, text) =>
        f === "Pulumi.global.yaml"
          ? text.replace("globalRegions: [us-east-1]", "globalRegions: [us-east-1, eu-west-1]")
          : text,
      );
      // when
      const result = await run(["plan", "--json", "--stack", "global"], dir);
      // then
      const [global] = (JSON.parse(result.stdout) as PlanDocument).stacks;
      const logs = buckets(global).filter(isLogBucket);
      expect(logs.map((b) => [b.name, b.region])).toEqual([
        ["access-logs-us-east-1", "us-east-1"],
        ["access-logs-eu-west-1", "eu-west-1"],
      ]);
      const store = buckets(global).find((b) => b.region === "eu-west-1" && !isLogBucket(b))!;
      expect(loggingOf(global, store)?.inputs.targetBucket).toBe(logs[1].id);
      expect(global.violations).toEqual([]);
    });
  });

  it("shows secret inputs as [secret]", () => {
    const text = JSON.stringify(doc);
    expect(text).toContain('"[secret]"');
    expect(text).not.toMatch(/plan-secret-|plan-value-of-/);
  });

  it("picks stacks with --stack", async () => {
    const result = await runShipped(["plan", "--json", "--stack", "global"]);
    expect(JSON.parse(result.stdout).stacks.map((s: { name: string }) => s.name)).toEqual([
      "global",
    ]);
  });

  it("names an unknown --stack and the stacks there are, with exit 2", async () => {
    const result = await run(["plan", "--stack", "nope"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^silkroute: unknown stack nope; this config plans: global, china, app-dev-us-east-1, /,
    );
  });

  it("prints a tree for people on stdout; on stderr, first what it does, last the verdict", async () => {
    const result = await run(["plan", "--stack", "global"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^global\n└─ pulumi:pulumi:Stack silkroute-global/);
    expect(result.stdout).toMatch(/no violations/);
    expect(result.errLines).toHaveLength(2);
    expect(result.errLines[0]).toMatch(OPENING);
    expect(result.errLines[1]).toMatch(/^1 stack, \d+ resources, 0 violations of \d+ rules$/);
  });

  it("lists the rules it ran with --rules, and always in the JSON", async () => {
    // when
    const text = await run(["plan", "--stack", "global", "--rules"]);
    const json = JSON.parse((await runShipped(["plan", "--json", "--stack", "global"])).stdout);
    // then: every rule once, by name and what it checks, in both
    expect(json.summary.rules).toBe(json.rules.length);
    for (const rule of json.rules) {
      expect(text.stdout).toContain(`\n  ${rule.name}: ${rule.description}\n`);
    }
    expect(text.stdout).toContain(`\n${json.rules.length} rules, run over every stack:\n`);
    expect(json.summary).toEqual({
      stacks: 1,
      resources: json.stacks[0].resources.length,
      violations: 0,
      rules: json.rules.length,
    });
  });

  it("lists the violation and exits 4 when prod loses its approval", async () => {
    // given a config that is valid but breaks a policy: prod deploys without approval
    const dir = projectWith((f, text) =>
      f === "Pulumi.global.yaml"
        ? text.replace("      approval: true\n", "      approval: false\n")
        : text,
    );
    // when planning
    const result = await run(["plan", "--stack", "global"], dir);
    // then the violation is listed, the exit code is 4 and stderr ends with the count
    expect(result.code).toBe(4);
    expect(result.stdout).toMatch(/✗ \[[a-z-]+\] .*prod/);
    expect(result.errLines[result.errLines.length - 1]).toMatch(
      /^1 stack, \d+ resources, [1-9]\d* violations? of \d+ rules$/,
    );
  });

  describe("with previewChina: true (the documented opt-in)", () => {
    let result: Awaited<ReturnType<typeof run>>;
    let global: PlannedStack;
    beforeAll(async () => {
      const dir = projectWith((f, text) =>
        f === "Pulumi.global.yaml"
          ? text.replace("silkroute:previewChina: false", "silkroute:previewChina: true")
          : text,
      );
      result = await run(["plan", "--json", "--stack", "global"], dir);
      global = (JSON.parse(result.stdout) as PlanDocument).stacks[0];
    });
    const previewPolicy = () =>
      global.resources.find(
        (r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.inputs.role === "silkroute-preview",
      );

    it("plans with no violations: the preview role then reads dev's China key", () => {
      expect(result.code).toBe(0);
      const preview = previewPolicy()!;
      expect(String(preview.inputs.policy)).toContain("parameter/China/Dev/UserAccessKey");
      expect(String(preview.inputs.policy)).not.toContain("parameter/China/Prod");
    });

    it("plans a preview role that holds dev's China key and no China state, without violations", () => {
      // then: preview-identity-confined holds (China key read, China app stacks explicitly denied)
      expect(result.code).toBe(0);
      expect(global.violations).toEqual([]);
      const sids = (
        JSON.parse(String(previewPolicy()?.inputs.policy)) as { Statement: { Sid: string }[] }
      ).Statement.map((st) => st.Sid);
      expect(sids).toEqual(
        expect.arrayContaining([
          "ReadChinaParameters",
          "NoChinaAppStackState",
          "NoChinaAppStackSecrets",
        ]),
      );
    });
  });

  it("plans the bench's 10 environments x 4 Regions with no violations", async () => {
    // given the bench's scale topology (bench/bench.js)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { scaleProject } = require("../../bench/bench.js");
    const dir: string = scaleProject();
    // when
    const result = await run(["plan", "--json", "--stack", "global"], dir);
    fs.rmSync(dir, { recursive: true, force: true });
    // then: e.g. the deploy role's policy still fits IAM's 10,240 characters
    expect(result.errLines[0]).toMatch(OPENING);
    expect(result.errLines[1]).toMatch(/ 0 violations of /);
    expect(result.code).toBe(0);
  });

  it.each([
    [false, 0],
    [true, 1],
  ])(
    "with a GitHub source whose connection is approved: %s, creates %i pull-request webhook(s)",
    async (ready, webhooks) => {
      // given a GitHub source (a new connection is PENDING until approved in the console)
      const dir = projectWith((f, text) =>
        f === "Pulumi.global.yaml"
          ? text.replace(
              /silkroute:source:\n(    .*\n)+/,
              `silkroute:source:\n    type: github\n    repository: acme/app\n    connectionReady: ${ready}\n`,
            )
          : text,
      );
      // when
      const result = await run(["plan", "--json", "--stack", "global"], dir);
      // then
      const global = JSON.parse(result.stdout).stacks[0] as PlanDocument["stacks"][number];
      expect(result.code).toBe(0);
      // the preview role clones through the connection, and pr-code-holds-no-secret accepts it
      expect(global.violations).toEqual([]);
      expect(global.resources.some((r) => r.type.startsWith("aws:codeconnections/"))).toBe(true);
      expect(
        global.resources.filter((r) => r.type === "aws:codebuild/webhook:Webhook"),
      ).toHaveLength(webhooks);
    },
  );

  it("stops with exit 2 and one line on a bad config value", async () => {
    const dir = projectWith((f, text) =>
      f === "Pulumi.global.yaml"
        ? text.replace("chinaRegion: cn-north-1", "chinaRegion: us-east-1")
        : text,
    );
    const result = await run(["plan"], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'silkroute: silkroute:chinaRegion must be a Region of the aws-cn partition: cn-north-1 or cn-northwest-1, got "us-east-1". Run: pulumi config set silkroute:chinaRegion cn-north-1 --stack global',
    );
  });

  it("stops with exit 2 naming the file when a stack config is missing", async () => {
    const dir = tempDir("silkroute-empty-");
    const result = await run(["plan"], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `silkroute: Pulumi.global.yaml not found in ${dir}: the global stack's config lives there; restore it with: git checkout -- Pulumi.global.yaml`,
    );
  });
});
