export type ChangeKind = "create" | "update" | "replace" | "delete" | "same";
export interface TargetPreview {
  readonly name: string; // target (e.g. dev-us-east-1, dev-china) or stack (global, china)
  readonly status: "succeeded" | "failed";
  readonly changes: Readonly<Record<ChangeKind, number>>;
  readonly resources: readonly {
    readonly op: string;
    readonly type: string;
    readonly name: string;
  }[];
  readonly diff: string; // the preview's streamed output, may contain ANSI codes
  readonly violations: readonly string[];
  readonly error?: string;
  /** The stack has never been deployed: the preview ran against an empty stack, so all is create. */
  readonly notDeployed?: boolean;
  /** Previewed against an empty stack on purpose, its state not read: what a fresh deploy would create. */
  readonly fresh?: boolean;
}
