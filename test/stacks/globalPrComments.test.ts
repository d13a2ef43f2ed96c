import * as fs from "fs";
import * as path from "path";
import { main } from "../../automation/cli";
import { PlannedResource, PlannedStack } from "../../automation/plan/types";
import { tempDir } from "../helpers/tempDir";

/*
 * The global stack's two halves of the PR preview, as the offline plan shows
 * them: the identity that runs pull-request code holds no secret and may not
 * comment; the poster, deployed from this repository, may.
 */

const root = path.resolve(__dirname, "../..");
const SOURCE = /  silkroute:source:\n(    .*\n)+/;
const GITHUB = (token: string) =>
  `  silkroute:source:\n    type: github\n    repository: acme/app\n    branch: main\n${token}    connectionReady: true\n`;

/** The global stack planned from the shipped config with its `silkroute:source` replaced. */
async function planGlobal(source?: string): Promise<PlannedStack> {
  const dir = tempDir("silkroute-pr-");
  for (const f of fs.readdirSync(root).filter((f) => /^Pulumi\..*\.yaml$/.test(f))) {
    const text = fs.readFileSync(path.join(root, f), "utf8");
    fs.writeFileSync(path.join(dir, f), source ? text.replace(SOURCE, source) : text);
  }
  const out: string[] = [];
  const code = await main(["plan", "--json", "--stack", "global"], {
    io: { out: (t) => out.push(t), err: () => undefined },
    projectDir: dir,
  });
  expect(code).toBe(0);
  return JSON.parse(out.join("")).stacks[0];
}

type Statement = { Effect: string; Action: string[]; Resource: string[] };
const policy = (r: PlannedResource): Statement[] => JSON.parse(String(r.inputs.policy)).Statement;
const named = (stack: PlannedStack, type: string, name: string) =>
  stack.resources.find((r) => r.type === type && r.inputs.name === name);
/** Every Allow of the inline policies attached to a role. */
const allowsOf = (stack: PlannedStack, roleName: string) =>
  stack.resources
    .filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.inputs.role === roleName)
    .flatMap(policy)
    .filter((s) => s.Effect === "Allow");

describe.each([
  ["CodeCommit", undefined],
  ["GitHub with a token secret", GITHUB("    tokenSecretArn: github-pr-token\n")],
])("the global stack with a %s source", (_what, source) => {
  let stack: PlannedStack;
  beforeAll(async () => {
    stack = await planGlobal(source);
  });

  it("plans without violations", () => {
    expect(stack.violations).toEqual([]);
  });

  it("gives pr-preview, which runs pull-request code, no secret and no way to comment", () => {
    // given
    const project = named(stack, "aws:codebuild/project:Project", "silkroute-pr-preview")!;
    const variables = (project.inputs.environment as { environmentVariables: { type: string }[] })
      .environmentVariables;
    // when
    const actions = allowsOf(stack, "silkroute-preview").flatMap((s) => s.Action);
    // then
    expect(variables.filter((v) => v.type !== "PLAINTEXT")).toEqual([]);
    expect(actions.filter((a) => /^secretsmanager:|Comment/.test(a))).toEqual([]);
    expect(actions).toContain("s3:PutObject");
  });

  it("has pr-preview upload its result where the poster reads it, and expires it", () => {
    // given
    const project = named(stack, "aws:codebuild/project:Project", "silkroute-pr-preview")!;
    const bucket = (project.inputs.artifacts as { location: string }).location;
    // when
    const reads = allowsOf(stack, "silkroute-commenter").filter((s) =>
      s.Action.includes("s3:GetObject"),
    );
    const lifecycle = stack.resources.find(
      (r) =>
        r.type === "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration" &&
        r.inputs.bucket === bucket,
    )!;
    // then
    expect(reads.flatMap((s) => s.Resource)).toEqual([
      `arn:aws:s3:::${bucket}/pr-preview-results/*`,
    ]);
    expect(lifecycle.inputs.rules).toContainEqual(
      expect.objectContaining({
        filter: { prefix: "pr-preview-results/" },
        expiration: { days: 7 },
      }),
    );
  });

  it("lets the poster decrypt the results through the pipeline Region's artifact key", () => {
    const keys = stack.resources.filter((r) => r.type === "aws:kms/key:Key");
    const users = keys.flatMap((k) =>
      policy(k).flatMap((s) => (s as unknown as { Principal: { AWS: unknown } }).Principal.AWS),
    );
    expect(users).toContain("arn:aws:iam::123456789012:role/silkroute-commenter");
  });

  it("runs the poster on its own role, started by the pr-preview project's end", () => {
    const fn = named(stack, "aws:lambda/function:Function", "silkroute-commenter")!;
    expect(fn.inputs.role).toBe("arn:aws:iam::123456789012:role/silkroute-commenter");
    const rule = stack.resources.find(
      (r) => r.type === "aws:cloudwatch/eventRule:EventRule" && /pr-commenter/.test(r.name),
    )!;
    expect(JSON.parse(String(rule.inputs.eventPattern)).detail["project-name"]).toEqual([
      "silkroute-pr-preview",
    ]);
  });
});

describe("the global stack with a GitHub source and no token secret", () => {
  it("deploys no poster: nothing could comment", async () => {
    // given / when
    const stack = await planGlobal(GITHUB(""));
    // then
    expect(named(stack, "aws:lambda/function:Function", "silkroute-commenter")).toBeUndefined();
    expect(named(stack, "aws:iam/role:Role", "silkroute-commenter")).toBeUndefined();
  });
});
