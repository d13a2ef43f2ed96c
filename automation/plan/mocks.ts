import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { arn, dnsSuffix, Partition, partitionOf } from "../../components/partition";

/**
 * Placeholder accounts of the offline plan, one per partition: where a
 * provider says nothing about its account (the pipeline account, whose id
 * no config holds).
 */
export const PLAN_ACCOUNTS: Readonly<Record<Partition, string>> = {
  aws: "123456789012",
  "aws-cn": "210987654321",
};

/** One resource registered with the mock engine. */
export interface RecordedResource {
  readonly urn: string;
  readonly id: string | null;
  readonly type: string;
  readonly name: string;
  readonly parent: string | null;
  /** URN of the provider that manages it (custom resources) or that it was given (components). */
  readonly provider: string | null;
  readonly custom: boolean;
  readonly region: string | null;
  readonly partition: Partition | null;
  /** The account its provider deploys into (providerAccount), or null without one. */
  readonly account: string | null;
  readonly inputs: Record<string, unknown>;
  readonly state: Record<string, unknown>;
  /** Resource options the engine acts on that the plan and tests check. */
  readonly options: ResourceOptionsSeen;
}

export interface ResourceOptionsSeen {
  readonly replacementTrigger?: unknown;
  readonly deleteBeforeReplace: boolean;
  readonly replaceOnChanges: readonly string[];
  /** Pulumi leaves the cloud resource in place when it deletes or replaces this one. */
  readonly retainOnDelete: boolean;
}

export interface PlanMocksOptions {
  /**
   * Account id per partition for providers that do not name their account;
   * default PLAN_ACCOUNTS.
   */
  readonly accounts?: Readonly<Record<Partition, string>>;
  /** Outputs of other stacks, by fully qualified stack name, for StackReference reads. */
  readonly stackOutputs?: Readonly<Record<string, Record<string, unknown>>>;
}

export interface Registration {
  readonly urn: string;
  readonly parent: string | null;
  readonly componentProvider: string | null;
  readonly options: ResourceOptionsSeen;
}

const AWS_PROVIDER = "pulumi:providers:aws";
const STACK_REFERENCE = "pulumi:pulumi:StackReference";

/**
 * The mock engine behind `silkroute plan` and the tests: gives every resource
 * an id and, where its type has one, an ARN in its provider's partition, Region
 * and account (providerAccount: the account the provider's config names);
 * answers invokes by token from the calling provider's Region and account; and
 * fails loudly on an invoke it does not know.
 */
export class PlanMocks implements pulumi.runtime.Mocks {
  readonly resources: RecordedResource[] = [];
  private readonly byUrn = new Map<string, RecordedResource>();
  private readonly accounts: Readonly<Record<Partition, string>>;
  private pending: Registration | undefined;

  constructor(private readonly options: PlanMocksOptions = {}) {
    this.accounts = options.accounts ?? PLAN_ACCOUNTS;
  }

  /** What the engine would have refused, for the evaluation to fail with. */
  readonly failures: Error[] = [];

