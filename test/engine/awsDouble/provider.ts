import * as crypto from "crypto";
import type * as provider from "@pulumi/pulumi/provider";
import { Failure, validateInputs } from "./check";
import { answer } from "./functions";
import { Identity, signIn, ProviderConfig } from "./identity";
import { Inputs, Placement, ruleFor, uniqueNameKey } from "./resources";
import { functionArgsSchema, resourceSchema, ResourceSchema, Shape } from "./schema";
import { DoubleStore, RUN_LABEL_VARIABLE, sha256 } from "./store";
import { containsUnknown, isUnknown, redact, reveal, sameValue, secret, Wire } from "./values";

/** `urn:pulumi:stack::project::parent$type::name` → type and name. */
function parseUrn(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  return { type: parts[2].split("$").pop()!, name: parts[3] };
}

/** A value of the right kind for an output AWS always returns but nothing here computes. */
function filler(key: string, shape: Shape, id: string): Wire {
  if (shape.kinds.has("string"))
    return /Date$|Time$/.test(key) ? new Date().toISOString() : `${key}-${id}`;
  if (shape.kinds.has("number")) return 0;
  if (shape.kinds.has("boolean")) return false;
  if (shape.kinds.has("array")) return [];
  return {};
}

/**
 * A test double of the `aws` resource provider plugin (@pulumi/aws 7's
 * provider), served over the real plugin protocol so the real engine drives
 * it: it validates inputs against @pulumi/aws's declared schema and the AWS
 * SDK's enums, marks as replacements the inputs AWS cannot change in place,
 * returns ids and ARNs of the provider's partition, Region and account, keeps
 * SSM parameters and IAM access keys in its store, and logs every call.
 *
 * The engine starts one plugin process per provider resource, so one instance
 * is one provider: `configure` tells it who it signs in as.
 */
export class AwsDouble implements provider.Provider {
  readonly version: string;
  private identity?: Identity;
  private config?: ProviderConfig;
  private providerName = "default";

  constructor(
    private readonly store: DoubleStore,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.version = (require("@pulumi/aws/package.json") as { version: string }).version;
  }

  /** Logs a call with the run label and this provider's placement. */
  log(record: Parameters<DoubleStore["log"]>[0]): void {
    this.store.log({
      run: this.env[RUN_LABEL_VARIABLE],
      provider: this.identity && {
        region: this.identity.region,
        account: this.identity.account,
        partition: this.identity.partition,
      },
      ...record,
    });
  }

  /** Configure: sign in (a failure stops the update, as a bad key does for the real provider). */
  configure(urn: string, config: ProviderConfig): void {
    this.providerName = urn ? parseUrn(urn).name : "default";
    this.config = config;
    try {
      this.identity = config.unknown ? undefined : signIn(config, this.store, this.env);
      this.log({ call: "configure", urn, name: this.providerName });
    } catch (error) {
      this.log({ call: "configure", urn, error: (error as Error).message });
      throw error;
    }
  }

  async getSchema(): Promise<string> {
    return JSON.stringify({ name: "aws", version: this.version });
  }

  private schemaOf(type: string): ResourceSchema {
    const schema = resourceSchema(type);
    if (!schema) throw new Error(`the AWS provider has no resource type ${type}`);
    return schema;
  }

  private placement(inputs: Inputs): Placement {
    if (!this.identity) throw new Error(`provider ${this.providerName} is not configured`);
    const region = reveal(inputs.region);
    return typeof region === "string" && region !== ""
      ? { ...this.identity, region }
      : this.identity;
  }

  /** The name Pulumi's auto-naming gives an optional name input left out. */
  private autoname(type: string, schema: ResourceSchema, name: string, olds: Inputs, news: Inputs) {
    const key = ruleFor(type, schema).nameInput;
    if (!key || !(key in schema.properties) || schema.required.includes(key)) return news;
    if (news[key] !== undefined && news[key] !== null) return news;
    if (typeof olds[key] === "string") return { ...news, [key]: olds[key] };
    const suffix = crypto.randomBytes(4).toString("hex").slice(0, 7);
    const base = key === "bucket" ? name.toLowerCase() : name;
    const generated =
      type === "aws:kms/alias:Alias" ? `alias/${base}-${suffix}` : `${base}-${suffix}`;
    return { ...news, [key]: generated };
  }

