import { BASE_KINDS, kindNamed, resourceArn } from "../../components/appKinds";
import { kindReadActions } from "../../components/iam/appPolicyStatements";
import {
  appPrefixOf,
  checksRoleName,
  chinaBootstrapParameterNames,
  CHINA_TARGET,
  defaultChinaParameterPrefix,
  rotationRoleName,
} from "../../components/naming";
import { arn } from "../../components/partition";
import { pipelineRule } from "./isolation";
import {
  ask,
  checkpointArn,
  chinaStackProbe,
  environmentProbes,
  readParameterProbes,
} from "./isolationProbes";
import type { PipelinePolicyOptions } from "./pipeline";
import type { PlannedPipeline } from "./plannedPipeline";
import type { Probe, ProbeScope } from "./probeTypes";
import type { PolicySet } from "./simulate";
import { Policy } from "./types";
import { get, ofTypes } from "./util";

/*
 * The day-2 identities' boundaries as plan rules, asked of the IAM policy
 * engine (simulate.ts): the scheduled checks' role reads and writes nothing;
 * the rotation role reaches the China bootstrap and deploy keys and the
 * china stack, nothing else; each schedule's role starts its own project only.
 */

type Identity = { roleArn: string; policies: Omit<PolicySet, "resourcePolicy"> };
type Expectation = readonly [probe: Probe, allowed: boolean];

const PROJECT = "aws:codebuild/project:Project";
const SCHEDULE = "aws:scheduler/schedule:Schedule";

/** Starting each CodeBuild project of the stack. */
function startBuildProbes(p: PlannedPipeline): Probe[] {
  return ofTypes(p.resources, PROJECT).map((project) => {
    const name = String(project.inputs.name);
    return {
      kind: "app",
      what: `starting the CodeBuild project ${name}`,
      request: {
        action: "codebuild:StartBuild",
        resource: arn({
          partition: p.scope.partition,
          service: "codebuild",
          region: project.region ?? p.scope.region,
          account: p.scope.accountId,
          resource: `project/${name}`,
        }),
      },
    };
  });
}

const parameterArn = (scope: ProbeScope, name: string) =>
  arn({
    partition: scope.partition,
    service: "ssm",
    region: scope.region,
    account: scope.accountId,
    resource: `parameter${name}`,
  });

/** The China environments' bootstrap keys (`<chinaParameterPrefix>/Bootstrap/…`). */
function bootstrapProbes(scope: ProbeScope, options: PipelinePolicyOptions): Probe[] {
  return (options.environments ?? [])
    .filter((e) => e.china)
    .flatMap((e) => {
      const names = chinaBootstrapParameterNames(
        e.chinaParameterPrefix ?? defaultChinaParameterPrefix(e.name),
      );
      return readParameterProbes(
        scope,
        `${e.name}'s China bootstrap key`,
        parameterArn(scope, names.accessKeyId),
      );
    });
}

/**
 * A read of one resource of each kind the app manages, named for `owner`'s
 * environment, in each of `env`'s Regions: what a refresh of `env`'s app
 * stacks asks. Kinds whose resources carry ids, not names, are left out: no
 * environment's can be told apart.
 */
function appReadProbes(
  scope: ProbeScope,
  env: ProbeScope["environments"][number],
  owner: string,
  kinds: readonly string[],
): Probe[] {
  return [...new Set([...BASE_KINDS, ...kinds])].flatMap((name) => {
    const kind = kindNamed(name);
    if (kind === undefined || kind.unnamedResources) return [];
    // A read of the kind's own resource type alone, so the resource below is what it acts on.
    const type = kind.resourceTypes[0].toLowerCase();
    const read = kindReadActions(kind).find(
      (a) => a.resourceTypes.length === 1 && a.resourceTypes[0]?.toLowerCase() === type,
    );
    if (read === undefined) return [];
    return env.globalRegions.map((region): Probe => {
      const resource = resourceArn(kind, `${appPrefixOf(scope.prefix, owner)}-probe`, {
        partition: scope.partition,
        region,
        account: scope.accountId,
      });
      return {
        kind: "app",
        what: `${kind.service}:${read.name} on ${owner}'s ${name} ${resource}`,
        request: {
          action: `${kind.service}:${read.name}`,
          resource,
          context: { "aws:RequestedRegion": region },
        },
      };
    });
  });
}

