import {
  chinaKeyParameterNames,
  chinaSecretsKeyAlias,
  DEFAULT_PREFIX,
  defaultChinaParameterPrefix,
  defaultCrossAccountParameter,
  keyAliases,
} from "../../components/naming";
import { arn, iamArn, Partition } from "../../components/partition";
import { PlannedResource } from "../plan/types";
import type { ProbeEnvironment, ProbeScope } from "./probeTypes";
import { PipelinePolicyOptions } from "./pipeline";
import type { PolicySet } from "./simulate";
import { ofTypes, statementsOf, stringsOf } from "./util";

/*
 * The global stack's identities and the policies on what they reach, read
 * from its planned resources for the trust-boundary rules (isolation.ts).
 */

const PIPELINE = "aws:codepipeline/pipeline:Pipeline";

/** The global stack's identities and the policies on what they reach, from its planned resources. */
export interface PlannedPipeline {
  readonly resources: readonly PlannedResource[];
  readonly scope: ProbeScope;
  readonly prefix: string;
  readonly roleArn: (name: string) => string;
  readonly identity: (name: string) => Omit<PolicySet, "resourcePolicy">;
  readonly roleUrn: (name: string) => string;
}

const withUrn = (r: PlannedResource | undefined) => r?.urn ?? "";
const parsed = (document: unknown): unknown =>
  typeof document === "string" ? JSON.parse(document) : document;

/** A bucket policy's bucket ARN: the TLS-only statement's first resource (SecureBucket). */
function bucketArnOf(policy: PlannedResource): string | undefined {
  const tls = statementsOf(policy.inputs.policy).find((s) => s.Sid === "DenyInsecureTransport");
  return stringsOf(tls?.Resource)[0];
}

/** Whether a component of `type` is among the resource's parents. */
function under(resources: readonly PlannedResource[], r: PlannedResource, type: string): boolean {
  let parent = r.parent;
  while (parent !== null) {
    const found = resources.find((x) => x.urn === parent);
    if (found === undefined) return false;
    if (found.type === type) return true;
    parent = found.parent;
  }
  return false;
}

function keysByAlias(resources: readonly PlannedResource[], alias: string) {
  const targets = ofTypes(resources, "aws:kms/alias:Alias")
    .filter((a) => a.inputs.name === `alias/${alias}`)
    .map((a) => a.inputs.targetKeyId);
  return ofTypes(resources, "aws:kms/key:Key").filter(
    (k) => k.id !== null && targets.includes(k.id),
  );
}

const keyByAlias = (resources: readonly PlannedResource[], alias: string) =>
  keysByAlias(resources, alias)[0];

/** Each stack's pipeline, read once: every rule of a stack is handed the same resource list. */
const read = new WeakMap<
  readonly PlannedResource[],
  Map<PipelinePolicyOptions, PlannedPipeline | undefined>
>();

/**
 * Reads the pipeline's identities and resource policies; undefined when this
 * is not the global stack. Read once per stack and options, so the rules
 * share its documents, and the IAM policy engine what it learnt of them.
 */
export function plannedPipeline(
  resources: readonly PlannedResource[],
  options: PipelinePolicyOptions,
): PlannedPipeline | undefined {
  let byOptions = read.get(resources);
  if (byOptions === undefined) read.set(resources, (byOptions = new Map()));
  if (!byOptions.has(options)) byOptions.set(options, readPipeline(resources, options));
  return byOptions.get(options);
}