  async check(urn: string, olds: Inputs, news: Inputs): Promise<provider.CheckResult> {
    const { type, name } = parseUrn(urn);
    const schema = this.schemaOf(type);
    const inputs = this.autoname(type, schema, name, olds, news);
    const failures: Failure[] = validateInputs(type, inputs, schema);
    this.log({ call: "check", type, name, urn, inputs: redact(inputs), failures });
    return { inputs, failures };
  }

  async diff(id: string, urn: string, olds: Inputs, news: Inputs): Promise<provider.DiffResult> {
    const { type, name } = parseUrn(urn);
    const rule = ruleFor(type, this.schemaOf(type));
    // Inputs left out keep their value (optional inputs the provider computes when absent).
    const changed = Object.keys(news).filter(
      (k) => isUnknown(news[k]) || containsUnknown(news[k]) || !sameValue(news[k], olds[k]),
    );
    const replaces = changed.filter((k) => rule.replaceOn.includes(k));
    this.log({ call: "diff", type, name, urn, id, changed, replaces });
    return { changes: changed.length > 0, replaces, deleteBeforeReplace: false };
  }

  private async waitAtGate(type: string, name: string, urn: string): Promise<void> {
    if (!this.store.isGateClosed(type)) return;
    this.log({ call: "create-waiting", type, name, urn });
    while (this.store.isGateClosed(type)) await new Promise((r) => setTimeout(r, 100));
  }

  /** Outputs every resource of a type has: inputs, computed values, tags with the provider's defaults. */
  private outputsOf(type: string, inputs: Inputs, computed: Inputs, id: string): Inputs {
    const schema = this.schemaOf(type);
    const outs: Inputs = { ...inputs, ...computed };
    if ("tagsAll" in schema.requiredOutputs) {
      const tags = (reveal(inputs.tags) ?? {}) as Record<string, string>;
      outs.tagsAll = { ...this.config?.defaultTags, ...tags };
    }
    if ("region" in schema.requiredOutputs && outs.region === undefined) {
      outs.region = this.placement(inputs).region;
    }
    for (const [key, shape] of Object.entries(schema.requiredOutputs)) {
      if (outs[key] === undefined || outs[key] === null) outs[key] = filler(key, shape, id);
    }
    return outs;
  }

  async create(urn: string, inputs: Inputs): Promise<provider.CreateResult> {
    const { type, name } = parseUrn(urn);
    const rule = ruleFor(type, this.schemaOf(type));
    await this.waitAtGate(type, name, urn);
    const at = this.placement(inputs);
    try {
      const id = rule.id({ inputs, at, name });
      const computed = rule.outputs?.({ inputs, at, id }) ?? {};
      const outs = this.outputsOf(type, inputs, computed, id);
      const unique = uniqueNameKey(type, rule, inputs, at, id);
      this.claim(unique, urn);
      try {
        this.applyCreate(type, id, outs, at);
      } catch (error) {
        if (unique) this.store.releaseName(unique);
        throw error;
      }
      this.log({ call: "create", type, name, urn, id, arn: outs.arn, inputs: redact(inputs) });
      return { id, outs };
    } catch (error) {
      this.log({ call: "create", type, name, urn, error: (error as Error).message });
      throw error;
    }
  }

  /** Takes a name AWS keeps unique, or fails as AWS does when it is taken. */
  private claim(key: string | undefined, urn: string): void {
    if (key && !this.store.claimName(key, urn)) {
      throw new Error(
        `creating ${parseUrn(urn).type} ${key.split("/").pop()}: AlreadyExists: another resource holds this name (${key})`,
      );
    }
  }

