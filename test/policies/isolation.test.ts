import * as path from "path";
import { createPolicies } from "../../automation/policies";
import { iamActions } from "../../automation/policies/iamActions";
import { isolationPolicies } from "../../automation/policies/isolation";
import { PipelinePolicyOptions } from "../../automation/policies/pipeline";
import { plan } from "../../automation/plan/plan";
import { PlannedResource } from "../../automation/plan/types";
import { loadProjectConfig } from "../../automation/targets";
import { policyNamed } from "../helpers/planned";

const root = path.resolve(__dirname, "../..");
const cfg = loadProjectConfig(root);
/** What the plan passes: the shipped config (dev, stage and prod cross-account, prod gated). */
const OPTIONS: PipelinePolicyOptions = {
  environments: cfg.environments,
  prefix: cfg.prefix,
  pipelineRegion: cfg.pipelineRegion,
  previewChina: cfg.previewChina,
};

type Statement = { Sid?: string; Effect: string; Action: unknown; Resource: unknown };
const documentOf = (r: PlannedResource) =>
  JSON.parse(String(r.inputs.policy)) as { Version: string; Statement: Statement[] };

/** The planned global stack with one resource's policy document edited. */
function editPolicy(
  resources: readonly PlannedResource[],
  pick: (r: PlannedResource) => boolean,
  edit: (statements: Statement[]) => Statement[],
): PlannedResource[] {
  const target = resources.find(pick);
  if (target === undefined) throw new Error("no such resource in the plan");
  return resources.map((r) => {
    if (r !== target) return r;
    const doc = documentOf(r);
    return {
      ...r,
      inputs: { ...r.inputs, policy: JSON.stringify({ ...doc, Statement: edit(doc.Statement) }) },
    };
  });
}

const messagesOf = (name: string, resources: readonly PlannedResource[], options = OPTIONS) =>
  (policyNamed(isolationPolicies(options), name).validateStack?.(resources) ?? []).map(
    (v) => v.message,
  );

