import { load } from "js-yaml";
import { CLONE_ACTIONS } from "../../components/iam/policyInputs";
import { PlannedResource, Violation } from "../plan/types";
import { allowedActions, iamActions } from "./iamActions";
import { codeBuildEnum } from "../../components/codeBuildEnums";
import { Policy, resourcePolicy } from "./types";
import { get, isKnown, policyDocumentsOf, Statement, statementsOf, stringsOf } from "./util";

/** `make()` once, on first use: these read IAM data the app stacks' plans never need. */
function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

/**
 * Sources a CodeBuild project checks out itself, branch or pull request,
 * rather than being handed by the pipeline: its builds run whatever code was
 * pushed, before any review.
 */
export const repositorySources = once((): readonly string[] =>
  codeBuildEnum("SourceType").filter(
    (t) =>
      !["CODEPIPELINE", "NO_SOURCE", "S3"].map((n) => codeBuildEnum("SourceType", n)).includes(t),
  ),
);

/** The actions that hand out a secret's value: secretsmanager reads named `…SecretValue`. */
export const secretValueActions = once((): readonly string[] =>
  iamActions("secretsmanager")
    .filter((a) => a.accessLevel === "Read" && a.action.endsWith("SecretValue"))
    .map((a) => a.action),
);

/** The actions that write a comment (post, reply, update, react, delete): CodeCommit writes named `…Comment…`. */
export const commentActions = once((): readonly string[] =>
  iamActions("codecommit")
    .filter((a) => a.accessLevel === "Write" && a.action.includes("Comment"))
    .map((a) => a.action),
);

const forbidden = once(() => [...secretValueActions(), ...commentActions()]);

/** Every action on a connection, under both of the service's prefixes. */
export const connectionActions = once((): readonly string[] =>
  ["codeconnections", "codestar-connections"].flatMap(iamActions).map((a) => a.action),
);

/**
 * Problems of one statement's connection actions: only CLONE_ACTIONS, under
 * the connection's own prefix, on exactly the project's own source
 * connection (none without one).
 */
function connectionProblems(s: Statement, own: string | undefined): string[] {
  const granted = allowedActions(s, connectionActions());
  if (granted.length === 0) return [];
  const service = own?.split(":")[2];
  const clone = granted.filter((a) => CLONE_ACTIONS.some((c) => a === `${service}:${c}`));
  const other = granted.filter((a) => !clone.includes(a));
  const where =
    own === undefined ? "it clones through no connection" : `its source connection is ${own}`;
  const problems: string[] = [];
  if (other.length > 0) {
    const named =
      other.length > 4
        ? `${other.slice(0, 3).join(", ")} and ${other.length - 3} more connection actions`
        : other.join(", ");
    problems.push(
      `may call ${named}: ${where}, and it may have only ${CLONE_ACTIONS.join(" and ")} on that connection`,
    );
  }
  const resources = stringsOf(s.Resource);
  if (clone.length > 0 && (resources.length === 0 || resources.some((r) => r !== own))) {
    problems.push(
      `may call ${clone.join(", ")} on ${s.NotResource !== undefined ? "NotResource" : resources.join(", ")}: ${where}, the only resource they may name`,
    );
  }
  return problems;
}
const SECRET_VARIABLE_TYPES: readonly string[] = [
  codeBuildEnum("EnvironmentVariableType", "SECRETS_MANAGER"),
  codeBuildEnum("EnvironmentVariableType", "PARAMETER_STORE"),
];

const NAME = "pr-code-holds-no-secret";
const is = (type: string) => (r: PlannedResource) => r.type === type;
const lastSegment = (arn: string) => arn.slice(arn.lastIndexOf("/") + 1);

/** What the project resolves into its build's environment: typed variables and buildspec `env` stores. */
function resolvedSecrets(project: PlannedResource): string[] {
  const found: string[] = [];
  const variables = get(project.inputs, "environment", "environmentVariables");
  for (const v of (Array.isArray(variables) ? variables : []) as {
    name?: unknown;
    type?: unknown;
  }[]) {
    if (typeof v.type === "string" && SECRET_VARIABLE_TYPES.includes(v.type)) {
      found.push(`environment variable ${String(v.name)} is of type ${v.type}`);
    }
  }
  const buildspec = get(project.inputs, "source", "buildspec");
  if (typeof buildspec === "string") {
    let env: unknown;
    try {
      env = get(load(buildspec), "env");
    } catch {
      env = undefined;
    }
    for (const store of ["secrets-manager", "parameter-store"]) {
      if (get(env, store) !== undefined) found.push(`its buildspec declares env.${store}`);
    }
  }
  return found;
}

