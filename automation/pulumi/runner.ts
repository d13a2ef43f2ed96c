/**
 * The Pulumi operations the driver needs, behind one small interface: the
 * real implementation drives the Automation API (automationRunner.ts), tests
 * use a fake (test/helpers/fakePulumi.ts).
 */

/** A stack program run in this process (the Automation API's inline program). */
export type InlineProgram = () => Promise<Record<string, unknown>>;

export interface StackSpec {
  /** `<env>-<target>`. */
  readonly stackName: string;
  readonly program: InlineProgram;
}

/** Receives Pulumi's output, stdout and stderr, one whole line at a time. */
export type LineSink = (line: string) => void;

export interface StackOutput {
  readonly value: unknown;
  readonly secret: boolean;
}
export type StackOutputs = Readonly<Record<string, StackOutput>>;

/** Operation counts as Pulumi reports them (`create`, `update`, `same`, …). */
export type ChangeSummary = Readonly<Record<string, number | undefined>>;

export interface ResourceChange {
  readonly op: string;
  readonly type: string;
  readonly name: string;
}

export interface PreviewOutcome {
  readonly changeSummary: ChangeSummary;
  /** The preview's text output. */
  readonly stdout: string;
  /** Every resource step other than `same`. */
  readonly resources: readonly ResourceChange[];
  /** Policy pack findings, `pack/policy: message`. */
  readonly violations: readonly string[];
  /**
   * The stack does not exist yet: previewed against an empty stack (every
   * resource is a create) without creating it in the backend. @default false
   */
  readonly notDeployed?: boolean;
  /**
   * Previewed against an empty stack on request (PreviewOptions.fresh), its
   * state never read: what a fresh deploy would create. @default false
   */
  readonly fresh?: boolean;
}

export interface PreviewOptions {
  /**
   * Preview against an empty throwaway stack without reading the stack's
   * state or secrets at all, as for an identity that may not read them
   * (pr-preview and a China app stack). @default false
   */
  readonly fresh?: boolean;
}

/** A stack of the repository's own Pulumi project (`global`, `china`), previewed as it is. */
export interface ProjectStackSpec {
  /** `global`, or org-qualified `acme/global` / `acme/silkroute/global`. */
  readonly stackName: string;
  /** The folder holding Pulumi.yaml and Pulumi.<stack>.yaml. */
  readonly workDir: string;
  /** Backend holding the stack. @default the Pulumi CLI's own (PULUMI_BACKEND_URL or its login) */
  readonly backendUrl?: string;
}

export interface UpOutcome {
  readonly changeSummary: ChangeSummary;
  readonly outputs: StackOutputs;
}

export interface UpOptions {
  /**
   * Recorded with the update in the stack's history: the driver writes
   * `silkroute deploy <version>` / `silkroute rollback <version>` (history.ts).
   * @default none
   */
  readonly message?: string;
}

/** One property of a resource that differs between the state and the cloud. */
export interface DriftedProperty {
  /** Property path, e.g. `memorySize`, `environment.variables.APP_VERSION`, `tags["x"]`. */
  readonly path: string;
  /** `update`, `add` (a value only the cloud has) or `delete` (only the state has it). */
  readonly kind: string;
  /** The value in the state (secrets as `[secret]`, long values cut). @default absent */
  readonly state?: unknown;
  /** The value found in the cloud. @default absent */
  readonly actual?: unknown;
}

/** A resource changed (`update`) or deleted (`delete`) outside Pulumi. */
export interface DriftedResource {
  readonly op: string;
  readonly type: string;
  readonly name: string;
  readonly properties: readonly DriftedProperty[];
}

export interface DriftOutcome {
  /** Counts of the refresh preview (`same`, `update`, `delete`). */
  readonly changeSummary: ChangeSummary;
  /** Every resource that differs from the state; empty when none drifted. */
  readonly resources: readonly DriftedResource[];
  /** The stack does not exist: nothing to compare. @default false */
  readonly notDeployed?: boolean;
}

/** One operation in a stack's history, newest first. */
export interface UpdateRecord {
  /** `update`, `refresh`, `destroy`, … */
  readonly kind: string;
  /** `succeeded`, `failed`, `in-progress`. */
  readonly result: string;
  readonly message: string;
  /** When it ended, ISO 8601. */
  readonly endTime: string;
}

export interface PulumiRunner {
  /** Fails with a CliError (exit 5) when no Pulumi CLI can run the operations. */
  ensureCli(): Promise<void>;
  /**
   * Previews the app stack; a stack never deployed is previewed against an
   * empty stack (`notDeployed`), never created: the preview role cannot write state.
   */
  preview(spec: StackSpec, onLine: LineSink, options?: PreviewOptions): Promise<PreviewOutcome>;
  /** Previews an existing stack of the project in `spec.workDir` with its own program and settings. */
  previewProjectStack(spec: ProjectStackSpec, onLine: LineSink): Promise<PreviewOutcome>;
  up(spec: StackSpec, onLine: LineSink, options?: UpOptions): Promise<UpOutcome>;
  /**
   * A refresh preview of the app stack, the program re-run for its providers
   * (explicit credentials may have rotated): what differs between the state
   * and the cloud. Writes nothing and takes no lock; a stack that does not
   * exist is `notDeployed`.
   */
  drift(spec: StackSpec, onLine: LineSink): Promise<DriftOutcome>;
  /** The same for an existing stack of the project in `spec.workDir`, with its own program. */
  driftProjectStack(spec: ProjectStackSpec, onLine: LineSink): Promise<DriftOutcome>;
  /** The stack's history, newest first, or undefined when the stack does not exist. */
  history(stackName: string): Promise<readonly UpdateRecord[] | undefined>;
  /** Refreshes with the program re-run (explicit provider credentials may have rotated). */
  refresh(spec: StackSpec, onLine: LineSink): Promise<void>;
  /** Destroys with the program re-run; a stack that does not exist is nothing to destroy. */
  destroy(spec: StackSpec, onLine: LineSink): Promise<"destroyed" | "absent">;
  /** The stack's outputs, or undefined when the stack does not exist. */
  outputs(stackName: string): Promise<StackOutputs | undefined>;
}

/** Where state and secrets live; resolved from flags and environment (settings.ts). */
export interface WorkspaceSettings {
  readonly projectDir: string;
  /** `file://…`, `s3://…?region=…`, or a Pulumi Cloud URL. */
  readonly backendUrl: string;
  /** `passphrase` or `awskms://alias/…?region=…`. */
  readonly secretsProvider: string;
  /** Folder for the per-stack workspaces (Pulumi.yaml and Pulumi.<stack>.yaml written by the API). */
  readonly workspacesDir: string;
  /** Variables for the Pulumi CLI process (the passphrase, when that is the provider). */
  readonly envVars: Readonly<Record<string, string>>;
}

export type RunnerFactory = (settings: WorkspaceSettings) => PulumiRunner;

/** Splits streamed chunks into whole lines for `sink`; flush() emits a trailing partial line. */
export function lineSplitter(sink: LineSink): { write(chunk: string): void; flush(): void } {
  let pending = "";
  return {
    write(chunk) {
      pending += chunk;
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? "";
      for (const line of lines) sink(line);
    },
    flush() {
      if (pending !== "") sink(pending);
      pending = "";
    },
  };
}
