import { AppKind, kindOfCfnType, resourceArn } from "../../components/appKinds";
import { iamAction } from "../../components/iam/iamData";
import { arn, servicePrincipal } from "../../components/partition";
import { BOUNDED_ROLE_ACTIONS } from "../../components/iam/policyStatements";
import type { PlannedResource } from "../plan/types";
import CFN_DATA from "./cfnData.json";
import {
  EVENT_SOURCE_MAPPING_TYPES,
  eventSourceMappingNeed,
  samMappingEvents,
} from "./eventSourceMappings";
import { CFN_NAME_PROPERTY, PULUMI_TYPES, SAM_TYPES } from "./resourceTypes";
import type { Need, PreflightTarget } from "./types";

/*
 * What creating and updating one planned resource takes: IAM actions on
 * ARNs in the target's partition, Region and account, with the request
 * context that decides them (a role's boundary, the service a role is
 * passed to). Pulumi resources by their token, template resources by their
 * CloudFormation type, both through the handlers' permissions.
 */

/** A plain value of a template property, resolving Ref, Fn::Sub, Fn::Join and Fn::GetAtt …Arn. */
type Resolve = (value: unknown) => string | undefined;

function handlerActions(cfnType: string): string[] {
  const h = (CFN_DATA.handlers as Record<string, { create: string[]; update: string[] }>)[cfnType];
  return h === undefined ? [] : [...new Set([...h.create, ...h.update])];
}

const ownActionLists = new Map<string, readonly string[]>();

/**
 * What creating and updating a resource of this kind takes on the resource
 * itself: the handlers' actions of the kind's service that IAM says act on
 * its resource type. Removing a role's boundary is never needed (and denied).
 * Worked out once per type and kind: every resource of every app stack asks.
 */
export function ownActions(cfnType: string, kind: AppKind): string[] {
  // What the answer reads of the kind: its service and first resource type.
  const key = `${cfnType}\n${kind.service}\n${kind.resourceTypes[0]}`;
  let actions = ownActionLists.get(key);
  if (actions === undefined) {
    actions = handlerOwnActions(cfnType, kind);
    ownActionLists.set(key, actions);
  }
  return [...actions];
}

function handlerOwnActions(cfnType: string, kind: AppKind): string[] {
  const type = kind.resourceTypes[0].toLowerCase();
  return handlerActions(cfnType).filter((a) => {
    // The service first: another service's actions are not read (ec2's data alone is 600 KB).
    if (a.split(":")[0] !== kind.service || a === "iam:DeleteRolePermissionsBoundary") return false;
    const data = iamAction(a);
    return data !== undefined && data.resourceTypes.some((t) => t.toLowerCase() === type);
  });
}

const roleArn = (t: PreflightTarget, name: string) =>
  name.startsWith("arn:")
    ? name
    : arn({ partition: t.partition, service: "iam", account: t.account, resource: `role/${name}` });

/** The actions a role takes when created or updated, with its boundary in the request. */
function roleNeeds(t: PreflightTarget, name: string, boundary: string | undefined): Need[] {
  const kind = kindOfCfnType("AWS::IAM::Role")!;
  const bounded = new Set(BOUNDED_ROLE_ACTIONS);
  return ownActions("AWS::IAM::Role", kind).map((action) => ({
    action,
    resource: roleArn(t, name),
    context:
      bounded.has(action) && boundary !== undefined
        ? { "iam:PermissionsBoundary": boundary }
        : undefined,
  }));
}

const passRole = (t: PreflightTarget, role: string, service: string): Need => ({
  action: "iam:PassRole",
  resource: roleArn(t, role),
  context: { "iam:PassedToService": servicePrincipal(service, t.partition) },
});

const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);