describe("trust-boundary rules over the planned global stack", () => {
  let resources: readonly PlannedResource[];
  beforeAll(async () => {
    const doc = await plan({ projectDir: root, stacks: ["global"] });
    resources = doc.stacks[0].resources;
  });

  it("are registered with the other rules", () => {
    const names = createPolicies(OPTIONS).map((p) => p.name);
    for (const rule of isolationPolicies(OPTIONS)) expect(names).toContain(rule.name);
  });

  it.each([
    "deploy-identity-per-environment",
    "deploy-identity-isolation",
    "preview-identity-confined",
    "state-china-stack-denied",
    "app-boundary-per-environment",
    "artifact-keys-through-s3",
  ])("%s: passes the shipped config", (name) => {
    expect(messagesOf(name, resources)).toEqual([]);
  });

  it("have nothing to say without the configured environments, or about another stack", () => {
    for (const rule of isolationPolicies({})) expect(rule.validateStack?.(resources)).toEqual([]);
    const app = resources.filter((r) => !r.type.startsWith("aws:codepipeline"));
    for (const rule of isolationPolicies(OPTIONS)) expect(rule.validateStack?.(app)).toEqual([]);
  });

  it("deploy-identity-per-environment: fails a prod project run by dev's role", () => {
    const edited = resources.map((r) =>
      r.type === "aws:codebuild/project:Project" && r.inputs.name === "silkroute-deploy-prod-china"
        ? {
            ...r,
            inputs: {
              ...r.inputs,
              serviceRole: "arn:aws:iam::123456789012:role/silkroute-deploy-dev",
            },
          }
        : r,
    );
    expect(messagesOf("deploy-identity-per-environment", edited)).toEqual([
      "project silkroute-deploy-prod-china deploys prod as arn:aws:iam::123456789012:role/silkroute-deploy-dev, not as arn:aws:iam::123456789012:role/silkroute-deploy-prod: give each environment its own deploy projects and role",
    ]);
  });

  it("deploy-identity-isolation: fails dev's role granted prod's China key by a path wildcard", () => {
    const edited = editPolicy(
      resources,
      (r) => r.type === "aws:iam/policy:Policy" && r.inputs.name === "silkroute-deploy-dev-secrets",
      (statements) => [
        ...statements,
        {
          Sid: "Wide",
          Effect: "Allow",
          Action: ["ssm:GetParameter"],
          Resource: ["arn:aws:ssm:us-east-1:123456789012:parameter/China/*"],
        },
      ],
    );
    const problems = messagesOf("deploy-identity-isolation", edited);
    expect(problems).toEqual(
      expect.arrayContaining([
        "the dev deploy role may reach prod's China key parameter arn:aws:ssm:us-east-1:123456789012:parameter/China/Prod/UserAccessKey",
        "the dev deploy role may reach stage's China key parameter arn:aws:ssm:us-east-1:123456789012:parameter/China/Stage/UserSecretKey",
      ]),
    );
    expect(problems.every((p) => p.startsWith("the dev deploy role may reach"))).toBe(true);
  });

  it("deploy-identity-isolation: fails a cross-account grant of every app folder", () => {
    const edited = editPolicy(
      resources,
      (r) => r.type === "aws:s3/bucketPolicy:BucketPolicy" && r.name.startsWith("artifacts-"),
      (statements) =>
        statements.map((s) =>
          s.Sid === "CrossAccountAppCode0"
            ? { ...s, Resource: String(s.Resource).replace(/app\/.*$/, "app/*") }
            : s,
        ),
    );
    expect(messagesOf("deploy-identity-isolation", edited)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^stage's cross-account role may write dev's code folder/),
      ]),
    );
  });

  it("deploy-identity-isolation: fails a role denied its own state (a missing stack)", () => {
    const edited = editPolicy(
      resources,
      (r) => r.type === "aws:iam/policy:Policy" && r.inputs.name === "silkroute-deploy-dev-secrets",
      (statements) => statements.filter((s) => s.Sid !== "OwnStackState"),
    );
    expect(messagesOf("deploy-identity-isolation", edited)).toEqual(
      expect.arrayContaining([
        "the dev deploy role is denied the state of stack dev-china (ImplicitlyDenied)",
      ]),
    );
  });

  it("preview-identity-confined: fails a preview role that reads every state object", () => {
    const edited = editPolicy(
      resources,
      (r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.inputs.role === "silkroute-preview",
      (statements) => [
        ...statements,
        { Sid: "All", Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::*"] },
      ],
    );
    const problems = messagesOf("preview-identity-confined", edited);
    expect(problems).toEqual(
      expect.arrayContaining(["the preview role may reach the state of stack prod-us-east-1"]),
    );
    // the China app stacks stay closed: the role's own Deny holds whatever it is allowed
    expect(problems.filter((p) => p.includes("-china"))).toEqual([]);
  });

  it("preview-identity-confined: fails a preview role that lost its Deny of the China app stacks", () => {
    // given the shipped preview role without its explicit Denies
    const edited = editPolicy(
      resources,
      (r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.inputs.role === "silkroute-preview",
      (statements) => statements.filter((s) => !s.Sid?.startsWith("NoChinaAppStack")),
    );
    // when / then: not reachable today, but nothing would stop an Allow added later
    expect(messagesOf("preview-identity-confined", edited)).toEqual(
      expect.arrayContaining([
        "the preview role is not explicitly denied the state of stack dev-china (ImplicitlyDenied): deny every China app stack's state and secrets to it",
        "the preview role is not explicitly denied the secrets of stack prod-china (ImplicitlyDenied): deny every China app stack's state and secrets to it",
      ]),
    );
  });

  it("preview-identity-confined: previewChina expects dev's China key, which the shipped role lacks", () => {
    expect(
      messagesOf("preview-identity-confined", resources, { ...OPTIONS, previewChina: true }),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^the preview role is denied dev's China key/),
      ]),
    );
  });

  it("app-boundary-per-environment: fails the old boundary on every app log group of the prefix", () => {
    // given the boundary as it was: /aws/lambda/silkroute-* for any app role
    const edited = editPolicy(
      resources,
      (r) => r.type === "aws:iam/policy:Policy" && r.inputs.name === "silkroute-app-boundary",
      () => [
        {
          Sid: "WriteAppLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: ["arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/silkroute-*"],
        },
      ],
    );
    // when / then: dev's app role could write the poster's and prod's log groups
    expect(messagesOf("app-boundary-per-environment", edited)).toEqual(
      expect.arrayContaining([
        "the app boundary lets silkroute-dev-us-east-1-fn write the PR comment poster's log group /aws/lambda/silkroute-commenter",
        "the app boundary lets silkroute-dev-us-east-1-fn write prod's log group /aws/lambda/silkroute-prod-fn",
      ]),
    );
  });

  it("app-boundary-per-environment: fails a functionsUse statement for every environment's resources, and one missing", () => {
    // given functionsUse [queue], and the boundary with the queues of the whole prefix (as
    // issue 16 first wrote it) beside the per-environment log statements
    const withQueues = { ...OPTIONS, functionsUse: ["queue"] };
    const boundary = (r: PlannedResource) =>
      r.type === "aws:iam/policy:Policy" && r.inputs.name === "silkroute-app-boundary";
    const shared = editPolicy(resources, boundary, (statements) => [
      ...statements,
      {
        Sid: "UseQueue",
        Effect: "Allow",
        Action: ["sqs:*"],
        Resource: ["arn:aws:sqs:*:123456789012:silkroute-*"],
      },
    ]);
    // when / then: dev's app role could use every other environment's queues
    expect(messagesOf("app-boundary-per-environment", shared, withQueues)).toEqual([
      expect.stringMatching(
        /^the app boundary lets silkroute-dev-us-east-1-fn sqs:\w+ on stage's queue arn:aws:sqs:us-east-1:123456789012:silkroute-stage-probe$/,
      ),
      expect.stringMatching(
        /^the app boundary lets silkroute-dev-us-east-1-fn sqs:\w+ on prod's queue/,
      ),
    ]);
    // and without any queue statement, dev's role is denied its own
    expect(messagesOf("app-boundary-per-environment", resources, withQueues)).toEqual([
      expect.stringMatching(
        /^the app boundary denies silkroute-dev-us-east-1-fn sqs:\w+ on its own queue arn:aws:sqs:us-east-1:123456789012:silkroute-dev-probe \(ImplicitlyDenied\), though functionsUse lists queue$/,
      ),
    ]);
  });

  it("artifact-keys-through-s3: fails a key whose users may call KMS themselves (the old KeyUsage)", () => {
    // given the us-east-1 artifact key with its users granted the key unconditioned
    const edited = editPolicy(
      resources,
      (r) => r.type === "aws:kms/key:Key" && r.name === "artifacts-us-east-1-key-key",
      (statements) =>
        statements.map((s) =>
          s.Sid === "KeyUsageThroughS3" ? { ...s, Condition: undefined } : s,
        ) as Statement[],
    );
    // when / then: the preview role (pull-request code) and the poster could decrypt directly
    const problems = messagesOf("artifact-keys-through-s3", edited);
    expect(problems).toEqual(
      expect.arrayContaining([
        "arn:aws:iam::123456789012:role/silkroute-preview may kms:Decrypt with the artifact key of us-east-1 by calling KMS itself",
        "arn:aws:iam::123456789012:role/silkroute-commenter may kms:GenerateDataKey with the artifact key of us-east-1 through S3 for another bucket",
      ]),
    );
    expect(problems.every((p) => p.includes("us-east-1"))).toBe(true);
  });

  it("state-china-stack-denied: fails a state bucket policy without the Deny", () => {
    const edited = editPolicy(
      resources,
      (r) => r.type === "aws:s3/bucketPolicy:BucketPolicy" && r.name === "state-bucket-policy",
      (statements) =>
        statements.filter((s) => s.Effect !== "Deny" || s.Sid === "DenyInsecureTransport"),
    );
    expect(messagesOf("state-china-stack-denied", edited)).toContainEqual(
      expect.stringMatching(
        /^the state bucket's policy does not deny silkroute-preview the china stack's state: s3:\w+ \(Allowed\), .* and \d+ more S3 object actions$/,
      ),
    );
  });

  it("state-china-stack-denied: fails the old Denies of four actions, which left e.g. RestoreObject and the ACLs open", () => {
    // given both Denies narrowed to what they were
    const narrow = ["s3:DeleteObject", "s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"];
    const narrowed = (statements: Statement[]) =>
      statements.map((s) =>
        s.Sid === "NoPipelineRoleReadsChinaStackState" || s.Sid === "NoChinaStackState"
          ? { ...s, Action: narrow }
          : s,
      );
    let edited = editPolicy(
      resources,
      (r) => r.type === "aws:s3/bucketPolicy:BucketPolicy" && r.name === "state-bucket-policy",
      narrowed,
    );
    edited = editPolicy(
      edited,
      (r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.inputs.role === "silkroute-preview",
      narrowed,
    );
    // when
    const problems = messagesOf("state-china-stack-denied", edited);
    // then
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^the state bucket's policy does not deny silkroute-preview the china stack's state: s3:\w+ \(Allowed\), .* more S3 object actions$/,
        ),
        expect.stringMatching(
          /^silkroute-preview reaches the state bucket but its policy does not deny it the china stack's state: /,
        ),
      ]),
    );
  });

  it("state-china-stack-denied: names the one S3 object action a Deny of every other leaves open", () => {
    // given the bucket's Deny listing every S3 object action but s3:RestoreObject: answers are
    // remembered by the statements an action matches, and this one matches fewer
    const others = iamActions("s3")
      .filter((a) => a.resourceTypes.includes("object") && a.action !== "s3:RestoreObject")
      .map((a) => a.action);
    const edited = editPolicy(
      resources,
      (r) => r.type === "aws:s3/bucketPolicy:BucketPolicy" && r.name === "state-bucket-policy",
      (statements) =>
        statements.map((s) =>
          s.Sid === "NoPipelineRoleReadsChinaStackState" ? { ...s, Action: others } : s,
        ),
    );
    // then every role is told of s3:RestoreObject, and of nothing else
    const problems = messagesOf("state-china-stack-denied", edited);
    expect(problems).toContain(
      "the state bucket's policy does not deny silkroute-deploy-dev the china stack's state: s3:RestoreObject (Allowed)",
    );
    expect(problems.every((p) => p.endsWith(": s3:RestoreObject (Allowed)"))).toBe(true);
  });

  it("state-china-stack-denied: fails a deploy role whose own policy lost its Deny", () => {
    const edited = editPolicy(
      resources,
      (r) =>
        r.type === "aws:iam/policy:Policy" && r.inputs.name === "silkroute-deploy-prod-secrets",
      (statements) => statements.filter((s) => s.Sid !== "NoChinaStackState"),
    );
    expect(messagesOf("state-china-stack-denied", edited)).toEqual([
      expect.stringMatching(
        /^silkroute-deploy-prod reaches the state bucket but its policy does not deny it the china stack's state: s3:\w+ \(ImplicitlyDenied\), .* more S3 object actions$/,
      ),
    ]);
  });
});
