import { load } from "js-yaml";
import * as path from "path";
import { readBuildspec } from "../../components/buildspecs";
import { loadProjectConfig } from "../../automation/targets";
import { chinaKeyParameterNames } from "../../components/naming";
import type { ChinaConfig } from "../../stacks/config/china";
import { describeWithCli, REPO } from "./cli";
import { chinaConfigOf, mutations, seedChinaBootstrap } from "./fixtures";
import { PIPELINE_ACCOUNT, Sandbox, TestKey } from "./sandbox";
import { expectOk, restoreEnv, silkroute } from "./silkroute";

const ACCESS_KEY = "aws:iam/accessKey:AccessKey";
const PARAMETER = "aws:ssm/parameter:Parameter";
/** A rule the shipped config keeps and a prod without approval breaks. */
const RULE = "pipeline-approval-before-prod";

// The two project stacks end to end under the real engine and the AWS double,
// with the CrossGuard pack (policy-pack/, built as `npm run build` does): each
// step depends on the one before (china reads global; rotation rotates what
// china created), as they do for an operator.
describeWithCli("global and china stacks under the real engine", (cli) => {
  jest.setTimeout(240_000);
  let sandbox: Sandbox;
  let china: ChinaConfig;
  let bootstrap: Map<string, TestKey>;
  /** Every China deploy secret key the stacks have issued, for the leak check. */
  const deploySecrets: string[] = [];
  const up = (stack: string, run: string, extra: string[] = []) =>
    sandbox.pulumiOk(["up", "--stack", stack, "--yes", "--skip-preview", ...extra], { run });
  const withPack = (stack: string) =>
    sandbox.pulumi(["preview", "--stack", stack, "--policy-pack", "policy-pack"]);
  const parameter = (name: string) =>
    sandbox.store.getParameter(PIPELINE_ACCOUNT, china.globalRegion, name);

  beforeAll(async () => {
    sandbox = new Sandbox(cli);
    await sandbox.installAwsDouble();
    sandbox.copyProject();
    china = chinaConfigOf(sandbox.project);
    bootstrap = seedChinaBootstrap(sandbox, china);
    const tsc = path.join(REPO, "node_modules", ".bin", "tsc");
    const build = await sandbox.exec(tsc, ["-p", "tsconfig.build.json"]);
    if (build.code !== 0) throw new Error(`npm run build failed: ${build.stdout}${build.stderr}`);
    await sandbox.pulumiOk(["stack", "init", "global"]);
  });
  afterAll(() => {
    restoreEnv();
    sandbox?.cleanup();
  });

  it("pulumi preview --policy-pack passes the shipped global config before the first deploy", async () => {
    // given an empty stack: every new resource's ARN is unknown in this preview / when
    const result = await withPack("global");
    // then the pack ran (named in the Policies section) and reported nothing
    expect(result.stdout + result.stderr).toMatch(/silkroute@v\d/);
    expect(result.stdout + result.stderr).not.toMatch(/mandatory/);
    expect(result.code).toBe(0);
  });

  it(`pulumi preview --policy-pack fails a prod without approval, naming ${RULE}`, async () => {
    // given prod's manual approval removed
    const prod = ["config", "set", "--stack", "global", "--path"];
    const index = loadProjectConfig(sandbox.project).environments.findIndex(
      (e) => e.name === "prod",
    );
    expect(index).toBeGreaterThanOrEqual(0);
    await sandbox.pulumiOk([...prod, `silkroute:environments[${index}].approval`, "false"]);
    // when
    const result = await withPack("global");
    // then
    await sandbox.pulumiOk([...prod, `silkroute:environments[${index}].approval`, "true"]);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain(RULE);
  });

  it("pulumi up --stack global creates the pipeline with the shipped config", async () => {
    // given the shipped Pulumi.global.yaml / when
    await up("global", "global-1");
    // then every resource was created by the explicit us-east-1 provider in the pipeline account
    const created = mutations(sandbox.store.calls(), "global-1");
    expect(created.length).toBeGreaterThan(20);
    expect(created.every((c) => c.call === "create")).toBe(true);
    expect(created.every((c) => c.provider?.account === PIPELINE_ACCOUNT)).toBe(true);
    const outputs = JSON.parse(
      (await sandbox.pulumiOk(["stack", "output", "--stack", "global", "--json"])).stdout,
    );
    expect(outputs.parameterKeyArn).toMatch(
      new RegExp(`^arn:aws:kms:us-east-1:${PIPELINE_ACCOUNT}:key/`),
    );
  });

  it("pulumi up --stack global again changes nothing", async () => {
    // given the stack just deployed / when
    const again = await up("global", "global-2", ["--expect-no-changes"]);
    // then
    expect(again.stdout).not.toMatch(/[1-9]\d* to (create|update|replace|delete)/);
    expect(mutations(sandbox.store.calls(), "global-2")).toEqual([]);
  });

  it("pulumi up --stack china reads the global stack and writes each deploy key back to SSM", async () => {
    // given the global stack and the bootstrap keys in SSM
    await sandbox.pulumiOk(["stack", "init", "china"]);
    const global = JSON.parse(
      (await sandbox.pulumiOk(["stack", "output", "--stack", "global", "--json"])).stdout,
    );
    // when
    await up("china", "china-1");
    // then each environment's user is in its China account, in aws-cn
    const created = mutations(sandbox.store.calls(), "china-1");
    for (const env of china.environments) {
      const user = created.find(
        (c) => c.type === "aws:iam/user:User" && c.name?.startsWith(`${env.name}-`),
      );
      expect(user?.arn).toMatch(new RegExp(`^arn:aws-cn:iam::${env.accountId}:user/silkroute/`));
      // and its key is written back as SecureString under the global stack's parameter key
      const names = chinaKeyParameterNames(env.parameterPrefix);
      const id = parameter(names.accessKey);
      const secret = parameter(names.secretKey);
      expect(id?.type).toBe("SecureString");
      expect(id?.keyId).toBe(global.parameterKeyArn);
      expect(sandbox.store.identify(id!.value, secret!.value)?.account).toBe(env.accountId);
      expect(parameter(names.bucket)?.value).toMatch(/\S/);
      deploySecrets.push(secret!.value);
    }
  });

  it("pulumi preview --policy-pack passes the deployed china stack", async () => {
    // given the china stack just deployed / when
    const result = await withPack("china");
    // then
    expect(result.stdout + result.stderr).toMatch(/silkroute@v\d/);
    expect(result.stdout + result.stderr).not.toMatch(/mandatory/);
    expect(result.code).toBe(0);
  });

  it("silkroute preview --stacks global,china previews the deployed stacks from the project, unchanged", async () => {
    // given both stacks deployed in the sandbox's backend (PULUMI_BACKEND_URL) / when
    const run = await silkroute(
      sandbox,
      ["preview", "--env", "dev", "--stacks", "global,china"],
      "pr",
    );
    // then
    expectOk(run);
    for (const stack of ["global", "china"]) {
      expect(run.out).toMatch(
        new RegExp(`^${stack}: 0 create, 0 update, 0 replace, 0 delete`, "m"),
      );
    }
    expect(mutations(sandbox.store.calls(), "pr")).toEqual([]);
  });

  it("rotates a key create-then-delete, with the SSM parameters updated in the same update", async () => {
    // given dev's current deploy key
    const [dev, ...others] = china.environments;
    const names = chinaKeyParameterNames(dev.parameterPrefix);
    const oldId = parameter(names.accessKey)!.value;
    const oldSecret = parameter(names.secretKey)!.value;
    // when its rotation is forced (a new window) and the stack is updated
    await sandbox.pulumiOk([
      "config",
      "set",
      "--stack",
      "china",
      "--path",
      "silkroute:environments[0].rotationNonce",
      "engine-test-rotation",
    ]);
    await up("china", "china-rotate");
    // then the new key is created, both parameters updated, and only then the old key deleted
    const calls = mutations(sandbox.store.calls(), "china-rotate");
    const at = (p: (c: (typeof calls)[number]) => boolean) => calls.findIndex(p);
    const created = at((c) => c.type === ACCESS_KEY && c.call === "create");
    const deleted = at((c) => c.type === ACCESS_KEY && c.call === "delete");
    const paramUpdates = calls
      .map((c, i) => ({ c, i }))
      .filter(({ c }) => c.type === PARAMETER && c.call === "update")
      .map(({ c, i }) => ({ id: c.id, i }));
    expect(created).toBeGreaterThanOrEqual(0);
    expect(calls[deleted]?.id).toBe(oldId);
    expect(paramUpdates.map((u) => u.id).sort()).toEqual([names.accessKey, names.secretKey].sort());
    for (const u of paramUpdates) {
      expect(u.i).toBeGreaterThan(created);
      expect(u.i).toBeLessThan(deleted);
    }
    // and the parameters now hold the new key, which works; the old one does not
    const newId = parameter(names.accessKey)!.value;
    const newSecret = parameter(names.secretKey)!.value;
    expect(newId).not.toBe(oldId);
    expect(sandbox.store.identify(newId, newSecret)?.account).toBe(dev.accountId);
    expect(sandbox.store.identify(oldId, oldSecret)).toBeUndefined();
    deploySecrets.push(newSecret);
    // and no other environment's key changed
    const touched = calls.filter((c) => c.type === ACCESS_KEY).map((c) => c.name);
    for (const env of others)
      expect(touched.some((n) => n?.startsWith(`${env.name}-`))).toBe(false);
  });

  it("the scheduled rotation's command rotates the deploy keys and touches nothing else of the china stack", async () => {
    // given stage's rotation forced, and a change to the buckets waiting in the config
    const stage = china.environments.findIndex((e) => e.name === "stage");
    const set = (key: string, value: string) =>
      sandbox.pulumiOk(["config", "set", "--stack", "china", "--path", key, value]);
    await set(`silkroute:environments[${stage}].rotationNonce`, "scheduled-rotation");
    await set("silkroute:noncurrentVersionDays", "45");
    // when the rotation project's command runs, as its buildspec has it
    const spec = load(readBuildspec("rotation")) as { phases: { build: { commands: string[] } } };
    const [command] = spec.phases.build.commands;
    const argv = (command.match(/'[^']*'|\S+/g) ?? []).map((w) => w.replace(/^'|'$/g, ""));
    expect(argv[0]).toBe("pulumi");
    const result = await sandbox.pulumi(argv.slice(1), { run: "scheduled-rotation" });
    await sandbox.pulumiOk(["config", "rm", "--stack", "china", "silkroute:noncurrentVersionDays"]);
    // then only stage's key and its parameters changed: no bucket, no other environment
    expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 0 });
    const changed = mutations(sandbox.store.calls(), "scheduled-rotation");
    expect(new Set(changed.map((c) => c.type))).toEqual(new Set([ACCESS_KEY, PARAMETER]));
    expect(changed.every((c) => c.name?.startsWith("stage-"))).toBe(true);
    const names = chinaKeyParameterNames(china.environments[stage].parameterPrefix);
    deploySecrets.push(parameter(names.secretKey)!.value);
  });

  it("refuses a bootstrap key of another China account than the environment's accountId", async () => {
    // given stage's bootstrap parameters holding a key of prod's account
    const stage = china.environments.find((e) => e.name === "stage")!;
    const prod = china.environments.find((e) => e.accountId !== stage.accountId)!;
    const original = parameter(stage.bootstrap.accessKeyIdParameter)!;
    const originalSecret = parameter(stage.bootstrap.secretAccessKeyParameter)!;
    const foreign = bootstrap.get(prod.name)!;
    const put = (p: typeof original, value: string) =>
      sandbox.store.putParameter(PIPELINE_ACCOUNT, china.globalRegion, { ...p, value });
    put(original, foreign.accessKeyId);
    put(originalSecret, foreign.secretAccessKey);
    // when
    const result = await sandbox.pulumi(["preview", "--stack", "china"], { run: "foreign-key" });
    put(original, original.value);
    put(originalSecret, originalSecret.value);
    // then
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain(
      `AWS account ID not allowed: ${prod.accountId}`,
    );
  });

  it("keeps every China key, bootstrap key and the passphrase out of state, logs and output", async () => {
    // given everything the runs above wrote and printed, and the state exported
    await sandbox.pulumiOk(["stack", "export", "--stack", "china"]);
    const secrets = [
      sandbox.passphrase,
      ...deploySecrets,
      ...[...bootstrap.values()].flatMap((k) => [k.accessKeyId, k.secretAccessKey]),
    ];
    // one key per environment, and one from each of the two rotations above
    expect(deploySecrets.length).toBe(china.environments.length + 2);
    const places = [
      ...sandbox.stateFiles(),
      { file: "provider double's call log", text: JSON.stringify(sandbox.store.calls()) },
      { file: "pulumi output", text: sandbox.transcript.join("\n") },
    ];
    // when searching them
    const leaks = places.flatMap(({ file, text }) =>
      secrets.filter((s) => text.includes(s)).map((s) => `${file}: ${s.slice(0, 4)}…`),
    );
    // then none holds one
    expect(places.length).toBeGreaterThan(3);
    expect(leaks).toEqual([]);
  });

  it("pulumi up --stack global with the scheduled checks and rotation on: the pack passes, a second up changes nothing", async () => {
    // given the day-2 keys set
    const set = (key: string, value: string) =>
      sandbox.pulumiOk(["config", "set", "--stack", "global", "--path", key, value]);
    await set("silkroute:operations.checks", "true");
    await set("silkroute:operations.rotation", "true");
    await set("silkroute:notifications.emails[0]", "ops@example.com");
    // when
    const preview = await withPack("global");
    await up("global", "global-ops");
    const again = await up("global", "global-ops-2", ["--expect-no-changes"]);
    // then
    expect(preview.stdout + preview.stderr).not.toMatch(/mandatory/);
    expect(preview.code).toBe(0);
    const created = mutations(sandbox.store.calls(), "global-ops").filter(
      (c) => c.call === "create",
    );
    const types = new Set(created.map((c) => c.type));
    for (const type of [
      "aws:scheduler/schedule:Schedule",
      "aws:codebuild/project:Project",
      "aws:sns/topicSubscription:TopicSubscription",
      "aws:codestarnotifications/notificationRule:NotificationRule",
    ]) {
      expect(types).toContain(type);
    }
    expect(again.code).toBe(0);
  });
});
