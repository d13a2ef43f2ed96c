import { allRoleNames, pipelineRoleNames } from "../../components/iam/pipelineRoles";
import {
  appBoundaryPolicyName,
  checksRoleName,
  deployRoleName,
  prCommenterName,
  rotationRoleName,
} from "../../components/naming";
import { Violation } from "../plan/types";
import { appBoundaryUseProblems } from "./boundaryUses";
import {
  appBoundaryProblems,
  artifactKeyProblems,
  crossAccountProblems,
  deployIsolationProblems,
  previewProblems,
} from "./isolationChecks";
import { ask, chinaStackObjectProbes } from "./isolationProbes";
import { environmentOf, isDeployAction, PipelinePolicyOptions } from "./pipeline";
import { PlannedPipeline, plannedPipeline } from "./plannedPipeline";
import { Policy } from "./types";
import { get, ofTypes } from "./util";

/*
 * The trust boundaries of the global stack as plan rules: each policy the
 * stack writes, read from the planned resources and asked of a real IAM
 * policy engine (simulate.ts) whether each identity reaches what it must and
 * nothing else. They need the configured environments (the plan passes
 * them); without them they have nothing to check against.
 */

const PIPELINE = "aws:codepipeline/pipeline:Pipeline";
const PROJECT = "aws:codebuild/project:Project";

/** A stack rule over the planned pipeline; nothing to say about another stack. */
export function pipelineRule(
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
      if (pipeline === undefined) return problems;
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
        "Each environment's deploy role may read its own China key parameters (through SSM), assume its own cross-account role and read its role parameter, write its own code folder, change its own app in the pipeline account (function code, role trust policy, passing the role to Lambda, log group) and read and write its own app stacks' state and secrets, and none of another environment's; each cross-account role may write its own code folder in the artifact buckets and no other (decided by an IAM policy engine).",
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
        "The pr-preview role reads only the checkpoints and secrets of the preview environment's global app stacks (and, with previewChina, that environment's China key), is explicitly denied every China app stack's state and secrets, writes no state or code and assumes no role.",
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
        "Every pipeline role, and the scheduled checks' role, is explicitly denied every S3 object action (from AWS's action list) on the china stack's state objects, both in its own policy and in the state bucket's policy.",
    },
    options,
    (p) => {
      const names = [
        ...allRoleNames(
          pipelineRoleNames(
            p.prefix,
            (options.environments ?? []).map((e) => e.name),
          ),
        ),
        // The environments' checks roles read app stacks, never the china stack.
        ...(options.environments ?? [])
          .map((e) => checksRoleName(p.prefix, e.name))
          .filter((n) => p.roleUrn(n) !== ""),
      ];
      const probes = chinaStackObjectProbes(p.scope);
      const anything = {
        identityPolicies: [
          {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }],
          },
        ],
      };
      const problems: { urn: string; message: string }[] = [];
      const open = (decisions: { action: string; decision: string }[]) => {
        const left = decisions.filter((d) => d.decision !== "ExplicitlyDenied");
        const named = left.slice(0, 3).map((d) => `${d.action} (${d.decision})`);
        return left.length === 0
          ? undefined
          : `${named.join(", ")}${left.length > 3 ? ` and ${left.length - 3} more S3 object actions` : ""}`;
      };
      for (const name of names) {
        const roleArn = p.roleArn(name);
        const touches = p
          .identity(name)
          .identityPolicies.some((d) => JSON.stringify(d).includes(p.scope.stateBucketArn));
        const own = open(
          probes.map((probe) => ({
            action: probe.request.action,
            decision: ask(roleArn, p.identity(name), { ...probe, resourcePolicy: undefined }),
          })),
        );
        const bucket = open(
          probes.map((probe) => ({
            action: probe.request.action,
            decision: ask(roleArn, anything, probe),
          })),
        );
        if (touches && own !== undefined) {
          problems.push({
            urn: p.roleUrn(name),
            message: `${name} reaches the state bucket but its policy does not deny it the china stack's state: ${own}`,
          });
        }
        if (bucket !== undefined) {
          problems.push({
            urn: p.roleUrn(name),
            message: `the state bucket's policy does not deny ${name} the china stack's state: ${bucket}`,
          });
        }
      }
      return problems;
    },
  );
}

/**
 * The app boundary of the pipeline account lets each environment's app roles
 * write their own function's log group and nothing of another environment's
 * or of the pipeline (the PR comment poster's log group), and use their own
 * environment's resources of the kinds in functionsUse and no other's.
 */
function appBoundaryConfined(options: PipelinePolicyOptions): Policy {
  return pipelineRule(
    {
      name: "app-boundary-per-environment",
      description:
        "The pipeline account's app boundary lets an environment's app role write its own function's log group, and no other environment's nor the PR comment poster's, and use its own environment's resources of the kinds in silkroute:app.functionsUse, and no other environment's (decided by an IAM policy engine).",
    },
    options,
    (p) => {
      const name = appBoundaryPolicyName(p.prefix);
      const boundary = ofTypes(p.resources, "aws:iam/policy:Policy").find(
        (r) => r.inputs.name === name,
      );
      if (boundary === undefined) return [];
      const document = JSON.parse(String(boundary.inputs.policy));
      return [
        ...appBoundaryProblems(p.scope, document),
        ...appBoundaryUseProblems(p.scope, document, options.functionsUse ?? []),
      ].map((message) => ({ urn: boundary.urn, message }));
    },
  );
}

/** No pipeline role may use an artifact key but through S3 for the key's own bucket (or CodeBuild). */
function artifactKeysThroughS3(options: PipelinePolicyOptions): Policy {
  return pipelineRule(
    {
      name: "artifact-keys-through-s3",
      description:
        "No pipeline role may encrypt, decrypt or generate data keys with an artifact key by calling KMS itself or through S3 for another bucket: only S3 for the key's own bucket, or CodeBuild, may use it on the role's behalf (decided by an IAM policy engine).",
    },
    options,
    (p) => {
      const names = allRoleNames(
        pipelineRoleNames(
          p.prefix,
          (options.environments ?? []).map((e) => e.name),
        ),
      );
      const day2 = [
        ...(options.environments ?? []).map((e) => checksRoleName(p.prefix, e.name)),
        rotationRoleName(p.prefix),
      ];
      const roles = [...names, prCommenterName(p.prefix), ...day2].filter(
        (n) => p.roleUrn(n) !== "",
      );
      return artifactKeyProblems(p.scope, roles.map(p.roleArn)).map((message) => ({
        urn: p.roleUrn(roles.find((n) => message.startsWith(p.roleArn(n))) ?? ""),
        message,
      }));
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
    appBoundaryConfined(options),
    artifactKeysThroughS3(options),
  ];
}
