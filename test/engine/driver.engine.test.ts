import * as fs from "fs";
import * as path from "path";
import type { DriverServices } from "../../automation/driver/context";
import { loadProjectConfig } from "../../automation/targets";
import { chinaKeyParameterNames } from "../../components/naming";
import { sha256 } from "./awsDouble/store";
import { AwsEndpoints, startAwsEndpoints } from "./awsEndpoints";
import { describeWithCli } from "./cli";
import { chinaConfigOf, mutations } from "./fixtures";
import { PIPELINE_ACCOUNT, Sandbox, TestKey } from "./sandbox";
import { DriverRun, expectOk, restoreEnv, silkroute as runSilkroute } from "./silkroute";

const FUNCTION = "aws:lambda/function:Function";
/** Lock retries short enough for a test: 3 attempts, 0.2 s then 0.4 s apart. */
const SHORT_RETRY = { attempts: 3, baseDelayMs: 200, maxDelayMs: 400 };
const CODE = "aws:s3/bucketObjectv2:BucketObjectv2";
/** dev's function in China, as the engine names it. */
const CHINA_FN = `urn:pulumi:dev-china::silkroute::${FUNCTION}::app-fn`;

// `silkroute` in this process through the real Automation API and Pulumi CLI:
// the app stacks' providers are the AWS double, and the driver's own SSM and
// STS calls go to local endpoints over HTTP (AWS_ENDPOINT_URL_SSM / _STS)
// answered from the double's store, where the china stack would have written
// the China deploy key.
describeWithCli("silkroute driver under the real Automation API", (cli) => {
  jest.setTimeout(240_000);
  let sandbox: Sandbox;
  let endpoints: AwsEndpoints;
  let chinaKey: TestKey;
  let chinaAccount: string;
  let staleLocks: { file: string; text: string }[] = [];
  /** The lock files in the file:// backend (one per update holding a stack, with its .attrs). */
  const lockFiles = (): string[] => {
    const walk = (dir: string): string[] =>
      fs.existsSync(dir)
        ? fs
            .readdirSync(dir, { withFileTypes: true })
            .flatMap((e) =>
              e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)],
            )
        : [];
    return walk(path.join(sandbox.backend, ".pulumi", "locks"));
  };

  const endpointEnv = () => ({
    AWS_ENDPOINT_URL_SSM: endpoints.url,
    AWS_ENDPOINT_URL_STS: endpoints.url,
    AWS_ENDPOINT_URL_S3: endpoints.url,
  });
  const silkroute = (
    argv: string[],
    run: string,
    services: Partial<DriverServices> = {},
  ): Promise<DriverRun> => runSilkroute(sandbox, argv, run, { env: endpointEnv(), services });

  beforeAll(async () => {
    sandbox = new Sandbox(cli);
    await sandbox.installAwsDouble();
    sandbox.copyProject();
    endpoints = await startAwsEndpoints(sandbox.store);
    // What `pulumi up --stack global` and `--stack china` leave for the driver (see
    // stacks.engine.test.ts): the artifact bucket's name and dev's China deploy key in SSM.
    const cfg = loadProjectConfig(sandbox.project);
    const dev = cfg.environments.find((e) => e.name === "dev")!;
    chinaAccount = chinaConfigOf(sandbox.project).environments.find(
      (e) => e.name === "dev",
    )!.accountId!;
    chinaKey = sandbox.addKey(
      chinaAccount,
      "aws-cn",
      `arn:aws-cn:iam::${chinaAccount}:user/silkroute/silkroute-dev-china-deployer`,
    );
    const put = (name: string, value: string, type = "SecureString") =>
      sandbox.store.putParameter(PIPELINE_ACCOUNT, cfg.pipelineRegion, {
        name,
        type,
        value,
        version: 1,
        arn: `arn:aws:ssm:${cfg.pipelineRegion}:${PIPELINE_ACCOUNT}:parameter${name}`,
      });
    const names = chinaKeyParameterNames(dev.chinaParameterPrefix);
    put(names.accessKey, chinaKey.accessKeyId);
    put(names.secretKey, chinaKey.secretAccessKey);
    put(names.bucket, "silkroute-dev-artifacts-cn", "String");
    put(cfg.ssmParameters.deploymentBucket, "silkroute-artifacts-us-east-1", "String");
  });
  afterAll(async () => {
    restoreEnv();
    await endpoints?.close();
    sandbox?.cleanup();
  });

  it("deploy --env dev --target all deploys both targets side by side, each in its partition and account", async () => {
    // given dev's targets never deployed, and the double holding every function create
    sandbox.store.closeGate(FUNCTION);
    // when
    const deploy = silkroute(
      ["deploy", "--env", "dev", "--target", "all", "--app-version", "v1"],
      "deploy",
    );
    // then both updates reach their function at once: the targets run concurrently
    await waitFor(
      () =>
        sandbox.store
          .calls()
          .filter((c) => c.run === "deploy" && c.call === "create-waiting" && c.type === FUNCTION)
          .length === 2,
    );
    sandbox.store.openGate(FUNCTION);
    const run = await deploy;
    expect(run.err).toContain("deploy succeeded for dev-us-east-1, dev-china");
    expectOk(run);
    const fns = mutations(sandbox.store.calls(), "deploy").filter((c) => c.type === FUNCTION);
    expect(fns.map((c) => c.arn).sort()).toEqual([
      `arn:aws-cn:lambda:cn-north-1:${chinaAccount}:function:silkroute-dev-fn`,
      `arn:aws:lambda:us-east-1:${PIPELINE_ACCOUNT}:function:silkroute-dev-fn`,
    ]);
    // and the China key was read from SSM and verified at China STS over HTTP
    const endpointCalls = sandbox.store.calls().filter((c) => c.call === "endpoint");
    expect(endpointCalls).toContainEqual(
      expect.objectContaining({ service: "sts", region: "cn-north-1", account: chinaAccount }),
    );
  });

  it("status, outputs --json and preview read the deployed stacks", async () => {
    // given the deployment above / when
    const status = await silkroute(["status", "--env", "dev"], "status");
    const outputs = await silkroute(["outputs", "--env", "dev", "--json"], "outputs");
    const preview = await silkroute(
      ["preview", "--env", "dev", "--target", "all", "--app-version", "v1"],
      "preview",
    );
    // then
    expectOk(status);
    expect(status.err).toContain("every target runs v1");
    expectOk(outputs);
    const json = JSON.parse(outputs.out);
    expect(JSON.stringify(json)).toContain(`arn:aws-cn:iam::${chinaAccount}:role/`);
    expectOk(preview);
    for (const stack of ["dev-us-east-1", "dev-china"]) {
      expect(preview.out).toMatch(new RegExp(`${stack}: 0 create, 0 update, 0 replace, 0 delete`));
    }
    expect(mutations(sandbox.store.calls(), "preview")).toEqual([]);
  });

  it("drift finds a function changed by hand in Beijing, and writes nothing", async () => {
    // given someone raised the China function's memory in the console
    sandbox.store.changeOutOfBand(CHINA_FN, { memorySize: 512 });
    const backendFiles = () =>
      sandbox.stateFiles().filter((f) => f.file.startsWith(sandbox.backend));
    const before = backendFiles();
    // when
    const run = await silkroute(["drift", "--env", "dev"], "drift");
    // then it is reported with the property, the other target clean, exit 1
    expect(run.code).toBe(1);
    expect(run.out).toContain("dev-china: 1 resource drifted");
    expect(run.out).toContain("~ aws:lambda/function:Function app-fn");
    expect(run.out).toContain("memorySize: 128 → 512");
    expect(run.out).toContain("dev-us-east-1: no drift");
    expect(run.err).toContain("silkroute rollback --env dev --target china --to v1 --refresh");
    // and the functions were read, nothing changed, no state written, no lock left
    const reads = sandbox.store.calls().filter((c) => c.run === "drift" && c.call === "read");
    expect(reads.filter((c) => c.type === FUNCTION)).toHaveLength(2);
    expect(mutations(sandbox.store.calls(), "drift")).toEqual([]);
    expect(backendFiles()).toEqual(before);
    expect(lockFiles()).toEqual([]);
  });

  it("rollback --to the deployed version --refresh undoes the drift from the kept zip", async () => {
    // given the drift above / when the printed fix is run
    const run = await silkroute(
      ["rollback", "--env", "dev", "--target", "china", "--to", "v1", "--refresh"],
      "undo-drift",
    );
    // then the function is set back, nothing is uploaded, and drift finds nothing
    expectOk(run);
    const changed = mutations(sandbox.store.calls(), "undo-drift");
    expect(changed.filter((c) => c.type === FUNCTION).map((c) => c.call)).toEqual(["update"]);
    expect(changed.filter((c) => c.type === CODE && c.call === "create")).toEqual([]);
    const again = await silkroute(["drift", "--env", "dev", "--json"], "drift-2");
    expectOk(again);
    expect(JSON.parse(again.out)).toMatchObject({ env: "dev", drifted: false });
  });

  it("previews a target never deployed against an empty stack, in its cross-account role's account", async () => {
    // given stage, deployed into another account through a role there, never deployed
    const cfg = loadProjectConfig(sandbox.project);
    const stage = cfg.environments.find((e) => e.crossAccount)!;
    const region = stage.globalRegions[0];
    // when
    const run = await silkroute(
      ["preview", "--env", stage.name, "--target", region, "--app-version", "v1"],
      "preview-new",
    );
    // then
    expectOk(run);
    expect(run.out).toContain("not deployed yet: previewed against an empty stack");
    const checked = sandbox.store
      .calls()
      .filter((c) => c.run === "preview-new" && c.call === "check");
    expect(checked.length).toBeGreaterThan(0);
    expect(checked.every((c) => c.provider?.account === stage.crossAccount!.accountId)).toBe(true);
    expect(mutations(sandbox.store.calls(), "preview-new")).toEqual([]);
  });

  it("a second deploy of a locked stack retries, then names the lock holder", async () => {
    // given a deploy of v2 held open inside its update (the double waits at the code upload)
    sandbox.store.closeGate(CODE);
    const args = ["deploy", "--env", "dev", "--target", "us-east-1", "--app-version", "v2"];
    const first = silkroute(args, "lock");
    await waitFor(() =>
      sandbox.store
        .calls()
        .some((c) => c.run === "lock" && c.call === "create-waiting" && c.type === CODE),
    );
    staleLocks = lockFiles().map((file) => ({ file, text: fs.readFileSync(file, "utf8") }));
    // when the same deploy starts again, with short retries
    const second = await silkroute(args, "lock", { lockRetry: SHORT_RETRY });
    sandbox.store.openGate(CODE);
    // then it gave up after its attempts, naming who holds the lock
    expect(second.code).toBe(1);
    expect(second.err).toMatch(/retrying in \d+ s \(attempt 2 of 3\)/);
    expect(second.err).toMatch(
      /stack dev-us-east-1 is locked by another update \(.*created by .*\(pid \d+\)/,
    );
    expect(second.err).toContain("gave up after 3 attempts");
    // and the first one finished
    expectOk(await first);
    const status = await silkroute(["status", "--env", "dev"], "status-2");
    expect(status.code).toBe(1);
    expect(status.err).toContain("targets differ");
  });

  it("a lock left behind by a crashed update goes with the pulumi cancel command printed", async () => {
    // given the lock of the update above left in the backend, as a killed CodeBuild run leaves it
    expect(staleLocks.filter((l) => l.file.endsWith(".json"))).toHaveLength(1);
    for (const { file, text } of staleLocks) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    }
    const args = ["deploy", "--env", "dev", "--target", "us-east-1", "--app-version", "v2"];
    const locked = await silkroute(args, "stale", { lockRetry: SHORT_RETRY });
    expect(locked.code).toBe(1);
    // when the command the driver prints is run (with --yes: no terminal here to confirm)
    const command = /remove the lock with: (pulumi cancel .*)$/m.exec(locked.err)![1];
    const cancel = await sandbox.exec("sh", ["-c", `${command} --yes`]);
    // then the lock is gone and the deploy goes through
    expect({ command, code: cancel.code, stderr: cancel.stderr }).toMatchObject({ code: 0 });
    expect(lockFiles()).toEqual([]);
    expectOk(await silkroute(args, "stale"));
  });

  it("deploy --refresh refreshes with the program re-run, then updates", async () => {
    // given china still on v1 / when it is refreshed and brought to v2
    const run = await silkroute(
      ["deploy", "--env", "dev", "--target", "china", "--app-version", "v2", "--refresh"],
      "refresh",
    );
    // then the double was read for the refresh, and the environment is in sync again
    expectOk(run);
    const reads = sandbox.store.calls().filter((c) => c.run === "refresh" && c.call === "read");
    expect(reads.length).toBeGreaterThan(0);
    const status = await silkroute(["status", "--env", "dev"], "status-3");
    expect(status.err).toContain("every target runs v2");
  });

  it("rollback --to previous brings both targets back to v1 from the kept zips, rebuilding nothing", async () => {
    // given dev at v2 in both targets (above), v1's zips kept in both partitions' buckets
    // when
    const run = await silkroute(["rollback", "--env", "dev", "--to", "previous"], "rollback");
    // then
    expectOk(run);
    expect(run.err).toContain("rolling dev back to v1");
    const changed = mutations(sandbox.store.calls(), "rollback");
    expect(changed.filter((c) => c.type === CODE && c.call === "create")).toEqual([]);
    expect(changed.filter((c) => c.type === FUNCTION && c.call === "update")).toHaveLength(2);
    // v2's zips stay where they are (retainOnDelete), so rolling forward needs no rebuild either
    expect(changed.filter((c) => c.type === CODE && c.call === "delete")).toEqual([]);
    const status = await silkroute(["status", "--env", "dev"], "status-4");
    expectOk(status);
    expect(status.err).toContain("every target runs v1");
  });

  it("rollback to a version no longer kept is exit 2 listing the kept ones", async () => {
    // given / when
    const run = await silkroute(["rollback", "--env", "dev", "--to", "v0"], "rollback-gone");
    // then
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/version v0 is no longer kept for .*newest first: v2, v1/);
    expect(mutations(sandbox.store.calls(), "rollback-gone")).toEqual([]);
  });

  it("destroy --yes deletes every target's resources", async () => {
    // given both targets deployed / when
    const run = await silkroute(["destroy", "--env", "dev", "--target", "all", "--yes"], "destroy");
    // then
    expectOk(run);
    const deleted = mutations(sandbox.store.calls(), "destroy").filter((c) => c.call === "delete");
    expect(deleted.filter((c) => c.type === FUNCTION)).toHaveLength(2);
  });

  it("never hands the China key to a child process, a file or the output", () => {
    // given everything the runs above left / when searching for the key
    const secrets = [chinaKey.accessKeyId, chinaKey.secretAccessKey];
    const starts = sandbox.store.calls().filter((c) => c.call === "start");
    const digests = new Set(
      starts.flatMap((c) => [...(c.env as string[]), ...(c.argv as string[])]),
    );
    const places = [
      ...sandbox.stateFiles(),
      { file: "driver output", text: sandbox.transcript.join("\n") },
      { file: "provider double's call log", text: JSON.stringify(sandbox.store.calls()) },
    ];
    // then no plugin process had it in its environment or arguments
    expect(starts.length).toBeGreaterThan(2);
    expect(secrets.filter((s) => digests.has(sha256(s)))).toEqual([]);
    // and no state file, workspace file or line of output holds it
    const leaks = places.flatMap(({ file, text }) =>
      secrets.filter((s) => text.includes(s)).map((s) => `${file}: ${s.slice(0, 4)}…`),
    );
    expect(leaks).toEqual([]);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 200));
  }
}
