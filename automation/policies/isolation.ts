import { allRoleNames, pipelineRoleNames } from "../../components/pipelineRoles";
import {
  chinaKeyParameterNames,
  DEFAULT_PREFIX,
  defaultChinaParameterPrefix,
  deployRoleName,
  keyAliases,
} from "../../components/naming";
import { arn, iamArn, Partition } from "../../components/partition";
import { PlannedResource, Violation } from "../plan/types";
import {
  ask,
  chinaStackProbe,
  crossAccountProblems,
  deployIsolationProblems,
  previewProblems,
  ProbeEnvironment,
  ProbeScope,
} from "./isolationProbes";
import { environmentOf, isDeployAction, PipelinePolicyOptions } from "./pipeline";
import type { PolicySet } from "./simulate";
import { Policy } from "./types";
import { get, ofTypes, statementsOf, stringsOf } from "./util";

/*
 * The trust boundaries of the global stack as plan rules: each policy the
 * stack writes, read from the planned resources and asked of a real IAM
 * policy engine (simulate.ts) whether each identity reaches what it must and
 * nothing else. They need the configured environments (the plan passes
 * them); without them they have nothing to check against.
 */

const PIPELINE = "aws:codepipeline/pipeline:Pipeline";
const PROJECT = "aws:codebuild/project:Project";

/** The global stack's identities and the policies on what they reach, from its planned resources. */
interface PlannedPipeline {
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

function keyByAlias(resources: readonly PlannedResource[], alias: string) {
  const target = ofTypes(resources, "aws:kms/alias:Alias").find(
    (a) => a.inputs.name === `alias/${alias}`,
  )?.inputs.targetKeyId;
  return ofTypes(resources, "aws:kms/key:Key").find((k) => k.id !== null && k.id === target);
}

/** Reads the pipeline's identities and resource policies; undefined when this is not the global stack. */
export function plannedPipeline(
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
      artifactBucketArns,
      resourcePolicies,
    },
    roleArn: (name) => iamArn(partition, accountId, `role/${name}`),
    identity,
    roleUrn: (name) => withUrn(roles.find((r) => r.inputs.name === name)),
  };
}

/** A stack rule over the planned pipeline; nothing to say about another stack. */
function pipelineRule(
  spec: Omit<Policy, "validateResource" | "validateStack">,
  options: PipelinePolicyOptions,
  check: (p: PlannedPipeline) => { urn: string; message: string }[],
): Policy {
  return {
    ...spec,
    validateStack: (resources): Violation[] => {
      const planned = plannedPipeline(resources, options);
      return planned === undefined
        ? []
        : check(planned).map((v) => ({ policy: spec.name, urn: v.urn, message: v.message }));
    },
  };
}

/** Every deploy action of environment E runs on a project whose role is E's deploy role. */
function deployActionRoles(options: PipelinePolicyOptions): Policy {
  return pipelineRule(
    {
      name: "deploy-identity-per-environment",
      description:
        "Every deploy action of an environment runs on a CodeBuild project whose service role is that environment's deploy role (<prefix>-deploy-<env>), and no project serves two environments.",
    },
    options,
    (p) => {
      const problems: { urn: string; message: string }[] = [];
      const projects = ofTypes(p.resources, PROJECT);
      const [pipeline] = ofTypes(p.resources, PIPELINE);
      const stages = (get(pipeline.inputs, "stages") ?? []) as {
        name: string;
        actions: { name?: string; category?: string; configuration?: Record<string, unknown> }[];
      }[];
      const served = new Map<string, string>();
      for (const stage of stages) {
        const deploys = stage.actions.filter(isDeployAction);
        if (deploys.length === 0) continue;
        const env = environmentOf(stage);
        const expected = p.roleArn(deployRoleName(p.prefix, env));
        for (const action of deploys) {
          const name = String(action.configuration?.ProjectName ?? "");
          const project = projects.find((r) => r.inputs.name === name);
          const urn = project?.urn ?? pipeline.urn;
          const role = project?.inputs.serviceRole;
          if (role !== expected) {
            problems.push({
              urn,
              message: `project ${name} deploys ${env} as ${String(role)}, not as ${expected}: give each environment its own deploy projects and role`,
            });
          }
          const other = served.get(name);
          if (other !== undefined && other !== env) {
            problems.push({ urn, message: `project ${name} deploys both ${other} and ${env}` });
          }
          served.set(name, env);
        }
      }
      return problems;
    },
  );
}

