import type { DriftedProperty, DriftOutcome } from "../pulumi/runner";
import type { Named, TargetResult } from "./runTargets";

/** One target's (or project stack's) drift as `silkroute drift` reports it; every text redacted. */
export interface TargetDrift {
  readonly name: string;
  readonly status: "succeeded" | "failed";
  readonly drifted: boolean;
  readonly resources: DriftOutcome["resources"];
  /** The stack does not exist: nothing compared. @default absent */
  readonly notDeployed?: boolean;
  /** @default absent */
  readonly error?: string;
}

export interface DriftReport {
  readonly env: string;
  /** Some target differs from its state. */
  readonly drifted: boolean;
  readonly targets: readonly TargetDrift[];
}

/** The report of a run; `redact` is applied to everything that came from Pulumi or the cloud. */
export function driftReport(
  env: string,
  results: readonly TargetResult<DriftOutcome, Named>[],
  redact: (text: string) => string,
): DriftReport {
  const targets = results.map((r): TargetDrift => {
    // Values from the cloud may hold anything the driver knows to be secret.
    const resources = JSON.parse(redact(JSON.stringify(r.value?.resources ?? [])));
    return {
      name: r.target.stackName,
      status: r.ok ? "succeeded" : "failed",
      drifted: resources.length > 0,
      resources,
      ...(r.value?.notDeployed === true && { notDeployed: true }),
      ...(r.error !== undefined && { error: redact(r.error) }),
    };
  });
  return { env, drifted: targets.some((t) => t.drifted), targets };
}

const value = (v: unknown) => JSON.stringify(v) ?? "(none)";

function propertyLine(p: DriftedProperty): string {
  if (p.kind === "add") return `${p.path}: ${value(p.actual)} (only in the cloud)`;
  if (p.kind === "delete") return `${p.path}: ${value(p.state)} (only in the state: removed)`;
  return `${p.path}: ${value(p.state)} → ${value(p.actual)}`;
}

/** The report as text: a line per target, then each drifted resource and its properties. */
export function renderDriftText(report: DriftReport): string {
  const lines: string[] = [];
  for (const t of report.targets) {
    if (t.status === "failed") {
      lines.push(`${t.name}: check failed: ${t.error ?? "unknown error"}`);
    } else if (t.notDeployed) {
      lines.push(`${t.name}: not deployed, nothing to compare`);
    } else if (!t.drifted) {
      lines.push(`${t.name}: no drift`);
    } else {
      const n = t.resources.length;
      lines.push(`${t.name}: ${n} resource${n === 1 ? "" : "s"} drifted`);
      for (const r of t.resources) {
        if (r.op === "delete") {
          lines.push(`  - ${r.type} ${r.name}: deleted outside Pulumi`);
          continue;
        }
        lines.push(`  ~ ${r.type} ${r.name}`);
        for (const p of r.properties) lines.push(`      ${propertyLine(p)}`);
      }
    }
  }
  return lines.join("\n");
}
