import {
  ask,
  chinaStackProbe,
  crossAccountCodeProbes,
  environmentProbes,
  isChinaAppStack,
  previewStacks,
} from "./isolationProbes";
import type { Probe, ProbeScope } from "./probeTypes";
import { decide, type PolicySet } from "./simulate";
import {
  appFunctionName,
  appPrefixOf,
  appRoleName,
  prCommenterName,
} from "../../components/naming";
import { arn, endpointHost, iamArn } from "../../components/partition";

/*
 * The trust boundaries as lists of problems, one line each: every probe of
 * isolationProbes.ts asked for the identity that must, and every one that
 * must not, reach it.
 */

/**
 * Every problem of the deploy identities, one line each: an environment's
 * role denied something of its own, or allowed something of another's.
 * `identityOf` gives each environment's role ARN and identity policies.
 */
export function deployIsolationProblems(
  scope: ProbeScope,
  identityOf: (env: string) => { roleArn: string; policies: Omit<PolicySet, "resourcePolicy"> },
): string[] {
  const problems: string[] = [];
  // Every role is asked about every environment: each environment's probes, made once.
  const probes = new Map(scope.environments.map((e) => [e.name, environmentProbes(scope, e)]));
  const chinaStack = chinaStackProbe(scope);
  for (const env of scope.environments) {
    const { roleArn, policies } = identityOf(env.name);
    for (const other of scope.environments) {
      for (const probe of probes.get(other.name) ?? []) {
        const decision = ask(roleArn, policies, probe);
        if (other.name === env.name && decision !== "Allowed") {
          problems.push(`the ${env.name} deploy role is denied ${probe.what} (${decision})`);
        } else if (other.name !== env.name && decision === "Allowed") {
          problems.push(`the ${env.name} deploy role may reach ${probe.what}`);
        }
      }
    }
    if (ask(roleArn, policies, chinaStack) === "Allowed") {
      problems.push(`the ${env.name} deploy role may read ${chinaStack.what}`);
    }
  }
  return problems;
}

/**
 * Every problem of the cross-account roles in the artifact bucket policies:
 * an environment's role unable to write its own folder, or able to write
 * another environment's.
 */
export function crossAccountProblems(scope: ProbeScope): string[] {
  const problems: string[] = [];
  const writeAnything = {
    identityPolicies: [
      {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }],
      },
    ],
  };
  for (const env of scope.environments.filter((e) => e.crossAccountRoleArn !== undefined)) {
    for (const other of scope.environments) {
      for (const probe of crossAccountCodeProbes(scope, other)) {
        const decision = ask(env.crossAccountRoleArn!, writeAnything, probe);
        if (other.name === env.name && decision !== "Allowed") {
          problems.push(`${env.name}'s cross-account role is denied ${probe.what} (${decision})`);
        } else if (other.name !== env.name && decision === "Allowed") {
          problems.push(`${env.name}'s cross-account role may write ${probe.what}`);
        }
      }
    }
  }
  return problems;
}

/**
 * Every problem of the preview role, which runs pull-request code: it may
 * read the checkpoints and secrets of the preview environment's global app
 * stacks only, write no state and no code, assume no role, read no China key
 * but, with previewChina, the preview environment's; and it is explicitly
 * denied every China app stack's state and secrets (previewChina previews
 * China against an empty stack), so no Allow added later opens them.
 */