/** Each deploy role reaches its environment's China key, role, state and code, and no other's. */
function deployIsolation(options: PipelinePolicyOptions): Policy {
  return pipelineRule(
    {
      name: "deploy-identity-isolation",
      description:
        "Each environment's deploy role may read its own China key parameters (through SSM), assume its own cross-account role, write its own code folder and read and write its own app stacks' state and secrets, and none of another environment's; each cross-account role may write its own code folder in the artifact buckets and no other (decided by an IAM policy engine).",
    },
    options,
    (p) => {
      const identityOf = (env: string) => {
        const name = deployRoleName(p.prefix, env);
        return { roleArn: p.roleArn(name), policies: p.identity(name) };
      };
      const urnOf = (message: string) => {
        const env = /^the (\S+) deploy role/.exec(message)?.[1];
        return p.roleUrn(env === undefined ? "" : deployRoleName(p.prefix, env));
      };
      return [
        ...deployIsolationProblems(p.scope, identityOf),
        ...crossAccountProblems(p.scope),
      ].map((message) => ({ urn: urnOf(message), message }));
    },
  );
}

/** The preview role, which runs pull-request code, reaches the previewed stacks only. */
function previewConfinement(options: PipelinePolicyOptions): Policy {
  return pipelineRule(
    {
      name: "preview-identity-confined",
      description:
        "The pr-preview role reads only the checkpoints and secrets of the preview environment's global app stacks (and, with previewChina, that environment's China key and China app stack), writes no state or code and assumes no role.",
    },
    options,
    (p) => {
      const name = pipelineRoleNames(p.prefix, []).preview;
      const preview = { roleArn: p.roleArn(name), policies: p.identity(name) };
      const env = options.previewEnvironment ?? options.environments?.[0]?.name ?? "";
      return previewProblems(p.scope, preview, env, options.previewChina === true).map(
        (message) => ({ urn: p.roleUrn(name), message }),
      );
    },
  );
}

/**
 * No pipeline role may read the `china` stack's state (the China bootstrap
 * keys), and each is explicitly denied twice: by its own policy and by the
 * state bucket's, so no Allow added to either can open it.
 */
function chinaStackDenied(options: PipelinePolicyOptions): Policy {
  return pipelineRule(
    {
      name: "state-china-stack-denied",
      description:
        "Every pipeline role is explicitly denied the china stack's state objects, both in its own policy and in the state bucket's policy.",
    },
    options,
    (p) => {
      const names = allRoleNames(
        pipelineRoleNames(
          p.prefix,
          (options.environments ?? []).map((e) => e.name),
        ),
      );
      const probe = chinaStackProbe(p.scope);
      const anything = {
        identityPolicies: [
          {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }],
          },
        ],
      };
      const problems: { urn: string; message: string }[] = [];
      for (const name of names) {
        const roleArn = p.roleArn(name);
        const own = ask(roleArn, p.identity(name), { ...probe, resourcePolicy: undefined });
        const bucket = ask(roleArn, anything, probe);
        const touches = p
          .identity(name)
          .identityPolicies.some((d) => JSON.stringify(d).includes(p.scope.stateBucketArn));
        if (touches && own !== "ExplicitlyDenied") {
          problems.push({
            urn: p.roleUrn(name),
            message: `${name} reaches the state bucket but its policy does not deny ${probe.what} (${own})`,
          });
        }
        if (bucket !== "ExplicitlyDenied") {
          problems.push({
            urn: p.roleUrn(name),
            message: `the state bucket's policy does not deny ${name} ${probe.what} (${bucket})`,
          });
        }
      }
      return problems;
    },
  );
}

/** The trust-boundary rules, checked against the configured environments. */
export function isolationPolicies(options: PipelinePolicyOptions = {}): Policy[] {
  return [
    deployActionRoles(options),
    deployIsolation(options),
    previewConfinement(options),
    chinaStackDenied(options),
  ];
}
