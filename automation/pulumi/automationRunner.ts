import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { load } from "js-yaml";
import {
  EngineEvent,
  LocalWorkspace,
  LocalWorkspaceOptions,
  OutputMap,
  Stack,
  StackSettings,
} from "@pulumi/pulumi/automation";
import { PULUMI_PROJECT } from "../../components/naming";
import { CliError, ExitCode } from "../exitCodes";
import { driftFromEvents } from "./drift";
import { isStackNotFound } from "./errors";
import { requirePulumiCli } from "./findCli";
import { stackSecretsProvider } from "./settings";
import {
  DriftOutcome,
  LineSink,
  lineSplitter,
  PreviewOptions,
  PreviewOutcome,
  ProjectStackSpec,
  PulumiRunner,
  ResourceChange,
  StackOutputs,
  StackSpec,
  UpOptions,
  UpOutcome,
  UpdateRecord,
  WorkspaceSettings,
} from "./runner";

/** The project name of every app stack (`organization/silkroute/<env>-<target>`). */
export const PROJECT_NAME = PULUMI_PROJECT;

/** The Automation API (LocalWorkspace, inline programs) behind PulumiRunner. */
export class AutomationRunner implements PulumiRunner {
  constructor(private readonly settings: WorkspaceSettings) {}

  async ensureCli(): Promise<void> {
    requirePulumiCli(process.env.PATH);
  }

  async preview(
    spec: StackSpec,
    onLine: LineSink,
    options: PreviewOptions = {},
  ): Promise<PreviewOutcome> {
    if (options.fresh === true) {
      onLine(
        `stack ${spec.stackName}: previewing against an empty stack, its state not read, so every resource shows as a create (what a fresh deploy would create)`,
      );
      return { ...(await this.previewEmpty(spec, onLine)), fresh: true };
    }
    // Select, never create: the preview role may only read the state, and a
    // preview takes no lock and writes nothing.
    const stack = await this.select(spec);
    if (stack === undefined) {
      onLine(
        `stack ${spec.stackName} has not been deployed yet: previewing against an empty stack, so every resource shows as a create`,
      );
      return { ...(await this.previewEmpty(spec, onLine)), notDeployed: true };
    }
    return previewOf(stack, onLine);
  }

  async previewProjectStack(spec: ProjectStackSpec, onLine: LineSink): Promise<PreviewOutcome> {
    return previewOf(await selectProjectStack(spec), onLine);
  }

  async drift(spec: StackSpec, onLine: LineSink): Promise<DriftOutcome> {
    // Select, never create: a drift check may only read the state.
    const stack = await this.select(spec);
    if (stack === undefined) {
      onLine(`stack ${spec.stackName} has not been deployed: nothing to compare`);
      return { changeSummary: {}, resources: [], notDeployed: true };
    }
    return driftOf(stack, onLine);
  }

  async driftProjectStack(spec: ProjectStackSpec, onLine: LineSink): Promise<DriftOutcome> {
    return driftOf(await selectProjectStack(spec), onLine);
  }

  async history(stackName: string): Promise<readonly UpdateRecord[] | undefined> {
    const stack = await this.select({ stackName, program: async () => ({}) });
    if (stack === undefined) return undefined;
    return (await stack.history()).map((u) => ({
      kind: u.kind,
      result: u.result,
      message: u.message ?? "",
      endTime: new Date(u.endTime).toISOString(),
    }));
  }

