import * as fs from "fs";
import * as path from "path";
import { preflightViolations } from "../../automation/app/preflight";
import { deployIdentity } from "../../automation/app/appChecks";
import { PlanDocument, PlannedStack } from "../../automation/plan/types";
import { APPS, plan, projectWith, root, stack } from "../helpers/appProjects";
import { mockAws } from "../helpers/awsMocks";
import { EU_BUCKET, fixtureProject, KEY_ID, run } from "../helpers/driver";
import { evaluate, inputsOf, ofType, only } from "../helpers/pulumi";

/*
 * The three example apps end to end: each planned offline for every
 * environment and target of the shipped config (a global Region and China,
 * in-account and cross-account) with zero violations, and each deployed
 * through `silkroute deploy --target all` with the fake runner, its
 * programs then run under the mock engine.
 */

const types = (s: PlannedStack) => s.resources.map((r) => r.type);

/** Each example app's project as shipped, planned once for the file (the tests only read it). */
const shipped = new Map<string, Promise<{ project: string; code: number; doc: PlanDocument }>>();
function plannedApp(app: string) {
  let planned = shipped.get(app);
  if (planned === undefined) {
    const project = projectWith(APPS[app]);
    planned = plan(project).then((result) => ({ project, ...result }));
    shipped.set(app, planned);
  }
  return planned;
}

describe.each(Object.keys(APPS))("the %s app in the offline plan", (app) => {
  let doc: PlanDocument;
  let code: number;
  beforeAll(async () => ({ code, doc } = await plannedApp(app)));

  it("plans every app stack, global Regions and China, with zero violations", () => {
    expect(doc.stacks.flatMap((s) => s.violations)).toEqual([]);
    expect(code).toBe(0);
    for (const name of [
      "app-dev-us-east-1",
      "app-dev-china",
      "app-prod-us-east-1",
      "app-prod-china",
    ]) {
      expect(stack(doc, name).resources.length).toBeGreaterThan(1);
    }
  });

  it("declares the app's own resources in both partitions", () => {
    for (const name of ["app-dev-us-east-1", "app-dev-china"]) {
      const s = stack(doc, name);
      const expected = {
        sample: ["aws:lambda/function:Function", "aws:iam/role:Role"],
        "queue-table": [
          "aws:sqs/queue:Queue",
          "aws:dynamodb/table:Table",
          "aws:lambda/function:Function",
        ],
        "sam-hello": [
          "aws:cloudformation/stack:Stack",
          "AWS::Serverless::Function",
          "AWS::Logs::LogGroup",
        ],
      }[app]!;
      expect(types(s)).toEqual(expect.arrayContaining(expected));
      const partition = name.endsWith("china") ? "aws-cn" : "aws";
      expect(new Set(s.resources.filter((r) => r.custom).map((r) => r.partition))).toEqual(
        new Set([partition]),
      );
    }
  });
});