/** The needs of one Pulumi resource. */
export function pulumiNeeds(
  r: PlannedResource,
  t: PreflightTarget,
  all: readonly PlannedResource[],
): Need[] | undefined {
  if (r.type === "aws:s3/bucketObjectv2:BucketObjectv2") {
    const bucket = str(r.inputs.bucket);
    const key = str(r.inputs.key);
    if (!bucket || !key) return [];
    const resource = arn({ partition: t.partition, service: "s3", resource: `${bucket}/${key}` });
    return ["s3:PutObject", "s3:GetObject"].map((action) => ({ action, resource }));
  }
  if (EVENT_SOURCE_MAPPING_TYPES.includes(r.type)) {
    const fn = str(r.inputs.functionName) ?? `${t.appPrefix}-*`;
    return [eventSourceMappingNeed(resourceArn(kindOfCfnType("AWS::Lambda::Function")!, fn, t))];
  }
  const info = PULUMI_TYPES[r.type];
  const kind = info && kindOfCfnType(info.cfnType);
  if (!info || !kind) return undefined;
  let name = str(info.name(r.inputs)) ?? r.id ?? r.name;
  if (r.type === "aws:sqs/queuePolicy:QueuePolicy") name = name.split("/").pop() ?? name;
  if (kind.name === "role") {
    const roleName = name.split("/").pop() ?? name;
    const role = all.find((x) => x.type === "aws:iam/role:Role" && x.inputs.name === roleName);
    const boundary = str((role ?? r).inputs.permissionsBoundary);
    const needs = roleNeeds(t, roleName, boundary);
    return r.type === "aws:iam/rolePolicy:RolePolicy"
      ? needs.filter((n) => ownActions("AWS::IAM::RolePolicy", kind).includes(n.action))
      : needs;
  }
  const resource = resourceArn(kind, name, t);
  const needs: Need[] = ownActions(info.cfnType, kind).map((action) => ({ action, resource }));
  if (r.type === "aws:lambda/function:Function") {
    const role = str(r.inputs.role);
    if (role) needs.push(passRole(t, role, "lambda"));
    const bucket = str(r.inputs.s3Bucket);
    const key = str(r.inputs.s3Key);
    if (bucket && key) {
      needs.push({
        action: "s3:GetObject",
        resource: arn({ partition: t.partition, service: "s3", resource: `${bucket}/${key}` }),
      });
    }
  }
  if (r.type === "aws:cloudformation/stack:Stack") {
    const url = str(r.inputs.templateUrl);
    const object = url && /^https:\/\/[^/]+\/(.+)$/.exec(url)?.[1];
    if (object)
      needs.push({
        action: "s3:GetObject",
        resource: arn({ partition: t.partition, service: "s3", resource: object }),
      });
    for (const transform of t.transforms ?? []) {
      needs.push({
        action: "cloudformation:CreateChangeSet",
        resource: arn({
          partition: t.partition,
          service: "cloudformation",
          region: t.region,
          account: "aws",
          resource: `transform/${transform}`,
        }),
      });
    }
  }
  return needs;
}

/** A template's value resolver: its parameters, the pseudo parameters, the ARNs of its named resources. */
function resolver(t: PreflightTarget, template: readonly PlannedResource[]): Resolve {
  const pseudo: Record<string, string> = {
    "AWS::Region": t.region,
    "AWS::Partition": t.partition,
    "AWS::AccountId": t.account,
    "AWS::StackName": t.stackName ?? "",
  };
  const vars = { ...t.parameters, ...pseudo };
  const resolve: Resolve = (value) => {
    if (typeof value === "string") return value;
    if (typeof value !== "object" || value === null) return undefined;
    const v = value as Record<string, unknown>;
    if (typeof v.Ref === "string") return vars[v.Ref];
    const sub = v["Fn::Sub"];
    if (sub !== undefined) {
      const [text, local] = Array.isArray(sub) ? sub : [sub, {}];
      if (typeof text !== "string") return undefined;
      let ok = true;
      const out = text.replace(/\$\{([^}!]+)\}/g, (_m, name: string) => {
        const found =
          (local as Record<string, unknown>)?.[name] !== undefined
            ? resolve((local as Record<string, unknown>)[name])
            : vars[name];
        if (found === undefined) ok = false;
        return found ?? "";
      });
      return ok ? out : undefined;
    }
    const join = v["Fn::Join"];
    if (Array.isArray(join) && typeof join[0] === "string" && Array.isArray(join[1])) {
      const parts = join[1].map(resolve);
      return parts.every((p) => p !== undefined) ? parts.join(join[0]) : undefined;
    }
    const getAtt = v["Fn::GetAtt"];
    if (Array.isArray(getAtt) && getAtt[1] === "Arn") {
      const target = template.find((r) => r.name === getAtt[0]);
      if (target?.type === "AWS::IAM::Role") return roleArn(t, templateName(target, t, resolve));
    }
    return undefined;
  };
  return resolve;
}