  /**
   * A preview against an empty stack in a throwaway `file://` backend
   * (temporary folder, random passphrase, removed after): the real backend is
   * not touched, and the preview shows every resource as a create.
   */
  private async previewEmpty(spec: StackSpec, onLine: LineSink): Promise<PreviewOutcome> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "silkroute-preview-"));
    try {
      const backendUrl = `file://${path.join(dir, "state")}`;
      fs.mkdirSync(path.join(dir, "state"));
      // LocalWorkspace refuses a workDir that does not exist.
      const workDir = path.join(dir, "work");
      fs.mkdirSync(workDir);
      const stack = await LocalWorkspace.createStack(
        { projectName: PROJECT_NAME, stackName: spec.stackName, program: spec.program },
        {
          workDir,
          secretsProvider: "passphrase",
          envVars: {
            PULUMI_BACKEND_URL: backendUrl,
            PULUMI_CONFIG_PASSPHRASE: crypto.randomBytes(32).toString("base64url"),
          },
          projectSettings: { name: PROJECT_NAME, runtime: "nodejs", backend: { url: backendUrl } },
          stackSettings: {
            [spec.stackName]: {
              secretsProvider: "passphrase",
              config: { "pulumi:disable-default-providers": ["*"] },
            },
          },
        },
      );
      return await previewOf(stack, onLine);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  async up(spec: StackSpec, onLine: LineSink, options: UpOptions = {}): Promise<UpOutcome> {
    const stack = await this.createOrSelect(spec);
    const message = options.message === undefined ? {} : { message: options.message };
    const result = await streamed(onLine, (s) => stack.up({ color: "never", ...message, ...s }));
    return {
      changeSummary: result.summary.resourceChanges ?? {},
      outputs: toOutputs(result.outputs),
    };
  }

  async refresh(spec: StackSpec, onLine: LineSink): Promise<void> {
    const stack = await this.createOrSelect(spec);
    await streamed(onLine, (s) => stack.refresh({ color: "never", runProgram: true, ...s }));
  }

  async destroy(spec: StackSpec, onLine: LineSink): Promise<"destroyed" | "absent"> {
    const stack = await this.select(spec);
    if (stack === undefined) return "absent";
    await streamed(onLine, (s) => stack.destroy({ color: "never", runProgram: true, ...s }));
    return "destroyed";
  }

  async outputs(stackName: string): Promise<StackOutputs | undefined> {
    // Outputs come from the state; the program is not run.
    const stack = await this.select({ stackName, program: async () => ({}) });
    return stack && toOutputs(await stack.outputs());
  }

  private createOrSelect(spec: StackSpec): Promise<Stack> {
    return LocalWorkspace.createOrSelectStack(
      { projectName: PROJECT_NAME, stackName: spec.stackName, program: spec.program },
      this.options(spec.stackName),
    );
  }

  private async select(spec: StackSpec): Promise<Stack | undefined> {
    try {
      return await LocalWorkspace.selectStack(
        { projectName: PROJECT_NAME, stackName: spec.stackName, program: spec.program },
        this.options(spec.stackName),
      );
    } catch (error) {
      if (isStackNotFound(error)) return undefined;
      throw error;
    }
  }

  /**
   * Project and stack settings in code; one workspace folder per stack so
   * targets run concurrently without sharing files. The folder keeps the
   * stack's encryption salt / key between runs.
   */
  private options(stackName: string): LocalWorkspaceOptions {
    const { backendUrl, envVars } = this.settings;
    // Each stack's secrets under its own encryption context (settings.ts).
    const secretsProvider = stackSecretsProvider(this.settings.secretsProvider, stackName);
    const workDir = path.join(this.settings.workspacesDir, stackName);
    fs.mkdirSync(workDir, { recursive: true });
    const stackSettings: StackSettings = {
      ...previousEncryption(workDir, stackName, secretsProvider),
      secretsProvider,
      config: { "pulumi:disable-default-providers": ["*"] },
    };
    return {
      workDir,
      secretsProvider,
      // The CLI prefers PULUMI_BACKEND_URL over Pulumi.yaml: set it, so --backend wins over the env.
      envVars: { ...envVars, PULUMI_BACKEND_URL: backendUrl },
      projectSettings: { name: PROJECT_NAME, runtime: "nodejs", backend: { url: backendUrl } },
      stackSettings: { [stackName]: stackSettings },
    };
  }
}