function readPipeline(
  resources: readonly PlannedResource[],
  options: PipelinePolicyOptions,
): PlannedPipeline | undefined {
  const pipeline = ofTypes(resources, PIPELINE)[0];
  const envs = options.environments;
  const roleArnInput = pipeline?.inputs.roleArn;
  if (pipeline === undefined || envs === undefined || typeof roleArnInput !== "string") {
    return undefined;
  }
  const [, partitionText, , , accountId] = roleArnInput.split(":");
  if (partitionText === undefined || accountId === undefined) return undefined;
  const partition = partitionText as Partition;
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const region = options.pipelineRegion ?? pipeline.region ?? "";
  const aliases = keyAliases(prefix);
  const stateKey = keyByAlias(resources, aliases.state);
  const parameterKey = keyByAlias(resources, aliases.parameters);
  const policies = ofTypes(resources, "aws:s3/bucketPolicy:BucketPolicy");
  const stateBucket = policies.find((p) => under(resources, p, "silkroute:state:StateBackend"));
  const artifactBuckets = policies.filter((p) =>
    under(resources, p, "silkroute:pipeline:ArtifactStore"),
  );
  if (stateKey === undefined || parameterKey === undefined || stateBucket === undefined) {
    return undefined;
  }
  const keyArn = (k: PlannedResource) =>
    arn({
      partition,
      service: "kms",
      region: k.region ?? region,
      account: accountId,
      resource: `key/${k.id}`,
    });
  const resourcePolicies: Record<string, unknown> = {
    [keyArn(stateKey)]: parsed(stateKey.inputs.policy),
    [keyArn(parameterKey)]: parsed(parameterKey.inputs.policy),
  };
  const chinaSecretsKey = keyByAlias(resources, chinaSecretsKeyAlias(prefix));
  if (chinaSecretsKey !== undefined) {
    resourcePolicies[keyArn(chinaSecretsKey)] = parsed(chinaSecretsKey.inputs.policy);
  }
  const artifactKeyArns: Record<string, string> = {};
  for (const key of keysByAlias(resources, aliases.artifacts)) {
    const keyRegion = key.region ?? region;
    artifactKeyArns[keyRegion] = keyArn(key);
    resourcePolicies[keyArn(key)] = parsed(key.inputs.policy);
  }
  const artifactBucketArns: Record<string, string> = {};
  for (const p of [stateBucket, ...artifactBuckets]) {
    const bucket = bucketArnOf(p);
    if (bucket !== undefined) resourcePolicies[bucket] = parsed(p.inputs.policy);
    if (bucket !== undefined && p !== stateBucket && p.region)
      artifactBucketArns[p.region] = bucket;
  }
  const environments: ProbeEnvironment[] = envs.map((e) => {
    const names = chinaKeyParameterNames(
      e.chinaParameterPrefix ?? defaultChinaParameterPrefix(e.name),
    );
    return {
      name: e.name,
      globalRegions: e.globalRegions ?? [region],
      china: e.china,
      chinaParameterArns: e.china
        ? [names.accessKey, names.secretKey, names.bucket].map((n) =>
            arn({
              partition,
              service: "ssm",
              region,
              account: accountId,
              resource: `parameter${n}`,
            }),
          )
        : [],
      crossAccountRoleArn:
        e.crossAccount === undefined
          ? undefined
          : iamArn(partition, e.crossAccount.accountId, `role/${e.crossAccount.roleName}`),
      crossAccountParameterArn:
        e.crossAccount === undefined
          ? undefined
          : arn({
              partition,
              service: "ssm",
              region,
              account: accountId,
              resource: `parameter${e.crossAccount.parameterName ?? defaultCrossAccountParameter(e.name)}`,
            }),
    };
  });
  const roles = ofTypes(resources, "aws:iam/role:Role");
  // Parsed once: the rules ask thousands of questions of the same documents.
  const identities = new Map<string, Omit<PolicySet, "resourcePolicy">>();
  const identity = (name: string) =>
    identities.get(name) ?? identities.set(name, identityOf(name)).get(name)!;
  const identityOf = (name: string) => {
    const inline = ofTypes(resources, "aws:iam/rolePolicy:RolePolicy")
      .filter((r) => r.inputs.role === name)
      .map((r) => r.inputs.policy);
    const attached = ofTypes(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
      .filter((r) => r.inputs.role === name)
      .map((r) => String(r.inputs.policyArn).split("/").pop())
      .flatMap((policyName) =>
        ofTypes(resources, "aws:iam/policy:Policy")
          .filter((p) => p.inputs.name === policyName)
          .map((p) => p.inputs.policy),
      );
    return {
      identityPolicies: [...inline, ...attached]
        .filter((d) => statementsOf(d).length > 0)
        .map(parsed),
    };
  };
  return {
    resources,
    prefix,
    scope: {
      partition,
      accountId,
      region,
      prefix,
      environments,
      stateBucketArn: bucketArnOf(stateBucket) ?? "",
      stateKeyArn: keyArn(stateKey),
      parameterKeyArn: keyArn(parameterKey),
      ...(chinaSecretsKey !== undefined && { chinaSecretsKeyArn: keyArn(chinaSecretsKey) }),
      artifactBucketArns,
      artifactKeyArns,
      resourcePolicies,
    },
    // A role's ARN carries its path (the day-2 roles are under /<prefix>-operations/).
    roleArn: (name) => {
      const path = roles.find((r) => r.inputs.name === name)?.inputs.path;
      return iamArn(partition, accountId, `role${typeof path === "string" ? path : "/"}${name}`);
    },
    identity,
    roleUrn: (name) => withUrn(roles.find((r) => r.inputs.name === name)),
  };
}
