import * as fs from "fs";
import * as path from "path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { AutomationRunner } from "../../automation/pulumi/automationRunner";
import {
  describePulumiError,
  isConcurrentUpdate,
  lockHolder,
} from "../../automation/pulumi/errors";
import { lineSplitter, WorkspaceSettings } from "../../automation/pulumi/runner";
import { concurrentUpdateError } from "../helpers/fakePulumi";
import { tempDir } from "../helpers/tempDir";

// The wrapper's calls into the Automation API, with LocalWorkspace replaced
// (no CLI here); the contract test runs the real thing where `pulumi` exists.
describe("AutomationRunner over LocalWorkspace", () => {
  const settings: WorkspaceSettings = {
    projectDir: "/project",
    backendUrl: "s3://state?region=us-east-1",
    secretsProvider: "awskms://alias/silkroute-pulumi-state?region=us-east-1",
    workspacesDir: tempDir("silkroute-ws-"),
    envVars: { PULUMI_CONFIG_PASSPHRASE_FILE: "/run/pass" },
  };
  const program = async () => ({});
  const stack = {
    up: jest.fn().mockResolvedValue({ outputs: { v: { value: "1", secret: false } }, summary: {} }),
    preview: jest.fn().mockResolvedValue({ changeSummary: { create: 1 }, stdout: "" }),
    refresh: jest.fn().mockResolvedValue({}),
    destroy: jest.fn().mockResolvedValue({}),
    setConfig: jest.fn(),
    setAllConfig: jest.fn(),
  };
  let create: jest.SpyInstance;
  let select: jest.SpyInstance;
  beforeEach(() => {
    create = jest.spyOn(LocalWorkspace, "createOrSelectStack").mockResolvedValue(stack as never);
    select = jest.spyOn(LocalWorkspace, "selectStack").mockResolvedValue(stack as never);
  });
  afterEach(() => jest.restoreAllMocks());

  it("sets project and stack settings in code: backend, secrets provider on both, no default providers", async () => {
    // given
    const runner = new AutomationRunner(settings);
    // when
    await runner.up({ stackName: "dev-china", program }, () => undefined);
    // then
    const [args, options] = create.mock.calls[0];
    expect(args).toEqual({ projectName: "silkroute", stackName: "dev-china", program });
    // the stack's own encryption context: only dev's deploy identity may decrypt its secrets
    const stackProvider = `${settings.secretsProvider}&context_silkroute-stack=dev-china`;
    expect(options).toMatchObject({
      workDir: path.join(settings.workspacesDir, "dev-china"),
      secretsProvider: stackProvider,
      envVars: settings.envVars,
      projectSettings: {
        name: "silkroute",
        runtime: "nodejs",
        backend: { url: settings.backendUrl },
      },
      stackSettings: {
        "dev-china": {
          secretsProvider: stackProvider,
          config: { "pulumi:disable-default-providers": ["*"] },
        },
      },
    });
  });

  it("never passes configuration through setConfig (values would be CLI arguments)", async () => {
    // given
    const runner = new AutomationRunner(settings);
    // when
    await runner.up({ stackName: "dev-china", program }, () => undefined);
    // then
    expect(stack.setConfig).not.toHaveBeenCalled();
    expect(stack.setAllConfig).not.toHaveBeenCalled();
  });

  it("refreshes and destroys with the program re-run", async () => {
    // given
    const runner = new AutomationRunner(settings);
    // when
    await runner.refresh({ stackName: "dev-china", program }, () => undefined);
    await runner.destroy({ stackName: "dev-china", program }, () => undefined);
    // then
    expect(stack.refresh.mock.calls[0][0]).toMatchObject({ runProgram: true });
    expect(stack.destroy.mock.calls[0][0]).toMatchObject({ runProgram: true });
  });

  it("streams stdout and stderr as whole lines", async () => {
    // given
    stack.up.mockImplementationOnce(
      async (opts: { onOutput(c: string): void; onError(c: string): void }) => {
        opts.onOutput("Updating (dev");
        opts.onOutput("-china)\n+ app create\ntail");
        opts.onError("warning: slow\n");
        return { outputs: {}, summary: {} };
      },
    );
    const lines: string[] = [];
    // when
    await new AutomationRunner(settings).up({ stackName: "dev-china", program }, (l) =>
      lines.push(l),
    );
    // then
    expect(lines).toEqual(["Updating (dev-china)", "+ app create", "warning: slow", "tail"]);
  });

  it("treats a stack that does not exist as absent for outputs and destroy", async () => {
    // given
    select.mockRejectedValue(Object.assign(new Error("no stack"), { name: "StackNotFoundError" }));
    const runner = new AutomationRunner(settings);
    // when / then
    await expect(runner.outputs("dev-china")).resolves.toBeUndefined();
    await expect(
      runner.destroy({ stackName: "dev-china", program }, () => undefined),
    ).resolves.toBe("absent");
  });

  it("hands the backend to the CLI as PULUMI_BACKEND_URL, which the CLI prefers to Pulumi.yaml", async () => {
    // given
    const runner = new AutomationRunner(settings);
    // when
    await runner.up({ stackName: "dev-china", program }, () => undefined);
    // then
    expect(create.mock.calls[0][1].envVars).toEqual({
      ...settings.envVars,
      PULUMI_BACKEND_URL: settings.backendUrl,
    });
  });

  it("previews a deployed stack by selecting it, never creating it (read-only state access)", async () => {
    // given
    const runner = new AutomationRunner(settings);
    // when
    const outcome = await runner.preview({ stackName: "dev-china", program }, () => undefined);
    // then
    expect(select).toHaveBeenCalledTimes(1);
    expect(create).not.toHaveBeenCalled();
    expect(outcome.notDeployed).toBeUndefined();
  });

  describe("a stack never deployed", () => {
    let createStack: jest.SpyInstance;
    let seen:
      | { options: Record<string, unknown>; stateExisted: boolean; workDirExisted: boolean }
      | undefined;
    beforeEach(() => {
      select.mockRejectedValue(
        Object.assign(new Error("no stack"), { name: "StackNotFoundError" }),
      );
      createStack = jest
        .spyOn(LocalWorkspace, "createStack")
        .mockImplementation(async (_args, options) => {
          const url = String(options?.envVars?.PULUMI_BACKEND_URL ?? "");
          seen = {
            options: options as Record<string, unknown>,
            stateExisted: fs.existsSync(url.replace(/^file:\/\//, "")),
            workDirExisted: fs.existsSync(String(options?.workDir)),
          };
          return stack as never;
        });
    });

    it("is previewed against an empty stack in a throwaway local backend, not in the real one", async () => {
      // given
      const runner = new AutomationRunner(settings);
      const lines: string[] = [];
      // when
      const outcome = await runner.preview({ stackName: "dev-china", program }, (l) =>
        lines.push(l),
      );
      // then
      expect(create).not.toHaveBeenCalled();
      expect(createStack).toHaveBeenCalledTimes(1);
      expect(createStack.mock.calls[0][0]).toEqual({
        projectName: "silkroute",
        stackName: "dev-china",
        program,
      });
      const envVars = (seen!.options.envVars ?? {}) as Record<string, string>;
      expect(envVars.PULUMI_BACKEND_URL).toMatch(/^file:\/\/.*silkroute-preview-/);
      expect(envVars.PULUMI_BACKEND_URL).not.toContain(settings.backendUrl);
      expect(seen!.stateExisted).toBe(true);
      expect(outcome.notDeployed).toBe(true);
      expect(lines[0]).toMatch(
        /dev-china has not been deployed yet: .* every resource shows as a create/,
      );
    });

    it("hands LocalWorkspace a workspace folder that exists (it refuses one that does not)", async () => {
      // given: the real Automation API failed the preview with "Invalid workDir passed to
      // local workspace: … does not exist" (the engine tests showed it)
      const runner = new AutomationRunner(settings);
      // when
      await runner.preview({ stackName: "dev-china", program }, () => undefined);
      // then
      expect(seen!.options.workDir).toMatch(/silkroute-preview-/);
      expect(seen!.workDirExisted).toBe(true);
    });

    it("with fresh, is previewed the same way even when the stack exists, whose state is never read", async () => {
      // given a deployed stack
      select.mockReset();
      const runner = new AutomationRunner(settings);
      const lines: string[] = [];
      // when
      const outcome = await runner.preview(
        { stackName: "dev-china", program },
        (l) => lines.push(l),
        { fresh: true },
      );
      // then: the real backend is not even selected
      expect(select).not.toHaveBeenCalled();
      expect(create).not.toHaveBeenCalled();
      const envVars = (seen!.options.envVars ?? {}) as Record<string, string>;
      expect(envVars.PULUMI_BACKEND_URL).toMatch(/^file:\/\/.*silkroute-preview-/);
      expect(outcome.fresh).toBe(true);
      expect(outcome.notDeployed).toBeUndefined();
      expect(lines[0]).toMatch(/dev-china: previewing against an empty stack, its state not read/);
    });

    it("uses a fresh random passphrase, not the real secrets provider", async () => {
      // given
      const runner = new AutomationRunner(settings);
      // when
      await runner.preview({ stackName: "dev-china", program }, () => undefined);
      const first = (seen!.options.envVars as Record<string, string>).PULUMI_CONFIG_PASSPHRASE;
      await runner.preview({ stackName: "dev-china", program }, () => undefined);
      const second = (seen!.options.envVars as Record<string, string>).PULUMI_CONFIG_PASSPHRASE;
      // then
      expect(seen!.options.secretsProvider).toBe("passphrase");
      expect(first).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      expect(second).not.toBe(first);
    });

    it("removes the throwaway backend afterwards, even when the preview fails", async () => {
      // given
      stack.preview.mockRejectedValueOnce(new Error("boom"));
      const runner = new AutomationRunner(settings);
      // when
      await expect(
        runner.preview({ stackName: "dev-china", program }, () => undefined),
      ).rejects.toThrow("boom");
      // then
      const url = (seen!.options.envVars as Record<string, string>).PULUMI_BACKEND_URL;
      expect(fs.existsSync(url.replace(/^file:\/\//, ""))).toBe(false);
    });
  });

  it("previews a stack of the project from its own folder, program and backend", async () => {
    // given
    const runner = new AutomationRunner(settings);
    // when
    await runner.previewProjectStack(
      { stackName: "acme/global", workDir: "/repo", backendUrl: "s3://platform-state" },
      () => undefined,
    );
    // then
    expect(select).toHaveBeenCalledWith(
      { stackName: "acme/global", workDir: "/repo" },
      { envVars: { PULUMI_BACKEND_URL: "s3://platform-state" } },
    );
    expect(create).not.toHaveBeenCalled();
  });

  it("reports a project stack missing from its backend as a usage error naming the flag", async () => {
    // given
    select.mockRejectedValue(Object.assign(new Error("no stack"), { name: "StackNotFoundError" }));
    const runner = new AutomationRunner(settings);
    // when / then
    await expect(
      runner.previewProjectStack({ stackName: "china", workDir: "/repo" }, () => undefined),
    ).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/^stack china not found in .* --stacks-backend/),
    });
  });

  it("keeps the encryption salt the CLI wrote in the stack's workspace", async () => {
    // given
    const dir = path.join(settings.workspacesDir, "dev-salt");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, "Pulumi.dev-salt.yaml"),
      "secretsprovider: passphrase\nencryptionsalt: v1:abc\n",
    );
    const runner = new AutomationRunner({ ...settings, secretsProvider: "passphrase" });
    // when
    await runner.up({ stackName: "dev-salt", program }, () => undefined);
    // then
    expect(create.mock.calls[0][1].stackSettings["dev-salt"]).toMatchObject({
      encryptionSalt: "v1:abc",
    });
  });
});

describe("Pulumi error helpers", () => {
  it("recognise the Automation API's ConcurrentUpdateError and name the lock", () => {
    // given
    const error = concurrentUpdateError("dev-china");
    // when / then
    expect(isConcurrentUpdate(error)).toBe(true);
    expect(lockHolder(error)).toMatch(/dev-china\/1f2e\.json: created by ci@build-7 \(pid 4242\)/);
  });

  it("describe a command error by its error: lines, not the whole dump", () => {
    // given
    const error = Object.assign(new Error("code: 255\n stdout: …"), {
      commandResult: { stderr: "noise\nerror: one\nerror: two\n" },
    });
    // when / then
    expect(describePulumiError(error)).toBe("one; two");
  });

  it("lineSplitter keeps a line split across chunks whole", () => {
    // given
    const lines: string[] = [];
    const split = lineSplitter((l) => lines.push(l));
    // when
    split.write("AKIA");
    split.write("SECRET\r\nnext");
    split.flush();
    // then
    expect(lines).toEqual(["AKIASECRET", "next"]);
  });
});
