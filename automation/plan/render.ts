import { PlanDocument, PlannedResource, PlannedStack } from "./types";

/** The plan for people: a tree per stack with its counts and violations; with `rules`, the rules run. */
export function renderPlan(doc: PlanDocument, options: { readonly rules?: boolean } = {}): string {
  const blocks = doc.stacks.map(renderStack);
  if (options.rules) {
    blocks.push(
      [
        `${doc.rules.length} rules, run over every stack:`,
        ...doc.rules.map((r) => `  ${r.name}: ${r.description}`),
      ].join("\n"),
    );
  }
  return blocks.join("\n\n") + "\n";
}

/** The plan's last line, on stderr: what it found, of how many rules. */
export function planVerdict(doc: PlanDocument): string {
  const { stacks, resources, violations, rules } = doc.summary;
  return `${plural(stacks, "stack")}, ${plural(resources, "resource")}, ${plural(violations, "violation")} of ${plural(rules, "rule")}`;
}

function renderStack(stack: PlannedStack): string {
  const children = new Map<string | null, PlannedResource[]>();
  for (const r of stack.resources) {
    const siblings = children.get(r.parent) ?? [];
    siblings.push(r);
    children.set(r.parent, siblings);
  }
  const lines = [`${stack.name}`];
  const walk = (parent: string | null, indent: string) => {
    const kids = children.get(parent) ?? [];
    kids.forEach((r, i) => {
      const last = i === kids.length - 1;
      lines.push(`${indent}${last ? "└─ " : "├─ "}${label(r)}`);
      walk(r.urn, `${indent}${last ? "   " : "│  "}`);
    });
  };
  walk(null, "");
  const custom = stack.resources.filter((r) => r.custom).length;
  const regions = [...new Set(stack.resources.map((r) => r.region).filter((r) => r !== null))];
  lines.push(
    `${stack.resources.length} resources (${custom} cloud resources) in ${regions.length > 0 ? regions.join(", ") : "no Region"}`,
  );
  if (stack.violations.length === 0) {
    lines.push("no violations");
  } else {
    lines.push(`${stack.violations.length} violation(s):`);
    for (const v of stack.violations) lines.push(`  ✗ [${v.policy}] ${v.urn}: ${v.message}`);
  }
  return lines.join("\n");
}

function label(r: PlannedResource): string {
  const where = r.custom && r.region ? `  (${r.partition} ${r.region})` : "";
  return `${r.type} ${r.name}${where}`;
}

/** `1 stack`, `3 stacks`. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
