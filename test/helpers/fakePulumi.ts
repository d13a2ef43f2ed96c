import { CliError, ExitCode } from "../../automation/exitCodes";
import { INSTALL_HINT } from "../../automation/pulumi/findCli";
import type {
  DriftOutcome,
  LineSink,
  PreviewOptions,
  PreviewOutcome,
  ProjectStackSpec,
  PulumiRunner,
  StackOutputs,
  StackSpec,
  UpOptions,
  UpOutcome,
  UpdateRecord,
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
  /** What a drift check finds. @default nothing drifted (no resources) */
  drift?: Partial<DriftOutcome>;
  /** The stack's history, newest first; each `up` adds its record in front. @default none */
  history?: UpdateRecord[];
}

export interface FakeOptions {
  /**
   * `up` runs the stack's inline program under the plan's mock engine, one at a
   * time, and keeps its outputs as the stack's: what `outputs` and `status`
   * read afterwards. @default false: `up` returns the configured outputs
   */
  readonly runPrograms?: boolean;
}

export type FakeOperation =
  | "preview"
  | "previewProjectStack"
  | "up"
  | "refresh"
  | "destroy"
  | "outputs"
  | "drift"
  | "driftProjectStack"
  | "history";

/**
 * A failed Pulumi CLI command as the Automation API reports it (a
 * CommandError, or the subclass its stderr calls for), built by the API
 * itself from the CLI's exit code and stderr.
 */
export function commandError(stderr: string, code = 255): Error {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const automation = require("@pulumi/pulumi/automation") as {
    createCommandError(result: unknown): Error;
    CommandResult: new (stdout: string, stderr: string, code: number) => unknown;
  };
  return automation.createCommandError(new automation.CommandResult("", stderr, code));
}

/** The Automation API's ConcurrentUpdateError, as the CLI's stderr of a locked stack makes it. */
export function concurrentUpdateError(stackName: string): Error {
  return commandError(
    [
      "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.",
      `  file:///state/.pulumi/locks/organization/silkroute/${stackName}/1f2e.json: created by ci@build-7 (pid 4242) at 2026-11-26T06:00:00Z`,
    ].join("\n"),
  );
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

  /** The message of every `up`, by stack, in call order. */
  readonly upMessages = new Map<string, string[]>();
  private evaluating: Promise<unknown> = Promise.resolve();

  constructor(
    readonly stacks: Record<string, FakeStack> = {},
    private readonly options: FakeOptions = {},
  ) {}

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

  async up(spec: StackSpec, onLine: LineSink, options: UpOptions = {}): Promise<UpOutcome> {
    await this.operate("up", spec, onLine);
    const message = options.message ?? "";
    this.upMessages.set(spec.stackName, [...(this.upMessages.get(spec.stackName) ?? []), message]);
    const stack = (this.stacks[spec.stackName] ??= {});
    if (this.options.runPrograms === true) stack.outputs = await this.runProgram(spec);
    const record = { kind: "update", result: "succeeded", message, endTime: this.clock() };
    stack.history = [record, ...(stack.history ?? [])];
    return { changeSummary: { create: 5 }, outputs: this.outputsOf(spec.stackName) ?? {} };
  }

  /** The program's outputs under the mock engine; the engine is process-wide, so one at a time. */
  private runProgram(spec: StackSpec): Promise<Record<string, unknown>> {
    const run = this.evaluating.then(async () => {
      // Loaded on first use: most tests never run a program.
      const { evaluateStack } =
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load (module node16)
        require("../../automation/plan/evaluate") as typeof import("../../automation/plan/evaluate");
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      try {
        const evaluated = await evaluateStack({
          stack: spec.stackName,
          config: {},
          program: spec.program,
        });
        return evaluated.outputs;
      } finally {
        Error.stackTraceLimit = limit;
      }
    });
    this.evaluating = run.catch(() => undefined);
    return run;
  }

  private ticks = 0;
  /** Strictly increasing end times, one minute apart, so history order is unambiguous. */
  private clock(): string {
    this.ticks += 1;
    return new Date(Date.UTC(2026, 10, 26, 12, this.ticks)).toISOString();
  }

  async drift(spec: StackSpec, onLine: LineSink): Promise<DriftOutcome> {
    await this.operate("drift", spec, onLine);
    if (this.stacks[spec.stackName]?.outputs === undefined) {
      return { changeSummary: {}, resources: [], notDeployed: true };
    }
    return this.driftOutcome(spec.stackName);
  }

  async driftProjectStack(spec: ProjectStackSpec, onLine: LineSink): Promise<DriftOutcome> {
    this.projectStacks.push(spec);
    await this.operate("driftProjectStack", { stackName: spec.stackName, program }, onLine);
    return this.driftOutcome(spec.stackName);
  }

  private driftOutcome(stackName: string): DriftOutcome {
    const d = this.stacks[stackName]?.drift ?? {};
    const resources = d.resources ?? [];
    return {
      changeSummary: d.changeSummary ?? { same: 5 - resources.length, update: resources.length },
      resources,
    };
  }

  async history(stackName: string): Promise<readonly UpdateRecord[] | undefined> {
    await this.operate("history", { stackName, program }, () => undefined);
    const stack = this.stacks[stackName];
    return stack?.outputs === undefined ? undefined : (stack.history ?? []);
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
