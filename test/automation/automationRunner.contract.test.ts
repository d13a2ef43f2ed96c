import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Redactor } from "../../automation/redact";
import { resolveWorkspaceSettings } from "../../automation/pulumi/settings";
import type { PulumiRunner } from "../../automation/pulumi/runner";
import { describeWithCli } from "../engine/cli";

// The real Automation API wrapper against a local file:// backend, with a
// program that creates no cloud resource. Needs the Pulumi CLI: on PATH or
// built into .tools/bin by scripts/pulumi-cli.sh (skipped, saying so, without
// one; a failure under CI=true).
describeWithCli("AutomationRunner (contract, real Pulumi CLI)", (cli) => {
  jest.setTimeout(180_000);
  const saved = { ...process.env };
  let runner: PulumiRunner;
  let projectDir: string;
  const program = async () => ({ greeting: "hello", region: "none" });
  const spec = { stackName: "contract-test", program };

  beforeAll(async () => {
    projectDir = fs.mkdtempSync(path.join(os.tmpdir(), "silkroute-contract-"));
    // The runner looks for `pulumi` on PATH, as in CodeBuild; the CLI keeps its state here.
    process.env.PATH = `${cli.binDir}${path.delimiter}${process.env.PATH ?? ""}`;
    process.env.PULUMI_HOME = path.join(projectDir, "pulumi-home");
    process.env.PULUMI_SKIP_UPDATE_CHECK = "true";
    const settings = resolveWorkspaceSettings(
      {},
      { PULUMI_CONFIG_PASSPHRASE: "contract-test-passphrase" },
      projectDir,
      new Redactor(),
    );
    const { createAutomationRunner } =
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load (module node16)
      require("../../automation/pulumi/automationRunner") as typeof import("../../automation/pulumi/automationRunner");
    runner = createAutomationRunner(settings);
  });

  afterAll(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    fs.rmSync(projectDir, { recursive: true, force: true });
  });

  it("finds the CLI", async () => {
    // given the runner / when / then
    await expect(runner.ensureCli()).resolves.toBeUndefined();
  });

  it("reports no outputs for a stack that does not exist", async () => {
    // given no stack / when / then
    await expect(runner.outputs("never-created")).resolves.toBeUndefined();
  });

  it("previews, streaming whole lines", async () => {
    // given
    const lines: string[] = [];
    // when
    const outcome = await runner.preview(spec, (l) => lines.push(l));
    // then
    expect(outcome.changeSummary.create).toBe(1);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => !l.includes("\n"))).toBe(true);
  });

  it("previews a stack never deployed against an empty stack, without creating it", async () => {
    // given no stack / when
    const outcome = await runner.preview(spec, () => undefined);
    // then
    expect(outcome.notDeployed).toBe(true);
    await expect(runner.outputs(spec.stackName)).resolves.toBeUndefined();
  });

  it("updates and returns the program's outputs", async () => {
    // given / when
    const outcome = await runner.up(spec, () => undefined);
    // then
    expect(outcome.outputs.greeting).toEqual({ value: "hello", secret: false });
  });

  it("reads the outputs back from the file:// state, in a new workspace", async () => {
    // given the update above / when
    const outputs = await runner.outputs("contract-test");
    // then
    expect(outputs?.greeting.value).toBe("hello");
    expect(fs.existsSync(path.join(projectDir, ".pulumi-state", ".pulumi"))).toBe(true);
  });

  it("previews a deployed stack in its own backend", async () => {
    // given the stack deployed above / when
    const outcome = await runner.preview(spec, () => undefined);
    // then
    expect(outcome.notDeployed).toBeUndefined();
    expect(outcome.changeSummary.create ?? 0).toBe(0);
  });

  it("previews a deployed stack fresh, against an empty stack, when asked", async () => {
    // given the stack deployed above / when
    const outcome = await runner.preview(spec, () => undefined, { fresh: true });
    // then: everything is a create again, as for a stack never deployed
    expect(outcome.fresh).toBe(true);
    expect(outcome.changeSummary.create ?? 0).toBeGreaterThan(0);
  });

  it("refreshes with the program re-run", async () => {
    // given the stack / when / then
    await expect(runner.refresh(spec, () => undefined)).resolves.toBeUndefined();
  });

  it("destroys, then finds nothing to destroy once the stack is removed", async () => {
    // given the stack / when / then
    await expect(runner.destroy(spec, () => undefined)).resolves.toBe("destroyed");
    await expect(
      runner.destroy({ ...spec, stackName: "never-created" }, () => undefined),
    ).resolves.toBe("absent");
  });
});