  /** Set by the recording monitor just before the engine calls newResource. */
  expect(registration: Registration): void {
    this.pending = registration;
  }

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    const reg = this.pending;
    this.pending = undefined;
    if (reg === undefined) throw new Error(`resource ${args.name} registered outside the recorder`);
    // The engine refuses a second resource of the same URN, failing the update it is in.
    // A throw here would reach no one (the runtime reports it as an unhandled rejection).
    if (this.byUrn.has(reg.urn)) {
      this.failures.push(
        new Error(`Duplicate resource URN '${reg.urn}'; try giving it a unique name`),
      );
    }
    const inputs = (args.inputs ?? {}) as Record<string, unknown>;
    const providerUrn = args.provider ? providerUrnOf(args.provider) : reg.componentProvider;
    const region = this.regionOf(args.type, inputs, providerUrn, reg.parent);
    const partition = region === null ? null : partitionOf(region);
    const account =
      partition === null
        ? null
        : args.type === AWS_PROVIDER
          ? (providerAccount(inputs) ?? this.accounts[partition])
          : (this.recordedVia(providerUrn, reg.parent)?.account ?? this.accounts[partition]);
    const { id, state } =
      args.type === STACK_REFERENCE
        ? this.stackReference(inputs)
        : mockState(
            args.type,
            args.name,
            inputs,
            region,
            partition,
            account,
            args.custom !== false,
          );
    const recorded: RecordedResource = {
      urn: reg.urn,
      id,
      type: args.type,
      name: args.name,
      parent: reg.parent,
      provider: providerUrn,
      custom: args.custom !== false,
      region,
      partition,
      account,
      inputs,
      state,
      options: reg.options,
    };
    this.resources.push(recorded);
    this.byUrn.set(reg.urn, recorded);
    return { id: id ?? undefined, state };
  }

  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    const provider = args.provider ? this.byUrn.get(providerUrnOf(args.provider)) : undefined;
    const region = provider?.region;
    if (!region) {
      throw invokeError(
        `invoke ${args.token} has no explicit provider with a region; pass { provider }`,
      );
    }
    const partition = partitionOf(region);
    const account = provider?.account ?? this.accounts[partition];
    const inputs = args.inputs as Record<string, unknown>;
    switch (args.token) {
      case "aws:index/getPartition:getPartition":
        return {
          id: partition,
          partition,
          dnsSuffix: dnsSuffix(partition),
          reverseDnsPrefix: dnsSuffix(partition).split(".").reverse().join("."),
        };
      case "aws:index/getCallerIdentity:getCallerIdentity":
        return {
          id: account,
          accountId: account,
          arn: arn({ partition, service: "iam", account, resource: "user/silkroute-plan" }),
          userId: "AIDAPLANUSER",
        };
      case "aws:index/getRegion:getRegion":
        return {
          id: region,
          name: region,
          region,
          endpoint: `ec2.${region}.${dnsSuffix(partition)}`,
          description: region,
        };
      case "aws:ssm/getParameter:getParameter": {
        const name = String(inputs.name);
        return {
          id: name,
          name,
          arn: arn({ partition, service: "ssm", region, account, resource: `parameter${name}` }),
          type: "SecureString",
          value: `plan-value-of-${name}`,
          insecureValue: "",
          version: 1,
          withDecryption: inputs.withDecryption ?? true,
        };
      }
      default:
        throw invokeError(
          `unmocked invoke ${args.token}: add it to automation/plan/mocks.ts or avoid the invoke`,
        );
    }
  }

  private regionOf(
    type: string,
    inputs: Record<string, unknown>,
    providerUrn: string | null,
    parent: string | null,
  ): string | null {
    if (type === AWS_PROVIDER) return typeof inputs.region === "string" ? inputs.region : null;
    return this.recordedVia(providerUrn, parent)?.region ?? null;
  }

  /** The provider a resource was given, else its parent (a component carries its provider's). */
  private recordedVia(providerUrn: string | null, parent: string | null) {
    const via = providerUrn ?? parent;
    return via === null ? undefined : this.byUrn.get(via);
  }

  private stackReference(inputs: Record<string, unknown>) {
    const name = String(inputs.name);
    const outputs = this.options.stackOutputs?.[name];
    if (outputs === undefined) {
      throw new Error(`StackReference ${name}: that stack is not part of this plan`);
    }
    return { id: name, state: { name, outputs, secretOutputNames: [] } };
  }
}

/**
 * The account an aws provider's own config pins it to: its only
 * `allowedAccountIds` entry (the china stack's per-environment providers),
 * else the account of the role it assumes (a cross-account environment's
 * app provider). Undefined when it names none. Provider inputs reach the
 * mocks as JSON text.
 */
export function providerAccount(inputs: Record<string, unknown>): string | undefined {
  const allowed = parsed(inputs.allowedAccountIds);
  if (Array.isArray(allowed) && allowed.length === 1 && typeof allowed[0] === "string") {
    return allowed[0];
  }
  const roles = parsed(inputs.assumeRoles);
  const first: unknown = Array.isArray(roles) ? roles[0] : parsed(inputs.assumeRole);
  const roleArn = (first as { roleArn?: unknown } | undefined)?.roleArn;
  return typeof roleArn === "string" ? /^arn:[^:]+:iam::(\d{12}):/.exec(roleArn)?.[1] : undefined;
}

