import {
  appCodeFolder,
  appPrefixOf,
  appStackName,
  appStackNames,
  CHINA_TARGET,
  PULUMI_PROJECT,
  SECRETS_CONTEXT_KEY,
} from "../../components/naming";
import { endpointHost, iamArn } from "../../components/partition";
import { appProbes } from "./appProbes";
import { iamActions } from "./iamActions";
import type { Probe, ProbeEnvironment, ProbeKind, ProbeScope } from "./probeTypes";
import { decide, Decision, PolicySet } from "./simulate";

/*
 * What each pipeline identity may reach, asked of a real IAM policy engine:
 * every environment's deploy role its own China key, cross-account role,
 * artifact folder and state (objects and secrets), and none of another
 * environment's; the preview role the preview environment's checkpoints only;
 * no pipeline role the `china` stack's state. Pure: the plan's rules
 * (isolation.ts) and the tests feed it the policy documents.
 */

const bucketOf = (objectArn: string) => objectArn.slice(0, objectArn.indexOf("/"));

function s3Probe(
  scope: ProbeScope,
  kind: ProbeKind,
  what: string,
  action: string,
  object: string,
  stack?: string,
): Probe {
  return {
    kind,
    stack,
    what,
    request: { action, resource: object, resourceAccount: scope.accountId },
    resourcePolicy: scope.resourcePolicies[bucketOf(object)],
  };
}

/** The checkpoint object of an app stack. */
export function checkpointArn(scope: ProbeScope, stack: string): string {
  return `${scope.stateBucketArn}/.pulumi/stacks/${PULUMI_PROJECT}/${stack}.json`;
}

/** Decrypting a stack's secrets: its data key under its encryption context. */
function secretsProbe(scope: ProbeScope, stack: string): Probe {
  return {
    kind: "secrets",
    stack,
    what: `the secrets of stack ${stack}`,
    request: {
      action: "kms:Decrypt",
      resource: scope.stateKeyArn,
      context: { [`kms:EncryptionContext:${SECRETS_CONTEXT_KEY}`]: stack },
    },
    resourcePolicy: scope.resourcePolicies[scope.stateKeyArn],
  };
}

/** Reading one SSM parameter (its ARN), and decrypting it the way SSM does. */
export function readParameterProbes(scope: ProbeScope, what: string, parameter: string): Probe[] {
  return [
    { kind: "parameter", what, request: { action: "ssm:GetParameter", resource: parameter } },
    {
      kind: "parameter",
      what: `decrypting ${what} through SSM`,
      request: {
        action: "kms:Decrypt",
        resource: scope.parameterKeyArn,
        context: {
          "kms:ViaService": endpointHost("ssm", scope.region),
          "kms:EncryptionContext:PARAMETER_ARN": parameter,
        },
      },
      resourcePolicy: scope.resourcePolicies[scope.parameterKeyArn],
    },
  ];
}

/** Reading each of an environment's China key parameters, and decrypting it. */
function parameterProbes(scope: ProbeScope, env: ProbeEnvironment): Probe[] {
  return env.chinaParameterArns.flatMap((parameter) =>
    readParameterProbes(scope, `${env.name}'s China key parameter ${parameter}`, parameter),
  );
}

/** The environment's code folder in each of its Regions' artifact buckets. */
function codeObjects(scope: ProbeScope, env: ProbeEnvironment): string[] {
  const folder = appCodeFolder(appPrefixOf(scope.prefix, env.name));
  return env.globalRegions
    .map((r) => scope.artifactBucketArns[r])
    .filter((b): b is string => b !== undefined)
    .map((bucket) => `${bucket}/${folder}probe.zip`);
}

/**
 * Everything of `env` its deploy identity needs and no other may have: the
 * China key, the cross-account role (the target account assumed to trust the
 * pipeline account: the identity policy decides), the state objects and
 * secrets of its stacks, and (in-account environments) its code folder and
 * its app (function, role, log group).
 */