/** Lines for every expectation the identity does not meet. */
function unmet(name: string, identity: Identity, expectations: readonly Expectation[]): string[] {
  return expectations.flatMap(([probe, allowed]) => {
    const decision = ask(identity.roleArn, identity.policies, probe);
    if (allowed && decision !== "Allowed") return [`${name} is denied ${probe.what} (${decision})`];
    if (!allowed && decision === "Allowed") return [`${name} may reach ${probe.what}`];
    return [];
  });
}

/**
 * Each environment's checks role: its own China deploy key (read, and
 * decrypted through SSM), its own app stacks' checkpoints and secrets,
 * read; nothing of another environment; and nothing it could change
 * anything with: no state write, no code, no app change, no cross-account
 * role, no project started, never the china stack or a China bootstrap key.
 */
export function checksProblems(
  p: PlannedPipeline,
  options: PipelinePolicyOptions,
): { urn: string; message: string }[] {
  const readable = new Set(["parameter", "state-read", "secrets"]);
  return p.scope.environments.flatMap((env) => {
    const name = checksRoleName(p.prefix, env.name);
    const urn = p.roleUrn(name);
    if (urn === "") return [];
    const identity = { roleArn: p.roleArn(name), policies: p.identity(name) };
    const expectations: Expectation[] = [
      ...p.scope.environments.flatMap((other) =>
        environmentProbes(p.scope, other).map((probe): Expectation => [
          probe,
          other.name === env.name && readable.has(probe.kind),
        ]),
      ),
      ...bootstrapProbes(p.scope, options).map((probe): Expectation => [probe, false]),
      ...startBuildProbes(p).map((probe): Expectation => [probe, false]),
      [chinaStackProbe(p.scope), false],
      // Its drift check refreshes its in-account app: a read of every kind the app manages.
      ...(env.crossAccountRoleArn === undefined
        ? p.scope.environments.flatMap((owner) =>
            appReadProbes(p.scope, env, owner.name, options.manages ?? []).map(
              (probe): Expectation => [probe, owner.name === env.name],
            ),
          )
        : []),
    ];
    // Its explicit Denies of the china stack are state-china-stack-denied's to check.
    return unmet(`${env.name}'s checks role`, identity, expectations).map((message) => ({
      urn,
      message,
    }));
  });
}

/**
 * The rotation role: every China environment's bootstrap key (read, through
 * SSM), its deploy key parameters (written, encrypted through SSM), the
 * china stack's state (read and written) and secrets key; and nothing else
 * of the pipeline: no app stack's state or secrets, no app, no code, no
 * cross-account role, no project started.
 */