describe("permissions follow the app", () => {
  it("generates the deploy identities' statements from what the app manages", async () => {
    const { doc } = await plannedApp("queue-table");
    const global = stack(doc, "global");
    const appPolicy = global.resources.find((r) => r.inputs.name === "silkroute-deploy-dev-app-1")!;
    expect(String(appPolicy.inputs.policy)).toContain("sqs:CreateQueue");
    const china = stack(doc, "china");
    const groupPolicy = china.resources.find(
      (r) => r.inputs.name === "silkroute-dev-china-deploy-app-1",
    )!;
    expect(String(groupPolicy.inputs.policy)).toMatch(/"dynamodb:Create(Table|\*)"/);
  });

  it("a kind left out of silkroute:app.manages fails the pre-flight, naming the action, the identity and the fix", async () => {
    const lines = APPS["queue-table"].map((l) => l.replace("[queue, table]", "[queue]"));
    const { code, doc } = await plan(projectWith(lines));
    expect(code).toBe(4);
    const china = stack(doc, "app-dev-china").violations;
    expect(china).toEqual([
      expect.objectContaining({
        policy: "app-deploy-preflight",
        message: expect.stringMatching(
          /^the dev China deploy group silkroute-dev-china-deployers may not .*dynamodb:CreateTable.* on arn:aws-cn:dynamodb:cn-north-1:\d+:table\/silkroute-dev-orders .*: add table to silkroute:app\.manages \(pulumi config set --path 'silkroute:app\.manages\[1\]' table --stack global\), then pulumi up/,
        ),
      }),
    ]);
  });

  it("two kinds left out: their fixes append at manages[0] and manages[1], so running both fixes both", async () => {
    const lines = APPS["queue-table"].map((l) =>
      l.replace("manages: [queue, table]", "manages: []").replace("[queue, table]", "[]"),
    );
    const { code, doc } = await plan(projectWith(lines));
    expect(code).toBe(4);
    const messages = stack(doc, "app-dev-china")
      .violations.map((v) => v.message)
      .join("\n");
    expect(messages).toContain("pulumi config set --path 'silkroute:app.manages[0]' queue");
    expect(messages).toContain("pulumi config set --path 'silkroute:app.manages[1]' table");
  });

  it("removing one generated permission makes the pre-flight fail, naming the action", async () => {
    // given the planned global stack's policies of the dev deploy role
    const { project, doc } = await plannedApp("queue-table");
    const { loadProjectConfig, targetsOf } =
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load (module node16)
      require("../../automation/targets") as typeof import("../../automation/targets");
    const cfg = loadProjectConfig(project);
    const env = cfg.environments.find((e) => e.name === "dev")!;
    const target = targetsOf(cfg, env).find((t) => t.target === "us-east-1")!;
    const asEvaluated = (s: PlannedStack) =>
      ({ name: s.name, outputs: {}, resources: s.resources }) as never;
    const accounts = { aws: "123456789012", "aws-cn": "210987654321" } as const;
    const identity = deployIdentity(
      cfg,
      env,
      target,
      { global: asEvaluated(stack(doc, "global")), china: asEvaluated(stack(doc, "china")) },
      accounts,
    );
    const app = stack(doc, "app-dev-us-east-1");
    const preflightTarget = {
      env: "dev",
      region: "us-east-1",
      partition: "aws" as const,
      account: accounts.aws,
      appPrefix: "silkroute-dev",
      kinds: ["function", "role", "log-group", "queue", "table"],
    };
    expect(preflightViolations(app.resources, identity, preflightTarget)).toEqual([]);
    // when one action is taken out of the statements generated for queues
    const without = identity.policies.identityPolicies.map((d) => {
      // the planned JSON text, as the stack wrote it
      const document = JSON.parse(String(d)) as { Statement: { Sid: string; Action: string[] }[] };
      return {
        ...document,
        Statement: document.Statement.map((s) =>
          s.Sid === "AppQueue"
            ? { ...s, Action: s.Action.filter((a) => a !== "sqs:CreateQueue") }
            : s,
        ),
      };
    });
    const violations = preflightViolations(
      app.resources,
      { ...identity, policies: { identityPolicies: without } },
      preflightTarget,
    );
    // then the queue fails, on that action alone
    expect(violations).toHaveLength(1);
    expect(violations[0].urn).toMatch(/aws:sqs\/queue:Queue::orders-queue$/);
    expect(violations[0].message).toMatch(
      /^the dev deploy role silkroute-deploy-dev may not sqs:CreateQueue on arn:aws:sqs:us-east-1:123456789012:silkroute-dev-orders \(ImplicitlyDenied\)/,
    );
  });
});

