import { dump } from "js-yaml";
import {
  commentActions,
  connectionActions,
  prCodePolicy,
  prResultPolicy,
  repositorySources,
  secretValueActions,
} from "../../automation/policies/prCode";
import { readBuildspec } from "../../components/buildspecs";
import { CLONE_ACTIONS } from "../../components/iam/policyInputs";
import { PlannedResource } from "../../automation/plan/types";
import { UNKNOWN } from "../../automation/policies/util";
import { messages, planned, policyJson } from "../helpers/planned";

const ROLE = "silkroute-preview";
const ROLE_ARN = `arn:aws:iam::123456789012:role/${ROLE}`;

/** A project checking out a repository itself, run by ROLE, as pr-preview is. */
function prProject(overrides: Record<string, unknown> = {}): PlannedResource {
  return planned("aws:codebuild/project:Project", {
    name: "silkroute-pr-preview",
    serviceRole: ROLE_ARN,
    source: { type: "GITHUB", buildspec: readBuildspec("pr-preview") },
    environment: {
      environmentVariables: [{ name: "SILKROUTE_ENV", value: "dev", type: "PLAINTEXT" }],
    },
    ...overrides,
  });
}

const role = (inputs: Record<string, unknown> = {}) =>
  planned("aws:iam/role:Role", { name: ROLE, ...inputs }, { id: ROLE });
const inlinePolicy = (...statements: Record<string, unknown>[]) =>
  planned("aws:iam/rolePolicy:RolePolicy", { role: ROLE, policy: policyJson(...statements) });
const allow = (Action: string | string[], Sid = "S") => ({
  Sid,
  Effect: "Allow",
  Action,
  Resource: ["arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf"],
});

/** What the shipped preview role may do, in kind: logs, its source, its result, state reads. */
const SHIPPED = inlinePolicy(
  allow(["logs:CreateLogStream", "logs:PutLogEvents"], "WriteLogs"),
  allow(["codecommit:GitPull"], "PullSource"),
  allow(["s3:PutObject"], "WritePreviewResult"),
  allow(["s3:GetObject"], "ReadState"),
);

describe("the forbidden actions come from AWS's action list", () => {
  it("include every way to read a secret value and to write a pull-request comment", () => {
    expect(secretValueActions()).toEqual(
      expect.arrayContaining([
        "secretsmanager:GetSecretValue",
        "secretsmanager:BatchGetSecretValue",
      ]),
    );
    expect(secretValueActions()).not.toContain("secretsmanager:PutSecretValue");
    expect(commentActions()).toEqual(
      expect.arrayContaining([
        "codecommit:PostCommentForPullRequest",
        "codecommit:UpdateComment",
        "codecommit:PostCommentReply",
      ]),
    );
    expect(commentActions()).not.toContain("codecommit:GetCommentsForPullRequest");
  });

  it("look at projects with a repository source, not those the pipeline hands code to", () => {
    expect(repositorySources()).toEqual(expect.arrayContaining(["GITHUB", "CODECOMMIT"]));
    expect(repositorySources()).not.toContain("CODEPIPELINE");
  });
});

