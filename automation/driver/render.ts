import type { StackOutputs } from "../pulumi/runner";
import type { TargetResult } from "./runTargets";

/** How secret outputs are shown: their values are never printed. */
export const SECRET_OUTPUT = "[secret]";

function plain(outputs: StackOutputs): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(outputs).map(([k, o]) => [k, o.secret ? SECRET_OUTPUT : o.value]),
  );
}

export const renderOutputs = {
  /** `dev-china:` then `  key: value` lines, keys sorted. */
  text(stackName: string, outputs: StackOutputs): string {
    const values = plain(outputs);
    const lines = Object.keys(values)
      .sort()
      .map(
        (k) => `  ${k}: ${typeof values[k] === "string" ? values[k] : JSON.stringify(values[k])}`,
      );
    return [`${stackName}:`, ...lines].join("\n");
  },
  /** `{ targets: { <stack>: { status, outputs?, error? } } }`. */
  json<T>(outputs: Record<string, StackOutputs | null>, results: readonly TargetResult<T>[]) {
    const targets: Record<string, unknown> = {};
    for (const r of results) {
      const o = outputs[r.target.stackName];
      targets[r.target.stackName] = {
        target: r.target.target,
        region: r.target.region,
        status: r.ok ? "succeeded" : "failed",
        ...(o ? { outputs: plain(o) } : {}),
        ...(r.error !== undefined ? { error: r.error } : {}),
      };
    }
    return { targets };
  },
};