/** The policy statements of a role, and what the plan cannot look into. */
function roleStatements(
  roleName: string,
  resources: readonly PlannedResource[],
): { statements: Statement[]; unseen: string[] } {
  const statements: Statement[] = [];
  const unseen: string[] = [];
  const policyArns: string[] = [];
  for (const role of resources.filter(is("aws:iam/role:Role"))) {
    if (role.inputs.name !== roleName) continue;
    for (const d of policyDocumentsOf(role).filter((d) => d.at !== "assumeRolePolicy")) {
      statements.push(...d.statements);
    }
    policyArns.push(...stringsOf(role.inputs.managedPolicyArns));
  }
  const attachedTo = (r: PlannedResource) => {
    const role = r.inputs.role;
    return role === roleName || (typeof role === "string" && lastSegment(role) === roleName);
  };
  for (const r of resources.filter(is("aws:iam/rolePolicy:RolePolicy")).filter(attachedTo)) {
    statements.push(...statementsOf(r.inputs.policy));
  }
  for (const r of resources.filter(is("aws:iam/rolePolicyAttachment:RolePolicyAttachment"))) {
    if (attachedTo(r)) policyArns.push(...stringsOf(r.inputs.policyArn));
  }
  for (const arn of policyArns) {
    const policy = resources.find(
      (r) => r.type === "aws:iam/policy:Policy" && r.id !== null && lastSegment(arn) === r.id,
    );
    if (policy) statements.push(...statementsOf(policy.inputs.policy));
    // A policy created or changed in this preview has no ARN yet: the pack checks again
    // in the `pulumi up` that follows, with every ARN known.
    else if (isKnown(arn)) unseen.push(arn);
  }
  return { statements, unseen };
}

/**
 * No identity that runs code a pull request can change may get a secret's
 * value or write a pull-request comment: not through the project's
 * environment (SECRETS_MANAGER or PARAMETER_STORE variables, a buildspec's
 * `env.secrets-manager` or `env.parameter-store`), not through its service
 * role's policies (inline, attached or managed, wildcards and NotAction
 * included). A trusted poster comments instead (docs/pr-comments.md). Of
 * CodeConnections (either prefix) its role may have only what CodeBuild needs
 * to clone: GetConnection and GetConnectionToken on the project's own source
 * connection.
 */
export const prCodePolicy: Policy = {
  name: NAME,
  description:
    "CodeBuild projects that check out repository code themselves (pull requests) resolve no secret, and their role may neither read a secret value nor write a pull-request comment, and has of CodeConnections only GetConnection and GetConnectionToken on the project's own source connection.",
  validateStack: (resources) => {
    const violations: Violation[] = [];
    const projects = resources
      .filter(is("aws:codebuild/project:Project"))
      .filter((p) => repositorySources().includes(String(get(p.inputs, "source", "type"))));
    for (const project of projects) {
      const report = (message: string) =>
        violations.push({ policy: NAME, urn: project.urn, message });
      const what = `runs pull-request code (source ${String(get(project.inputs, "source", "type"))})`;
      for (const secret of resolvedSecrets(project)) {
        report(`${what} and ${secret}: pull-request code must hold no secret`);
      }
      const serviceRole = project.inputs.serviceRole;
      if (typeof serviceRole !== "string" || !isKnown(serviceRole)) continue;
      const roleName = lastSegment(serviceRole);
      const { statements, unseen } = roleStatements(roleName, resources);
      const auth = get(project.inputs, "source", "auth");
      const ownConnection =
        get(auth, "type") === codeBuildEnum("SourceAuthType", "CODECONNECTIONS")
          ? String(get(auth, "resource"))
          : undefined;
      for (const s of statements) {
        const statement = `statement ${s.Sid ?? "without Sid"}`;
        const granted = allowedActions(s, forbidden());
        if (granted.length > 0) {
          report(
            `${what}, and its role ${roleName} may call ${granted.join(", ")} (${statement}): leave secrets and comments to the PR comment poster`,
          );
        }
        for (const problem of connectionProblems(s, ownConnection)) {
          report(`${what}, and its role ${roleName} ${problem} (${statement})`);
        }
      }
      for (const arn of unseen) {
        report(
          `${what}, and its role ${roleName} has the policy ${arn}, which the plan cannot read: give that role only policies of this stack`,
        );
      }
    }
    return violations;
  },
};

/**
 * A project that runs pull-request code and uploads its artifacts to S3 packs
 * them as ZIP. Every build of the project may write where its artifacts go
 * (IAM cannot tell one build from another, and build ids are public), so
 * whoever reads an artifact must check it against the SHA-256 CodeBuild puts
 * in the build's event, which CodeBuild gives only for zipped artifacts.
 */
export const prResultPolicy: Policy = resourcePolicy({
  name: "pr-code-result-verifiable",
  description:
    "CodeBuild projects that check out repository code themselves and upload artifacts to S3 pack them as ZIP, so that the build's event carries the SHA-256 the PR comment poster checks.",
  types: ["aws:codebuild/project:Project"],
  check: (project) => {
    if (!repositorySources().includes(String(get(project.inputs, "source", "type")))) return [];
    if (get(project.inputs, "artifacts", "type") !== codeBuildEnum("ArtifactsType", "S3"))
      return [];
    const packaging =
      get(project.inputs, "artifacts", "packaging") ?? codeBuildEnum("ArtifactPackaging", "NONE");
    return packaging === codeBuildEnum("ArtifactPackaging", "ZIP")
      ? []
      : [
          `runs pull-request code and uploads its artifacts with packaging ${String(packaging)}: any other build of the project could replace them unnoticed; set artifacts.packaging to ZIP, so the build's event carries their SHA-256`,
        ];
  },
});