/** The salt / encrypted key the CLI wrote for this stack last time, when the provider is unchanged. */
function previousEncryption(
  workDir: string,
  stackName: string,
  secretsProvider: string,
): StackSettings {
  const file = path.join(workDir, `Pulumi.${stackName}.yaml`);
  if (!fs.existsSync(file)) return {};
  const doc = (load(fs.readFileSync(file, "utf8")) ?? {}) as Record<string, unknown>;
  if (doc.secretsprovider !== undefined && doc.secretsprovider !== secretsProvider) return {};
  const kept: { encryptionSalt?: string; encryptedKey?: string } = {};
  if (typeof doc.encryptionsalt === "string") kept.encryptionSalt = doc.encryptionsalt;
  if (typeof doc.encryptedkey === "string") kept.encryptedKey = doc.encryptedkey;
  return kept;
}

/** A stack of the project's own (Pulumi.yaml, Pulumi.<stack>.yaml, program), selected in its backend. */
async function selectProjectStack(spec: ProjectStackSpec): Promise<Stack> {
  const envVars: Record<string, string> =
    spec.backendUrl === undefined ? {} : { PULUMI_BACKEND_URL: spec.backendUrl };
  try {
    return await LocalWorkspace.selectStack(
      { stackName: spec.stackName, workDir: spec.workDir },
      { envVars },
    );
  } catch (error) {
    if (!isStackNotFound(error)) throw error;
    throw new CliError(
      `stack ${spec.stackName} not found in ${spec.backendUrl ?? "the Pulumi CLI's current backend"}; name its backend with --stacks-backend (or SILKROUTE_STACKS_BACKEND_URL)`,
      ExitCode.Usage,
    );
  }
}

/**
 * A refresh preview (`pulumi refresh --preview-only --run-program`): reads
 * every resource, writes nothing, takes no lock (a DIY backend locks only a
 * refresh that writes), and reports what differs from the state.
 */
async function driftOf(stack: Stack, onLine: LineSink): Promise<DriftOutcome> {
  const events: EngineEvent[] = [];
  const result = await streamed(onLine, (s) =>
    stack.previewRefresh({
      color: "never",
      runProgram: true,
      onEvent: (e) => events.push(e),
      ...s,
    }),
  );
  return { changeSummary: result.changeSummary, resources: driftFromEvents(events) };
}

/** Runs a preview, collecting the resource steps and policy findings from the engine events. */
async function previewOf(stack: Stack, onLine: LineSink): Promise<PreviewOutcome> {
  const resources: ResourceChange[] = [];
  const violations: string[] = [];
  const onEvent = (event: EngineEvent) => {
    const step = event.resourcePreEvent?.metadata;
    if (step && step.op !== "same") {
      resources.push({
        op: step.op,
        type: step.type,
        name: step.urn.split("::").pop() ?? step.urn,
      });
    }
    const policy = event.policyEvent;
    if (policy) {
      violations.push(`${policy.policyPackName}/${policy.policyName}: ${policy.message.trim()}`);
    }
  };
  const result = await streamed(onLine, (s) =>
    stack.preview({ color: "never", diff: true, onEvent, ...s }),
  );
  return { changeSummary: result.changeSummary, stdout: result.stdout, resources, violations };
}

interface StreamCallbacks {
  onOutput: (chunk: string) => void;
  onError: (chunk: string) => void;
}

/** Runs an operation with stdout and stderr streamed to `onLine` as whole lines. */
async function streamed<T>(
  onLine: LineSink,
  run: (callbacks: StreamCallbacks) => Promise<T>,
): Promise<T> {
  const out = lineSplitter(onLine);
  const err = lineSplitter(onLine);
  try {
    return await run({ onOutput: (c) => out.write(c), onError: (c) => err.write(c) });
  } finally {
    out.flush();
    err.flush();
  }
}

function toOutputs(map: OutputMap): StackOutputs {
  return Object.fromEntries(
    Object.entries(map).map(([key, o]) => [key, { value: o.value, secret: o.secret }]),
  );
}

export function createAutomationRunner(settings: WorkspaceSettings): PulumiRunner {
  return new AutomationRunner(settings);
}