describe("pr-code-holds-no-secret", () => {
  it("passes the shipped pr-preview project and its role", () => {
    expect(messages(prCodePolicy, prProject(), role(), SHIPPED)).toEqual([]);
  });

  it.each([
    ["GetSecretValue", "secretsmanager:GetSecretValue", "secretsmanager:GetSecretValue"],
    ["a wildcard reaching it", "secretsmanager:Get*", "secretsmanager:GetSecretValue"],
    ["BatchGetSecretValue", "secretsmanager:BatchGetSecretValue", "BatchGetSecretValue"],
    [
      "PostCommentForPullRequest",
      "codecommit:PostCommentForPullRequest",
      "PostCommentForPullRequest",
    ],
    ["UpdateComment, any case", "CodeCommit:updatecomment", "codecommit:UpdateComment"],
    ["codecommit:*", "codecommit:*", "codecommit:PostCommentReply"],
  ])("fails when the role may call %s", (_what, action, named) => {
    // given
    const policy = inlinePolicy(allow(action, "Leak"));
    // when
    const found = messages(prCodePolicy, prProject(), role(), policy);
    // then
    expect(found).toEqual([expect.stringContaining(named)]);
    expect(found[0]).toContain(`its role ${ROLE} may call`);
  });

  it("fails on NotAction, which allows all it does not name", () => {
    const policy = inlinePolicy({ Sid: "N", Effect: "Allow", NotAction: ["s3:*"], Resource: "*" });
    expect(messages(prCodePolicy, prProject(), role(), policy)).toEqual([
      expect.stringMatching(/GetSecretValue.*PostCommentForPullRequest/),
      expect.stringMatching(/may call codeconnections:.* more connection actions/),
    ]);
  });

  it("ignores a Deny of those actions", () => {
    const denied = inlinePolicy({ ...allow("secretsmanager:*"), Effect: "Deny" });
    expect(messages(prCodePolicy, prProject(), role(), denied)).toEqual([]);
  });

  it("finds them in the role's own inline policies and in attached managed policies", () => {
    // given
    const inline = role({
      inlinePolicies: [{ name: "x", policy: policyJson(allow("secretsmanager:GetSecretValue")) }],
    });
    const managed = planned(
      "aws:iam/policy:Policy",
      { policy: policyJson(allow("codecommit:PostCommentReply")) },
      { id: "extra-1a2b3c" },
    );
    const attachment = planned("aws:iam/rolePolicyAttachment:RolePolicyAttachment", {
      role: ROLE,
      policyArn: "arn:aws:iam::123456789012:policy/extra-1a2b3c",
    });
    // when
    const found = messages(prCodePolicy, prProject(), inline, managed, attachment);
    // then
    expect(found).toEqual([
      expect.stringContaining("secretsmanager:GetSecretValue"),
      expect.stringContaining("codecommit:PostCommentReply"),
    ]);
  });

  it("fails on a policy it cannot read, such as an AWS managed one", () => {
    // given
    const arn = "arn:aws:iam::aws:policy/SecretsManagerReadWrite";
    // when / then
    expect(messages(prCodePolicy, prProject(), role({ managedPolicyArns: [arn] }))).toEqual([
      expect.stringContaining(`has the policy ${arn}, which the plan cannot read`),
    ]);
  });

  it("leaves a policy whose ARN a preview does not know yet to the update, which knows it", () => {
    // given an attachment of a policy this preview creates or changes
    const attachment = planned("aws:iam/rolePolicyAttachment:RolePolicyAttachment", {
      role: ROLE,
      policyArn: UNKNOWN,
    });
    // when / then
    expect(messages(prCodePolicy, prProject(), role({}), attachment)).toEqual([]);
  });

  it.each(["SECRETS_MANAGER", "PARAMETER_STORE"])("fails on a %s variable", (type) => {
    // given
    const project = prProject({
      environment: {
        environmentVariables: [{ name: "GITHUB_TOKEN", value: "github-token", type }],
      },
    });
    // when / then
    expect(messages(prCodePolicy, project, role(), SHIPPED)).toEqual([
      `runs pull-request code (source GITHUB) and environment variable GITHUB_TOKEN is of type ${type}: pull-request code must hold no secret`,
    ]);
  });

  it("fails on a buildspec that resolves secrets itself", () => {
    // given
    const buildspec = dump({
      version: 0.2,
      env: { "secrets-manager": { GITHUB_TOKEN: "gh:token" } },
    });
    // when
    const found = messages(prCodePolicy, prProject({ source: { type: "CODECOMMIT", buildspec } }));
    // then
    expect(found).toEqual([expect.stringContaining("its buildspec declares env.secrets-manager")]);
  });

  it("leaves projects the pipeline hands code to alone", () => {
    // given: the build project's role may read a secret
    const build = prProject({ source: { type: "CODEPIPELINE" } });
    // when / then
    expect(messages(prCodePolicy, build, role(), inlinePolicy(allow("secretsmanager:*")))).toEqual(
      [],
    );
  });

  it("looks only at the policies of the project's own role", () => {
    // given
    const other = planned("aws:iam/rolePolicy:RolePolicy", {
      role: "silkroute-commenter",
      policy: policyJson(allow("secretsmanager:GetSecretValue")),
    });
    // when / then
    expect(messages(prCodePolicy, prProject(), role(), SHIPPED, other)).toEqual([]);
  });
});