function parsed(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** The runtime reports a failed invoke by its gRPC `details`, not its message. */
function invokeError(message: string): Error {
  return Object.assign(new Error(message), { details: message });
}

/** A provider reference is `<urn>::<id>`. */
export function providerUrnOf(ref: string): string {
  return ref.slice(0, ref.lastIndexOf("::"));
}

/** The part of the URN type before `$` chains: the same rule as the mock monitor's. */
export function childUrn(
  stack: string,
  project: string,
  parent: string,
  type: string,
  name: string,
) {
  const parentType = parent.split("::")[2];
  if (parent && parentType === undefined) throw new Error(`${parent} is not a resource URN`);
  const qualified = parentType ? `${parentType.split("$").pop()}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

function shortHash(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 7);
}

/** Physical-name input per type, where the provider auto-names it. */
const NAME_INPUT: Record<string, string> = {
  "aws:s3/bucketV2:BucketV2": "bucket",
  "aws:s3/bucket:Bucket": "bucket",
  "aws:codecommit/repository:Repository": "repositoryName",
};

/** An IAM entity's path (`/silkroute/`), which its ARN carries: `user/silkroute/<name>`. */
const iamPath = (inputs: Record<string, unknown>) =>
  typeof inputs.path === "string" && inputs.path !== "" ? inputs.path : "/";

/** How each type's ARN is formed from its physical name (or id) and inputs. */
const ARN_FORMS: Record<
  string,
  {
    service: string;
    regional: boolean;
    resource: (n: string, inputs: Record<string, unknown>) => string;
  }
> = {
  "aws:s3/bucketV2:BucketV2": { service: "s3", regional: false, resource: (n) => n },
  "aws:s3/bucket:Bucket": { service: "s3", regional: false, resource: (n) => n },
  "aws:kms/key:Key": { service: "kms", regional: true, resource: (n) => `key/${n}` },
  "aws:kms/alias:Alias": { service: "kms", regional: true, resource: (n) => n },
  "aws:iam/role:Role": {
    service: "iam",
    regional: false,
    resource: (n, i) => `role${iamPath(i)}${n}`,
  },
  "aws:iam/user:User": {
    service: "iam",
    regional: false,
    resource: (n, i) => `user${iamPath(i)}${n}`,
  },
  "aws:iam/group:Group": {
    service: "iam",
    regional: false,
    resource: (n, i) => `group${iamPath(i)}${n}`,
  },
  "aws:iam/policy:Policy": {
    service: "iam",
    regional: false,
    resource: (n, i) => `policy${iamPath(i)}${n}`,
  },
  "aws:ssm/parameter:Parameter": {
    service: "ssm",
    regional: true,
    resource: (n) => `parameter${n}`,
  },
  "aws:codebuild/project:Project": {
    service: "codebuild",
    regional: true,
    resource: (n) => `project/${n}`,
  },
  "aws:codepipeline/pipeline:Pipeline": {
    service: "codepipeline",
    regional: true,
    resource: (n) => n,
  },
  "aws:codecommit/repository:Repository": {
    service: "codecommit",
    regional: true,
    resource: (n) => n,
  },
  "aws:codeconnections/connection:Connection": {
    service: "codeconnections",
    regional: true,
    resource: (n) => `connection/${n}`,
  },
  "aws:codestarconnections/connection:Connection": {
    service: "codeconnections",
    regional: true,
    resource: (n) => `connection/${n}`,
  },
  "aws:lambda/function:Function": {
    service: "lambda",
    regional: true,
    resource: (n) => `function:${n}`,
  },
  "aws:cloudwatch/logGroup:LogGroup": {
    service: "logs",
    regional: true,
    resource: (n) => `log-group:${n}`,
  },
  "aws:cloudwatch/eventRule:EventRule": {
    service: "events",
    regional: true,
    resource: (n) => `rule/${n}`,
  },
  "aws:sns/topic:Topic": { service: "sns", regional: true, resource: (n) => n },
  "aws:scheduler/schedule:Schedule": {
    service: "scheduler",
    regional: true,
    resource: (n, i) =>
      `schedule/${typeof i.groupName === "string" ? i.groupName : "default"}/${n}`,
  },
  "aws:codestarnotifications/notificationRule:NotificationRule": {
    service: "codestar-notifications",
    regional: true,
    resource: (n) => `notificationrule/${n}`,
  },
};

function mockState(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  region: string | null,
  partition: Partition | null,
  account: string | null,
  custom: boolean,
): { id: string | null; state: Record<string, unknown> } {
  if (!custom) return { id: null, state: {} };
  if (type.startsWith("pulumi:providers:")) return { id: shortHash(type, name), state: inputs };
  const nameKey = NAME_INPUT[type] ?? "name";
  const given = inputs[nameKey];
  const physical =
    typeof given === "string" && given !== "" ? given : `${name}-${shortHash(type, name)}`;
  const state: Record<string, unknown> = { ...inputs, [nameKey]: physical };
  let id = physical;
  if (type === "aws:kms/key:Key") {
    id = `${shortHash(type, name)}-plan-key`;
    state.keyId = id;
  } else if (type === "aws:iam/accessKey:AccessKey") {
    id = `AKIAPLAN${shortHash(type, name).toUpperCase()}`;
    state.secret = `plan-secret-${shortHash(name)}`;
    state.createDate = "2026-01-01T00:00:00Z";
  }
  const form = ARN_FORMS[type];
  if (form && partition && account) {
    state.arn = arn({
      partition,
      service: form.service,
      region: form.regional ? (region ?? undefined) : undefined,
      account: form.service === "s3" ? undefined : account,
      resource: form.resource(type === "aws:kms/key:Key" ? id : physical, inputs),
    });
  }
  // A stack's outputs are known once CloudFormation has created it: none offline.
  if (type === "aws:cloudformation/stack:Stack") state.outputs = {};
  if (type === "aws:codecommit/repository:Repository" && region && partition) {
    state.cloneUrlHttp = `https://git-codecommit.${region}.${dnsSuffix(partition)}/v1/repos/${physical}`;
  }
  return { id, state };
}
