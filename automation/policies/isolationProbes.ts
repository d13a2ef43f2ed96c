import {
  appCodeFolder,
  appPrefixOf,
  appStackName,
  appStackNames,
  CHINA_TARGET,
  PULUMI_PROJECT,
  SECRETS_CONTEXT_KEY,
} from "../../components/naming";
import { endpointHost, iamArn, Partition } from "../../components/partition";
import { AccessRequest, decide, Decision, PolicySet } from "./simulate";

/*
 * What each pipeline identity may reach, asked of a real IAM policy engine:
 * every environment's deploy role its own China key, cross-account role,
 * artifact folder and state (objects and secrets), and none of another
 * environment's; the preview role the preview environment's checkpoints only;
 * no pipeline role the `china` stack's state. Pure: the plan's rules
 * (isolation.ts) and the tests feed it the policy documents.
 */

/** One environment, as its deploy role should reach it. */
export interface ProbeEnvironment {
  readonly name: string;
  readonly globalRegions: readonly string[];
  readonly china: boolean;
  /** Exact ARNs of its China key parameters (empty without China). */
  readonly chinaParameterArns: readonly string[];
  /** Its role in another account; absent when it deploys into the pipeline account. */
  readonly crossAccountRoleArn?: string;
}

/** Where the pipeline's resources are, and the policies on them. */
export interface ProbeScope {
  readonly partition: Partition;
  /** The pipeline account. */
  readonly accountId: string;
  /** The pipeline Region (SSM, the state bucket). */
  readonly region: string;
  readonly prefix: string;
  readonly environments: readonly ProbeEnvironment[];
  readonly stateBucketArn: string;
  readonly stateKeyArn: string;
  readonly parameterKeyArn: string;
  /** Artifact bucket ARN per Region. */
  readonly artifactBucketArns: Readonly<Record<string, string>>;
  /** Resource policies by resource ARN (bucket policies by bucket ARN, key policies by key ARN). */
  readonly resourcePolicies: Readonly<Record<string, unknown>>;
}

/** What a probe asks for. */
export type ProbeKind = "parameter" | "role" | "state-read" | "state-write" | "secrets" | "code";

/** One question: may `principal` do this? */
export interface Probe {
  readonly kind: ProbeKind;
  /** The app stack whose state or secrets it reaches. @default none */
  readonly stack?: string;
  /** What is asked, for messages: `prod's China key parameter …`. */
  readonly what: string;
  readonly request: Omit<AccessRequest, "principal">;
  /** The resource policy deciding it with the identity policies. @default none */
  readonly resourcePolicy?: unknown;
}

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

/** Reading a China key parameter, and decrypting it the way SSM does. */
function parameterProbes(scope: ProbeScope, env: ProbeEnvironment): Probe[] {
  return env.chinaParameterArns.flatMap((parameter) => [
    {
      kind: "parameter" as const,
      what: `${env.name}'s China key parameter ${parameter}`,
      request: { action: "ssm:GetParameter", resource: parameter },
    },
    {
      kind: "parameter" as const,
      what: `decrypting ${env.name}'s China key parameter ${parameter} through SSM`,
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
  ]);
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
 * secrets of its stacks, and (in-account environments) its code folder.
 */
export function environmentProbes(scope: ProbeScope, env: ProbeEnvironment): Probe[] {
  const stacks = appStackNames(env);
  const role = env.crossAccountRoleArn;
  return [
    ...parameterProbes(scope, env),
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
      ? codeObjects(scope, env).map((o) =>
          s3Probe(scope, "code", `${env.name}'s code folder (${o})`, "s3:PutObject", o),
        )
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

/** The stacks pr-preview previews: the preview environment's global targets, China with previewChina. */
export function previewStacks(env: ProbeEnvironment, previewChina: boolean): string[] {
  return [
    ...env.globalRegions.map((r) => appStackName(env.name, r)),
    ...(previewChina && env.china ? [appStackName(env.name, CHINA_TARGET)] : []),
  ];
}

/** The decision of one probe for a principal with the given identity policies. */
export function ask(
  principal: string,
  identity: Omit<PolicySet, "resourcePolicy">,
  probe: Probe,
): Decision {
  return decide(
    { ...identity, resourcePolicy: probe.resourcePolicy },
    { ...probe.request, principal },
  );
}

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
  for (const env of scope.environments) {
    const { roleArn, policies } = identityOf(env.name);
    for (const other of scope.environments) {
      for (const probe of environmentProbes(scope, other)) {
        const decision = ask(roleArn, policies, probe);
        if (other.name === env.name && decision !== "Allowed") {
          problems.push(`the ${env.name} deploy role is denied ${probe.what} (${decision})`);
        } else if (other.name !== env.name && decision === "Allowed") {
          problems.push(`the ${env.name} deploy role may reach ${probe.what}`);
        }
      }
    }
    if (ask(roleArn, policies, chinaStackProbe(scope)) === "Allowed") {
      problems.push(`the ${env.name} deploy role may read ${chinaStackProbe(scope).what}`);
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
 * read the checkpoints and secrets of the previewed stacks only, write no
 * state and no code, assume no role, and read no China key but, with
 * previewChina, the preview environment's.
 */
export function previewProblems(
  scope: ProbeScope,
  preview: { roleArn: string; policies: Omit<PolicySet, "resourcePolicy"> },
  previewEnvironment: string,
  previewChina: boolean,
): string[] {
  const env = scope.environments.find((e) => e.name === previewEnvironment);
  if (env === undefined) return [`no environment ${previewEnvironment} to preview`];
  const readable = new Set(previewStacks(env, previewChina));
  const problems: string[] = [];
  const expect = (probe: Probe, allowed: boolean) => {
    const decision = ask(preview.roleArn, preview.policies, probe);
    if (allowed && decision !== "Allowed") {
      problems.push(`the preview role is denied ${probe.what} (${decision})`);
    } else if (!allowed && decision === "Allowed") {
      problems.push(`the preview role may reach ${probe.what}`);
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