export function previewProblems(
  scope: ProbeScope,
  preview: { roleArn: string; policies: Omit<PolicySet, "resourcePolicy"> },
  previewEnvironment: string,
  previewChina: boolean,
): string[] {
  const env = scope.environments.find((e) => e.name === previewEnvironment);
  if (env === undefined) return [`no environment ${previewEnvironment} to preview`];
  const readable = new Set(previewStacks(env));
  const problems: string[] = [];
  const expect = (probe: Probe, allowed: boolean) => {
    const decision = ask(preview.roleArn, preview.policies, probe);
    const reads = probe.kind === "state-read" || probe.kind === "secrets";
    if (allowed && decision !== "Allowed") {
      problems.push(`the preview role is denied ${probe.what} (${decision})`);
    } else if (!allowed && decision === "Allowed") {
      problems.push(`the preview role may reach ${probe.what}`);
    } else if (reads && isChinaAppStack(probe.stack) && decision !== "ExplicitlyDenied") {
      problems.push(
        `the preview role is not explicitly denied ${probe.what} (${decision}): deny every China app stack's state and secrets to it`,
      );
    }
  };
  for (const other of scope.environments) {
    for (const probe of environmentProbes(scope, other)) {
      const reads = probe.kind === "state-read" || probe.kind === "secrets";
      const allowed =
        (reads && probe.stack !== undefined && readable.has(probe.stack)) ||
        (probe.kind === "parameter" && other.name === env.name && previewChina && env.china);
      expect(probe, allowed);
    }
  }
  expect(chinaStackProbe(scope), false);
  return problems;
}

/**
 * Every problem of the pipeline account's app boundary: an in-account
 * environment's app role (in each of its Regions) unable to write its own
 * function's log group, or able to write another environment's or the PR
 * comment poster's, whatever its own policy allows.
 */
export function appBoundaryProblems(scope: ProbeScope, boundary: unknown): string[] {
  const inAccount = scope.environments.filter((e) => e.crossAccountRoleArn === undefined);
  const groups = [
    ...scope.environments.map((e) => ({
      owner: e.name,
      group: appFunctionName(appPrefixOf(scope.prefix, e.name)),
    })),
    { owner: "the PR comment poster", group: prCommenterName(scope.prefix) },
  ];
  const everything = {
    identityPolicies: [
      { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "logs:*", Resource: "*" }] },
    ],
    permissionsBoundary: boundary,
  };
  const problems: string[] = [];
  for (const env of inAccount) {
    for (const region of env.globalRegions) {
      const role = appRoleName(appPrefixOf(scope.prefix, env.name), region);
      for (const { owner, group } of groups) {
        const decision = decide(everything, {
          principal: iamArn(scope.partition, scope.accountId, `role/${role}`),
          action: "logs:PutLogEvents",
          resource: arn({
            partition: scope.partition,
            service: "logs",
            region,
            account: scope.accountId,
            resource: `log-group:/aws/lambda/${group}:log-stream:probe`,
          }),
          context: { "aws:RequestedRegion": region },
        });
        const own = owner === env.name;
        if (own && decision !== "Allowed") {
          problems.push(
            `the app boundary denies ${role} its own log group /aws/lambda/${group} (${decision})`,
          );
        } else if (!own && decision === "Allowed") {
          problems.push(
            `the app boundary lets ${role} write ${owner}'s log group /aws/lambda/${group}`,
          );
        }
      }
    }
  }
  return problems;
}

/**
 * Every problem of the artifact keys: a pipeline role that may use one by
 * calling KMS itself, or through S3 for another bucket than the key's. Each
 * role's own policy is taken to allow it anything in KMS: the key policy decides.
 */
export function artifactKeyProblems(scope: ProbeScope, roleArns: readonly string[]): string[] {
  const anything = {
    identityPolicies: [
      { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }] },
    ],
  };
  const problems: string[] = [];
  for (const [region, key] of Object.entries(scope.artifactKeyArns ?? {})) {
    const resourcePolicy = scope.resourcePolicies[key];
    const other = `arn:${scope.partition}:s3:::not-the-artifact-bucket`;
    const asks: { how: string; context: Record<string, string> }[] = [
      { how: "by calling KMS itself", context: {} },
      {
        how: "through S3 for another bucket",
        context: {
          "kms:ViaService": endpointHost("s3", region),
          "kms:EncryptionContext:aws:s3:arn": other,
        },
      },
    ];
    for (const principal of roleArns) {
      for (const { how, context } of asks) {
        for (const action of ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]) {
          const decision = decide(
            { ...anything, resourcePolicy },
            { principal, action, resource: key, context },
          );
          if (decision === "Allowed") {
            problems.push(`${principal} may ${action} with the artifact key of ${region} ${how}`);
          }
        }
      }
    }
  }
  return problems;
}