export function rotationProblems(
  p: PlannedPipeline,
  identity: Identity,
  options: PipelinePolicyOptions,
): string[] {
  const { scope } = p;
  const chinaState = checkpointArn(scope, CHINA_TARGET);
  const bucketPolicy = scope.resourcePolicies[scope.stateBucketArn];
  const s3 = (action: string, resource: string, what: string): Probe => ({
    kind: "state-write",
    what,
    request: { action, resource, resourceAccount: scope.accountId },
    resourcePolicy: bucketPolicy,
  });
  const deployKeys = scope.environments.flatMap((e) => e.chinaParameterArns);
  const expectations: Expectation[] = [
    ...scope.environments.flatMap((env) =>
      environmentProbes(scope, env).map(
        // Its deploy key parameters it reads back after writing them; nothing else of an environment.
        (probe): Expectation => [probe, probe.kind === "parameter"],
      ),
    ),
    ...bootstrapProbes(scope, options).map((probe): Expectation => [probe, true]),
    ...deployKeys.map((parameter): Expectation => [
      {
        kind: "parameter",
        what: `writing the deploy key parameter ${parameter}`,
        request: { action: "ssm:PutParameter", resource: parameter },
      },
      true,
    ]),
    [s3("s3:GetObject", chinaState, "the china stack's state"), true],
    [s3("s3:PutObject", chinaState, "writing the china stack's state"), true],
    [s3("s3:PutObject", checkpointArn(scope, "global"), "writing the global stack's state"), false],
    ...readParameterProbes(
      scope,
      "a seed parameter",
      parameterArn(scope, "/US/Dev/CodeBuildRole"),
    ).map((probe): Expectation => [probe, false]),
    ...startBuildProbes(p).map((probe): Expectation => [probe, false]),
  ];
  const secretsKey = scope.chinaSecretsKeyArn;
  if (secretsKey !== undefined) {
    expectations.push([
      {
        kind: "secrets",
        what: "decrypting the china stack's secrets",
        request: { action: "kms:Decrypt", resource: secretsKey },
        resourcePolicy: scope.resourcePolicies[secretsKey],
      },
      true,
    ]);
  }
  return unmet("the rotation role", identity, expectations);
}

/** Each schedule's role may start the schedule's project and no other, nor the pipeline. */
export function scheduleProblems(p: PlannedPipeline): { urn: string; message: string }[] {
  const problems: { urn: string; message: string }[] = [];
  for (const schedule of ofTypes(p.resources, SCHEDULE)) {
    const report = (message: string) => problems.push({ urn: schedule.urn, message });
    const target = String(get(schedule.inputs, "target", "arn") ?? "");
    const roleArn = String(get(schedule.inputs, "target", "roleArn") ?? "");
    const roleName = roleArn.split("/").pop() ?? "";
    const identity = { roleArn, policies: p.identity(roleName) };
    const expectations = startBuildProbes(p).map((probe): Expectation => [
      probe,
      probe.request.resource === target,
    ]);
    if (!expectations.some(([, allowed]) => allowed)) {
      report(`schedule ${String(schedule.inputs.name)} targets ${target}, no project of the stack`);
    }
    unmet(`the schedule role ${roleName}`, identity, expectations).forEach(report);
  }
  return problems;
}

/** The day-2 identities' rules, checked when the global stack has those roles. */
export function operationsPolicies(options: PipelinePolicyOptions = {}): Policy[] {
  const roleRule = (
    spec: Omit<Policy, "validateResource" | "validateStack">,
    roleName: (prefix: string) => string,
    check: (p: PlannedPipeline, identity: Identity, o: PipelinePolicyOptions) => string[],
  ) =>
    pipelineRule(spec, options, (p) => {
      const name = roleName(p.prefix);
      const urn = p.roleUrn(name);
      if (urn === "") return [];
      const identity = { roleArn: p.roleArn(name), policies: p.identity(name) };
      return check(p, identity, options).map((message) => ({ urn, message }));
    });
  return [
    pipelineRule(
      {
        name: "checks-identity-per-environment",
        description:
          "Each environment's scheduled checks role reads its own China deploy key (through SSM) and its own app stacks' state and secrets, nothing of another environment, and writes nothing: no state, code or app, no cross-account role, no build started; it never reads the china stack or a China bootstrap key (decided by an IAM policy engine).",
      },
      options,
      (p) => checksProblems(p, options),
    ),
    roleRule(
      {
        name: "rotation-identity-confined",
        description:
          "The scheduled rotation's role reads the China bootstrap keys and writes the deploy key parameters through SSM, reads and writes the china stack's state and uses its secrets key, and reaches nothing else: no app stack's state or secrets, no app, no code, no cross-account role, no seed parameter, no build started (decided by an IAM policy engine).",
      },
      rotationRoleName,
      rotationProblems,
    ),
    pipelineRule(
      {
        name: "scheduled-build-confined",
        description:
          "Each EventBridge Scheduler schedule's role may start its own CodeBuild project and no other (decided by an IAM policy engine).",
      },
      options,
      scheduleProblems,
    ),
  ];
}
