import { CliError, ExitCode } from "../../automation/exitCodes";
import { INSTALL_HINT } from "../../automation/pulumi/findCli";
import type {
  LineSink,
  PreviewOptions,
  PreviewOutcome,
  ProjectStackSpec,
  PulumiRunner,
  StackOutputs,
  StackSpec,
  UpOutcome,
  WorkspaceSettings,
} from "../../automation/pulumi/runner";

/** How the fake behaves for one stack. */
export interface FakeStack {
  /** Stack outputs (plain values); `undefined` means the stack does not exist. */
  outputs?: Record<string, unknown>;
  /** Output names reported as secret. */
  secretOutputs?: string[];
  /** Lines streamed by every operation. */
  lines?: string[];
  /** The operation fails with this error. */
  fail?: Error;
  /** The first N operations fail as a locked stack (Infinity: always). */
  lockedTimes?: number;
  /** Milliseconds each operation takes. */
  delayMs?: number;
  preview?: Partial<PreviewOutcome>;
}

export type FakeOperation =
  "preview" | "previewProjectStack" | "up" | "refresh" | "destroy" | "outputs";

/** The Automation API's ConcurrentUpdateError, built as the API builds it from the CLI's stderr. */
export function concurrentUpdateError(stackName: string): Error {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const automation = require("@pulumi/pulumi/automation") as {
    createCommandError(result: unknown): Error;
    CommandResult: new (stdout: string, stderr: string, code: number) => unknown;
  };
  const stderr = [
    "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.",
    `  file:///state/.pulumi/locks/organization/silkroute/${stackName}/1f2e.json: created by ci@build-7 (pid 4242) at 2026-11-26T06:00:00Z`,
  ].join("\n");
  return automation.createCommandError(new automation.CommandResult("", stderr, 255));
}

const program = async () => ({});

/** A PulumiRunner in memory: records calls, streams canned lines, fails on demand. */
export class FakePulumi implements PulumiRunner {
  readonly calls: { op: FakeOperation; stackName: string }[] = [];
  readonly programs = new Map<string, StackSpec["program"]>();
  /** Every project stack previewed (previewProjectStack), in call order. */
  readonly projectStacks: ProjectStackSpec[] = [];
  settings?: WorkspaceSettings;
  cliInstalled = true;
  private readonly attempts = new Map<string, number>();

  constructor(readonly stacks: Record<string, FakeStack> = {}) {}

  /** The RunnerFactory to hand to main(). */
  readonly factory = (settings: WorkspaceSettings): PulumiRunner => {
    this.settings = settings;
    return this;
  };

  async ensureCli(): Promise<void> {
    if (!this.cliInstalled) throw new CliError(INSTALL_HINT, ExitCode.MissingTool);
  }

  /** The stacks previewed with PreviewOptions.fresh, in call order. */
  readonly freshPreviews: string[] = [];

  async preview(
    spec: StackSpec,
    onLine: LineSink,
    options: PreviewOptions = {},
  ): Promise<PreviewOutcome> {
    await this.operate("preview", spec, onLine);
    if (options.fresh === true) {
      this.freshPreviews.push(spec.stackName);
      return { ...this.previewOutcome(spec.stackName), fresh: true };
    }
    return this.previewOutcome(spec.stackName);
  }

  async previewProjectStack(spec: ProjectStackSpec, onLine: LineSink): Promise<PreviewOutcome> {
    this.projectStacks.push(spec);
    await this.operate("previewProjectStack", { stackName: spec.stackName, program }, onLine);
    return this.previewOutcome(spec.stackName);
  }

  private previewOutcome(stackName: string): PreviewOutcome {
    const p = this.stacks[stackName]?.preview ?? {};
    return {
      ...(p.notDeployed && { notDeployed: true }),
      changeSummary: p.changeSummary ?? { create: 5 },
      stdout: p.stdout ?? (this.stacks[stackName]?.lines ?? []).join("\n"),
      resources: p.resources ?? [
        { op: "create", type: "aws:lambda/function:Function", name: "app-fn" },
      ],
      violations: p.violations ?? [],
    };
  }

  async up(spec: StackSpec, onLine: LineSink): Promise<UpOutcome> {
    await this.operate("up", spec, onLine);
    return { changeSummary: { create: 5 }, outputs: this.outputsOf(spec.stackName) ?? {} };
  }

  async refresh(spec: StackSpec, onLine: LineSink): Promise<void> {
    await this.operate("refresh", spec, onLine);
  }

  async destroy(spec: StackSpec, onLine: LineSink): Promise<"destroyed" | "absent"> {
    await this.operate("destroy", spec, onLine);
    return this.stacks[spec.stackName]?.outputs === undefined ? "absent" : "destroyed";
  }

  async outputs(stackName: string): Promise<StackOutputs | undefined> {
    await this.operate("outputs", { stackName, program: async () => ({}) }, () => undefined);
    return this.outputsOf(stackName);
  }

  /** Stack names an operation ran on (in call order). */
  ran(op: FakeOperation): string[] {
    return this.calls.filter((c) => c.op === op).map((c) => c.stackName);
  }

  private async operate(op: FakeOperation, spec: StackSpec, onLine: LineSink): Promise<void> {
    this.calls.push({ op, stackName: spec.stackName });
    this.programs.set(spec.stackName, spec.program);
    const stack = this.stacks[spec.stackName] ?? {};
    const attempt = (this.attempts.get(spec.stackName) ?? 0) + 1;
    this.attempts.set(spec.stackName, attempt);
    if (stack.delayMs) await new Promise((r) => setTimeout(r, stack.delayMs));
    if (attempt <= (stack.lockedTimes ?? 0)) throw concurrentUpdateError(spec.stackName);
    for (const line of stack.lines ?? []) onLine(line);
    if (stack.fail) throw stack.fail;
  }

  private outputsOf(stackName: string): StackOutputs | undefined {
    const stack = this.stacks[stackName];
    if (stack?.outputs === undefined) return undefined;
    const secret = new Set(stack.secretOutputs ?? []);
    return Object.fromEntries(
      Object.entries(stack.outputs).map(([k, v]) => [k, { value: v, secret: secret.has(k) }]),
    );
  }
}