describe("the template lint", () => {
  it("fails a China target on a template with arn:aws:, naming the line and the ${AWS::Partition} fix", async () => {
    // given the SAM example with a global-partition ARN written out
    const project = projectWith(APPS["sam-hello"]);
    const file = path.join(project, "examples/sam-hello/template.yaml");
    const text = fs.readFileSync(file, "utf8");
    fs.writeFileSync(
      file,
      text.replace(
        "      Handler: app.handler\n",
        '      Handler: app.handler\n      Tracing: PassThrough\n      Description: !Sub "reads arn:aws:s3:::shared-config"\n',
      ),
    );
    const line =
      fs
        .readFileSync(file, "utf8")
        .split("\n")
        .findIndex((l) => l.includes("arn:aws:s3")) + 1;
    // when
    const { code, doc } = await plan(project);
    // then China fails with the line and the fix, the global Region does not
    expect(code).toBe(4);
    const lint = stack(doc, "app-dev-china").violations.filter(
      (v) => v.policy === "cfn-template-china",
    );
    expect(lint).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(
          new RegExp(`^examples/sam-hello/template\\.yaml:${line}: .*arn:\\$\\{AWS::Partition\\}`),
        ),
      }),
    ]);
    expect(stack(doc, "app-dev-us-east-1").violations).toEqual([]);
  });
});

describe.each(Object.keys(APPS))("the %s app through silkroute deploy --target all", (app) => {
  let aws: ReturnType<typeof mockAws>;
  beforeEach(() => (aws = mockAws()));
  afterEach(() => aws.restore());

  it("deploys every target of the environment, each program building the app on the target's provider", async () => {
    // given the driver's fixture project with the app added
    const project = fixtureProject();
    const global = path.join(project, "Pulumi.global.yaml");
    fs.appendFileSync(global, `${APPS[app].join("\n")}\n`);
    fs.cpSync(path.join(root, "examples"), path.join(project, "examples"), { recursive: true });
    // when
    const { code, fake, all } = await run(
      ["deploy", "--env", "dev", "--target", "all", ...EU_BUCKET, "--app-version", "2.0.0"],
      { projectDir: project },
    );
    // then every target deployed, and each program builds the app there
    expect(code).toBe(0);
    expect(fake.ran("up").sort()).toEqual(["dev-china", "dev-eu-west-1", "dev-us-east-1"]);
    expect(all).not.toContain(KEY_ID);
    for (const stackName of ["dev-us-east-1", "dev-china"]) {
      const evaluated = await evaluate(fake.programs.get(stackName)!);
      const provider = only(evaluated, "pulumi:providers:aws");
      expect(inputsOf(provider).region).toBe(
        stackName.endsWith("china") ? "cn-north-1" : "us-east-1",
      );
      const cloud = evaluated.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:"));
      expect(cloud.length).toBeGreaterThan(0);
      for (const r of cloud) expect(r.provider).toBe(provider.urn);
      const objects = ofType(evaluated, "aws:s3/bucketObjectv2:BucketObjectv2");
      expect(objects.length).toBeGreaterThan(0);
      for (const o of objects)
        expect(String(inputsOf(o).key)).toMatch(/^app\/silkroute-dev\/2\.0\.0/);
      expect(evaluated.outputs.version).toBe("2.0.0");
    }
  });
});

describe("the pre-flight in silkroute preview", () => {
  let aws: ReturnType<typeof mockAws>;
  beforeEach(() => (aws = mockAws()));
  afterEach(() => aws.restore());

  it("adds the pre-flight's violations to the target's preview: exit 4, the action named", async () => {
    // given the queue-table app with tables left out of what it manages
    const lines = APPS["queue-table"].map((l) => l.replace("[queue, table]", "[queue]"));
    const project = projectWith(lines);
    // when
    const { code, out } = await run(["preview", "--env", "dev", "--target", "us-east-1"], {
      projectDir: project,
    });
    // then
    expect(code).toBe(4);
    expect(out.join("\n")).toMatch(
      /policy: silkroute\/app-deploy-preflight: the dev deploy role silkroute-deploy-dev may not .*dynamodb:CreateTable/,
    );
  });

  it("adds nothing when the deploy would be allowed", async () => {
    const { code, out } = await run(["preview", "--env", "dev", "--target", "us-east-1"], {
      projectDir: projectWith(APPS["queue-table"]),
    });
    expect(code).toBe(0);
    expect(out.join("\n")).not.toContain("policy:");
  });
});