export function environmentProbes(scope: ProbeScope, env: ProbeEnvironment): Probe[] {
  const stacks = appStackNames(env);
  const role = env.crossAccountRoleArn;
  const roleParameter = env.crossAccountParameterArn;
  return [
    ...parameterProbes(scope, env),
    ...(roleParameter === undefined
      ? []
      : [
          {
            kind: "role-parameter" as const,
            what: `${env.name}'s cross-account role parameter ${roleParameter}`,
            request: { action: "ssm:GetParameter", resource: roleParameter },
          },
        ]),
    ...(role === undefined
      ? []
      : [
          {
            kind: "role" as const,
            what: `${env.name}'s cross-account role ${role}`,
            request: { action: "sts:AssumeRole", resource: role },
            resourcePolicy: trustingAccount(scope),
          },
        ]),
    ...stacks.flatMap((stack) => [
      s3Probe(
        scope,
        "state-read",
        `the state of stack ${stack}`,
        "s3:GetObject",
        checkpointArn(scope, stack),
        stack,
      ),
      s3Probe(
        scope,
        "state-write",
        `writing the state of stack ${stack}`,
        "s3:PutObject",
        checkpointArn(scope, stack),
        stack,
      ),
      secretsProbe(scope, stack),
    ]),
    ...(role === undefined
      ? [
          ...codeObjects(scope, env).map((o) =>
            s3Probe(scope, "code", `${env.name}'s code folder (${o})`, "s3:PutObject", o),
          ),
          ...appProbes(scope, env),
        ]
      : []),
  ];
}

/** A trust policy trusting the whole pipeline account: what is left to decide is the caller's own policy. */
function trustingAccount(scope: ProbeScope) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: iamArn(scope.partition, scope.accountId, "root") },
        Action: "sts:AssumeRole",
      },
    ],
  };
}

/**
 * What a cross-account environment's role may write in the pipeline
 * account's artifact buckets: its own folder, decided by the bucket policy
 * alone (its own account's policies are assumed to allow it).
 */
export function crossAccountCodeProbes(scope: ProbeScope, env: ProbeEnvironment): Probe[] {
  return codeObjects(scope, env).map((o) =>
    s3Probe(scope, "code", `${env.name}'s code folder (${o})`, "s3:PutObject", o),
  );
}

/**
 * Every S3 action on an object (from AWS's action list) on the `china` stack's
 * checkpoint: reading, writing, restoring, its versions, ACLs and tags alike.
 */
export function chinaStackObjectProbes(scope: ProbeScope): Probe[] {
  const object = checkpointArn(scope, CHINA_TARGET);
  return iamActions("s3")
    .filter((a) => a.resourceTypes.includes("object"))
    .map((a) =>
      s3Probe(scope, "state-read", `${a.action} on the china stack's state`, a.action, object),
    );
}

/** The `china` stack's checkpoint: no pipeline role may ever read it. */
export function chinaStackProbe(scope: ProbeScope): Probe {
  return s3Probe(
    scope,
    "state-read",
    "the china stack's state (the China bootstrap keys)",
    "s3:GetObject",
    checkpointArn(scope, CHINA_TARGET),
  );
}

/**
 * The stacks whose state pr-preview reads: the preview environment's global
 * targets. Never a China one: with previewChina the China target is
 * previewed against an empty throwaway stack.
 */
export function previewStacks(env: ProbeEnvironment): string[] {
  return env.globalRegions.map((r) => appStackName(env.name, r));
}

/** Whether a stack is a China app stack (`<env>-china`), whose state holds a China deploy key. */
export function isChinaAppStack(stack: string | undefined): boolean {
  return stack !== undefined && stack.endsWith(`-${CHINA_TARGET}`);
}

/** The decision of one probe for a principal with the given identity policies. */
export function ask(
  principal: string,
  identity: Omit<PolicySet, "resourcePolicy">,
  probe: Probe,
): Decision {
  // Spelt out rather than spread: the deploy rule asks every role of every environment's probes.
  const { action, resource, resourceAccount, context } = probe.request;
  return decide(
    {
      identityPolicies: identity.identityPolicies,
      permissionsBoundary: identity.permissionsBoundary,
      resourcePolicy: probe.resourcePolicy,
    },
    { principal, action, resource, resourceAccount, context },
  );
}
