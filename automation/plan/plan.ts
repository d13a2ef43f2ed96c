import { runPolicies } from "../policies";
import { evaluateStack, EvaluatedStack, ORGANIZATION, PROJECT } from "./evaluate";
import { RecordedResource } from "./mocks";
import { maskSecrets } from "./secrets";
import { readStackConfig } from "./stackConfig";
import { PlanDocument, PlannedResource, PlannedStack } from "./types";

export interface PlanOptions {
  /** Folder holding Pulumi.yaml and the Pulumi.<stack>.yaml files. */
  readonly projectDir: string;
  /** Stacks to include (`global`, `china`, `app` for all app stacks, or one `app-<env>-<target>`); default all. */
  readonly stacks?: readonly string[];
}

/**
 * Evaluates every stack under the mock engine, in one process, in dependency
 * order (global → china → one app stack per environment and target), and
 * judges each with the policy rules.
 */
export async function plan(options: PlanOptions): Promise<PlanDocument> {
  const wanted = (name: string) =>
    options.stacks === undefined ||
    options.stacks.some((s) => s === name || (s === "app" && name.startsWith("app-")));
  const { globalProgram } = await import("../../stacks/global");
  const global = await evaluateStack({
    stack: "global",
    config: readStackConfig(options.projectDir, "global"),
    program: globalProgram,
  });
  const evaluated: EvaluatedStack[] = [global];
  return { stacks: evaluated.filter((s) => wanted(s.name)).map(toPlannedStack) };
}

export const GLOBAL_STACK_REFERENCE = `${ORGANIZATION}/${PROJECT}/global`;

export function toPlannedStack(stack: EvaluatedStack): PlannedStack {
  const resources = stack.resources.map(toPlannedResource);
  return { name: stack.name, resources, violations: runPolicies(resources) };
}

function toPlannedResource(r: RecordedResource): PlannedResource {
  return {
    urn: r.urn,
    id: r.id,
    type: r.type,
    name: r.name,
    parent: r.parent,
    region: r.region,
    partition: r.partition,
    provider: r.provider,
    custom: r.custom,
    inputs: maskSecrets(r.inputs) as Record<string, unknown>,
  };
}