/** A template resource's physical name: its name property, or the one CloudFormation generates. */
function templateName(
  r: PlannedResource,
  t: PreflightTarget,
  resolve: Resolve,
  suffix = "",
): string {
  const property = CFN_NAME_PROPERTY[r.type];
  const given = property === undefined ? undefined : resolve(r.inputs[property]);
  // `<stack>-<logical id>-<13 random characters>`, as CloudFormation names resources.
  return given ?? `${t.stackName ?? t.appPrefix}-${r.name}${suffix}-PREFLIGHT0000X`;
}

/** The needs of one template resource. */
export function templateNeeds(
  r: PlannedResource,
  t: PreflightTarget,
  template: readonly PlannedResource[],
  globals: Record<string, unknown>,
): Need[] | undefined {
  const resolve = resolver(t, template);
  const functionArn = (name: string) =>
    resourceArn(kindOfCfnType("AWS::Lambda::Function")!, name, t);
  if (EVENT_SOURCE_MAPPING_TYPES.includes(r.type)) {
    // FunctionName: a name, an ARN, or a Ref to the template's function (its name).
    const ref = (r.inputs.FunctionName as { Ref?: unknown } | undefined)?.Ref;
    const target = template.find((x) => x.name === ref);
    const fn = target ? templateName(target, t, resolve) : resolve(r.inputs.FunctionName);
    return [eventSourceMappingNeed(functionArn(fn ?? `${t.appPrefix}-*`))];
  }
  const cfnType = SAM_TYPES[r.type] ?? r.type;
  const kind = kindOfCfnType(cfnType);
  if (!kind) return undefined;
  const name = templateName(r, t, resolve);
  if (kind.name === "role") {
    const role = r.type === "AWS::IAM::RolePolicy" ? (resolve(r.inputs.RoleName) ?? name) : name;
    const boundary = resolve(
      template.find((x) => x.name === role)?.inputs.PermissionsBoundary ??
        r.inputs.PermissionsBoundary,
    );
    return roleNeeds(t, role, boundary).filter(
      (n) =>
        r.type !== "AWS::IAM::RolePolicy" ||
        ownActions("AWS::IAM::RolePolicy", kind).includes(n.action),
    );
  }
  const needs: Need[] = ownActions(cfnType, kind).map((action) => ({
    action,
    resource: resourceArn(kind, name, t),
  }));
  if (r.type === "AWS::Serverless::Function") {
    // SAM makes a mapping of each queue, stream or broker event.
    if (samMappingEvents(r.inputs.Events).length > 0) {
      needs.push(eventSourceMappingNeed(functionArn(name)));
    }
  }
  if (r.type === "AWS::Lambda::Function" || r.type === "AWS::Serverless::Function") {
    const role = resolve(r.inputs.Role);
    if (role) needs.push(passRole(t, role, "lambda"));
    else if (r.type === "AWS::Serverless::Function") {
      // SAM creates the function's role: `<stack>-<id>Role-<random>`.
      const generated = templateName({ ...r, type: "AWS::IAM::Role" }, t, () => undefined, "Role");
      const boundary = resolve(
        r.inputs.PermissionsBoundary ??
          (globals.Function as Record<string, unknown> | undefined)?.PermissionsBoundary,
      );
      needs.push(...roleNeeds(t, generated, boundary), passRole(t, generated, "lambda"));
    }
  }
  return needs;
}