describe("pr-code-holds-no-secret: the source connection", () => {
  const CONNECTION = "arn:aws:codeconnections:us-east-1:123456789012:connection/0a1b2c3d";
  const OTHER = "arn:aws:codeconnections:us-east-1:123456789012:connection/ffff0000";
  const github = prProject({
    source: {
      type: "GITHUB",
      buildspec: readBuildspec("pr-preview"),
      auth: { type: "CODECONNECTIONS", resource: CONNECTION },
    },
  });
  const on = (Action: string | string[], Resource: string | string[] = CONNECTION) =>
    inlinePolicy({ Sid: "UseConnection", Effect: "Allow", Action, Resource });
  const clone = ["codeconnections:GetConnection", "codeconnections:GetConnectionToken"];

  it("knows every connection action of both prefixes from AWS's data, and the two a clone needs", () => {
    expect(connectionActions()).toEqual(
      expect.arrayContaining([
        ...clone,
        "codeconnections:UseConnection",
        "codeconnections:PassConnection",
        "codestar-connections:GetConnectionToken",
      ]),
    );
    expect(CLONE_ACTIONS).toEqual(["GetConnection", "GetConnectionToken"]);
  });

  it("passes GetConnection and GetConnectionToken on the project's own source connection", () => {
    expect(messages(prCodePolicy, github, role(), on(clone))).toEqual([]);
  });

  it.each([
    ["UseConnection", ["codeconnections:UseConnection"], "codeconnections:UseConnection"],
    ["PassConnection", ["codeconnections:PassConnection"], "codeconnections:PassConnection"],
    ["a wildcard", ["codeconnections:*"], "codeconnections:"],
    ["Get*", ["codeconnections:Get*"], "codeconnections:"],
    [
      "the other prefix",
      ["codestar-connections:GetConnectionToken"],
      "codestar-connections:GetConnectionToken",
    ],
  ])("fails on %s", (_what, actions, named) => {
    expect(messages(prCodePolicy, github, role(), on(actions))).toEqual([
      expect.stringContaining(`may call ${named}`),
    ]);
  });

  it.each([
    ["another connection", OTHER],
    ["every connection", "arn:aws:codeconnections:us-east-1:123456789012:connection/*"],
    ["the own one and another", [CONNECTION, OTHER]],
  ])("fails on the clone actions on %s", (_what, resource) => {
    expect(messages(prCodePolicy, github, role(), on(clone, resource))).toEqual([
      expect.stringContaining(`the only resource they may name`),
    ]);
  });

  it("fails on any connection action of a project that clones through none", () => {
    expect(messages(prCodePolicy, prProject(), role(), on(clone))).toEqual([
      expect.stringContaining("it clones through no connection"),
    ]);
  });
});

describe("pr-code-result-verifiable", () => {
  const s3Artifacts = (packaging?: string) => ({
    type: "S3",
    location: "silkroute-artifacts-us-east-1-0a1b2c3",
    path: "pr-preview-results",
    namespaceType: "BUILD_ID",
    name: "preview-result.zip",
    ...(packaging === undefined ? {} : { packaging }),
  });

  it("passes a pull-request project whose S3 artifacts are zipped", () => {
    expect(messages(prResultPolicy, prProject({ artifacts: s3Artifacts("ZIP") }))).toEqual([]);
  });

  it.each([
    ["NONE", "NONE"],
    ["no packaging (CodeBuild's default, NONE)", undefined],
  ])("fails on S3 artifacts with %s: another build could replace them unnoticed", (_what, p) => {
    expect(messages(prResultPolicy, prProject({ artifacts: s3Artifacts(p) }))).toEqual([
      expect.stringContaining("set artifacts.packaging to ZIP"),
    ]);
  });

  it("leaves alone projects without S3 artifacts and those the pipeline hands code to", () => {
    expect(messages(prResultPolicy, prProject({ artifacts: { type: "NO_ARTIFACTS" } }))).toEqual(
      [],
    );
    const build = prProject({ source: { type: "CODEPIPELINE" }, artifacts: s3Artifacts("NONE") });
    expect(messages(prResultPolicy, build)).toEqual([]);
  });
});