  /** What a create does to the AWS state the double keeps (parameters, keys, users, buckets). */
  private applyCreate(type: string, id: string, outs: Inputs, at: Placement): void {
    const value = (k: string) => reveal(outs[k]) as string;
    switch (type) {
      case "aws:ssm/parameter:Parameter":
        if (this.store.getParameter(at.account, at.region, id) && reveal(outs.overwrite) !== true) {
          throw new Error(
            `creating SSM Parameter (${id}): ParameterAlreadyExists: The parameter already exists. To overwrite this value, set the overwrite option in the request to true.`,
          );
        }
        this.putParameter(id, outs, at);
        return;
      case "aws:iam/accessKey:AccessKey": {
        const user = this.store.getUser(at.account, value("user"));
        if (!user) {
          throw new Error(
            `creating IAM Access Key (${value("user")}): NoSuchEntity: The user with name ${value("user")} cannot be found.`,
          );
        }
        outs.secret = secret(outs.secret);
        this.store.putAccessKey({
          accessKeyId: id,
          secretSha256: sha256(reveal(outs.secret) as string),
          account: at.account,
          partition: at.partition,
          arn: user.arn,
          status: value("status") ?? "Active",
        });
        outs.status = value("status") ?? "Active";
        return;
      }
      case "aws:iam/user:User":
        this.store.putUser(at.account, { name: id, arn: value("arn") });
        return;
      case "aws:s3/bucketObjectv2:BucketObjectv2":
        this.store.putObject(at.partition, value("bucket"), value("key"));
        return;
    }
  }

  private putParameter(name: string, outs: Inputs, at: Placement, version = 1): void {
    this.store.putParameter(at.account, at.region, {
      name,
      type: reveal(outs.type) as string,
      value: String(reveal(outs.value) ?? reveal(outs.insecureValue) ?? ""),
      version,
      keyId: reveal(outs.keyId) as string | undefined,
      arn: reveal(outs.arn) as string,
    });
  }

  async update(
    id: string,
    urn: string,
    olds: Inputs,
    news: Inputs,
  ): Promise<provider.UpdateResult> {
    const { type, name } = parseUrn(urn);
    const at = this.placement(news);
    const outs = this.outputsOf(type, { ...olds, ...news }, {}, id);
    // A rename in place (IAM users and groups) moves the name it holds.
    const rule = ruleFor(type, this.schemaOf(type));
    const [before, after] = [olds, outs].map((v) => uniqueNameKey(type, rule, v, at, id));
    if (after !== before) {
      this.claim(after, urn);
      if (before) this.store.releaseName(before);
    }
    if (type === "aws:ssm/parameter:Parameter") {
      outs.version = Number(reveal(olds.version) ?? 1) + 1;
      this.putParameter(id, outs, at, outs.version as number);
    }
    const key = type === "aws:iam/accessKey:AccessKey" && this.store.getAccessKey(id);
    if (key) this.store.putAccessKey({ ...key, status: String(reveal(outs.status)) });
    this.store.clearOutOfBand(urn);
    this.log({ call: "update", type, name, urn, id, inputs: redact(news) });
    return { outs };
  }

  async delete(id: string, urn: string, props: Inputs): Promise<void> {
    const { type, name } = parseUrn(urn);
    const at = this.placement(props);
    const unique = uniqueNameKey(type, ruleFor(type, this.schemaOf(type)), props, at, id);
    if (unique) this.store.releaseName(unique);
    if (type === "aws:ssm/parameter:Parameter")
      this.store.deleteParameter(at.account, at.region, id);
    if (type === "aws:iam/accessKey:AccessKey") this.store.deleteAccessKey(id);
    if (type === "aws:iam/user:User") this.store.deleteUser(at.account, id);
    this.log({ call: "delete", type, name, urn, id });
  }

  async read(id: string, urn: string, props?: Inputs): Promise<provider.ReadResult> {
    const { type, name } = parseUrn(urn);
    const state: Inputs = { ...props };
    if (type === "aws:ssm/parameter:Parameter") {
      const at = this.placement(state);
      const stored = this.store.getParameter(at.account, at.region, id);
      this.log({ call: "read", type, name, urn, id, found: stored !== undefined });
      if (!stored) return { id: "" };
      return { id, props: { ...state, value: secret(stored.value), version: stored.version } };
    }
    const change = this.store.outOfBand(urn);
    this.log({ call: "read", type, name, urn, id, found: change !== "deleted" });
    if (change === "deleted") return { id: "" };
    return { id, props: { ...state, ...change } };
  }

  async invoke(token: string, inputs: Inputs): Promise<provider.InvokeResult> {
    const schema = functionArgsSchema(token);
    const failures = schema ? validateInputs(token, inputs, schema) : [];
    this.log({ call: "invoke", token, inputs: redact(inputs), failures });
    if (failures.length > 0) return { failures };
    if (!this.identity) throw new Error(`provider ${this.providerName} is not configured`);
    return { outputs: answer(token, inputs, this.placement(inputs), this.identity, this.store) };
  }
}
