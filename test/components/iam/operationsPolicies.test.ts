import { iamActions } from "../../../automation/policies/iamActions";
import { appStackNames } from "../../../components/naming";
import {
  bootstrapParameterArns,
  checksPolicy,
  OperationsInputs,
  rotationPolicy,
  schedulePolicy,
} from "../../../components/iam/operationsPolicies";
import {
  auditPolicyDocument,
  RESOURCELESS_READ_ACTIONS,
  Statement,
} from "../../../components/iam/policyStatements";
import { ACCOUNT, ENVIRONMENTS, P, PIPELINE_ROLES } from "../../helpers/policyInputs";

const OPS: OperationsInputs = {
  ...P,
  chinaSecretsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/china-secrets`,
};
const PREFIXES = ["/China/Dev", "/China/DevEu", "/China/Prod"];

/** Access level of an action in AWS's action list (`Read`, `List`, `Write`, …). */
function accessLevel(action: string): string {
  const [service] = action.split(":");
  const found = iamActions(service).find((a) => a.action.toLowerCase() === action.toLowerCase());
  if (found === undefined) throw new Error(`${action} is not in AWS's action list`);
  return found.accessLevel;
}

const allows = (statements: readonly Statement[]) => statements.filter((s) => s.Effect === "Allow");
const changes = (s: Statement) =>
  s.Action.filter((a) => !["Read", "List"].includes(accessLevel(a)));

describe.each(ENVIRONMENTS.map((e) => e.name))("checksPolicy (the checks role of %s)", (env) => {
  const doc = checksPolicy(OPS, env);
  const own = ENVIRONMENTS.find((e) => e.name === env)!;

  it("passes the audit", () => {
    expect(auditPolicyDocument(doc, PIPELINE_ROLES)).toEqual([]);
  });

  it("changes nothing but its own logs and cache: every other action reads, or uses a key through a service or for a stack's secrets", () => {
    // given every allowed action that is not a read in AWS's action list
    const writing = allows(doc.Statement).filter((s) => changes(s).length > 0);
    // then each is confined to the project's own log group or cache folder, or a conditioned key use
    const project = `silkroute-checks-${env}`;
    for (const s of writing) {
      const ownPlace = s.Resource.every(
        (r) =>
          r.includes(`/silkroute/codebuild/${project}`) ||
          r.includes(`codebuild-cache/${project}/`),
      );
      const keyUse = changes(s).every((a) => a.startsWith("kms:")) && s.Condition !== undefined;
      expect({ sid: s.Sid, confined: ownPlace || keyUse }).toEqual({ sid: s.Sid, confined: true });
    }
  });

  it("reads its own environment's China deploy key by exact name, and no other key", () => {
    const read = allows(doc.Statement)
      .filter((s) => s.Action.includes("ssm:GetParameter"))
      .flatMap((s) => s.Resource);
    expect(read).toEqual(own.chinaParameterArns);
  });

  it("reads the state and secrets of its own stacks, by exact name", () => {
    const stacks = appStackNames(own);
    const read = allows(doc.Statement).find((s) => s.Sid === "ReadState")!.Resource;
    expect(read).toEqual([
      "arn:aws:s3:::state/.pulumi/meta.yaml",
      ...stacks.map((stack) => `arn:aws:s3:::state/.pulumi/stacks/silkroute/${stack}.*`),
    ]);
    const secrets = allows(doc.Statement).find(
      (s) => s.Resource.includes(P.stateKeyArn) && s.Action.includes("kms:Encrypt"),
    )!;
    expect(secrets.Condition).toEqual({
      StringEquals: { "kms:EncryptionContext:silkroute-stack": stacks },
    });
  });

  it("assumes no role and starts nothing", () => {
    const actions = allows(doc.Statement).flatMap((s) => s.Action);
    expect(actions.filter((a) => /^sts:|:Start|:Invoke|:Put.*Policy/.test(a))).toEqual([]);
  });
});

describe("rotationPolicy (the scheduled rotation's role)", () => {
  const doc = rotationPolicy(OPS, PREFIXES);
  const statements = allows(doc.Statement);

  it("passes the audit", () => {
    expect(auditPolicyDocument(doc, PIPELINE_ROLES)).toEqual([]);
  });

  it("reaches nothing but its logs, the source, the China keys' parameters and key, the china stack and the global stack's checkpoint", () => {
    // given what the rotation needs, and only that
    const reachable = [
      /:log-group:\/silkroute\/codebuild\/silkroute-rotation(:log-stream:\*)?$/,
      new RegExp(`^${P.sourceArn}$`),
      /:parameter\/China\/(Dev|DevEu|Prod)\/(UserAccessKey|UserSecretKey|DeploymentS3Bucket|Bootstrap\/AccessKeyId|Bootstrap\/SecretAccessKey)$/,
      new RegExp(`^(${P.parameterKeyArn}|${P.stateKeyArn}|${OPS.chinaSecretsKeyArn})$`),
      /^arn:aws:s3:::state$/,
      /^arn:aws:s3:::state\/\.pulumi\/(meta\.yaml|stacks\/silkroute\/global\.\*)$/,
      /^arn:aws:s3:::state\/\.pulumi\/(stacks\/silkroute\/china\.\*|\*\/silkroute\/china\/\*)$/,
    ];
    // then every resource of every Allow is one of them, or `*` for a resourceless read
    for (const s of statements) {
      for (const r of s.Resource) {
        const ok =
          reachable.some((re) => re.test(r)) ||
          (r === "*" && s.Action.every((a) => RESOURCELESS_READ_ACTIONS.includes(a)));
        expect({ sid: s.Sid, resource: r, ok }).toEqual({ sid: s.Sid, resource: r, ok: true });
      }
    }
  });

  it("reads the bootstrap keys and writes the deploy keys through SSM only", () => {
    const bootstrap = bootstrapParameterArns(OPS, PREFIXES);
    expect(bootstrap).toContain(
      `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/China/Prod/Bootstrap/SecretAccessKey`,
    );
    const parameterKey = statements.filter((s) => s.Resource.includes(P.parameterKeyArn));
    expect(parameterKey.length).toBeGreaterThan(0);
    for (const s of parameterKey) {
      expect(s.Condition?.StringEquals?.["kms:ViaService"]).toBe("ssm.us-east-1.amazonaws.com");
    }
  });
});

describe("schedulePolicy", () => {
  it("starts the one project, nothing else", () => {
    const arn = `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/silkroute-operations`;
    expect(schedulePolicy(arn).Statement).toEqual([
      {
        Sid: "StartScheduledBuild",
        Effect: "Allow",
        Action: ["codebuild:StartBuild"],
        Resource: [arn],
      },
    ]);
  });
});

describe("RESOURCELESS_READ_ACTIONS", () => {
  it.each(RESOURCELESS_READ_ACTIONS)(
    "%s has no resource-level permission and only reads (so `*` is its one resource)",
    (action) => {
      const [service] = action.split(":");
      const found = iamActions(service).find((a) => a.action === action)!;
      expect(found.resourceTypes).toEqual([]);
      expect(["Read", "List"]).toContain(found.accessLevel);
    },
  );

  it("lets `*` through the audit for those actions alone", () => {
    const doc = (actions: string[]) => ({
      Version: "2012-10-17" as const,
      Statement: [{ Sid: "A", Effect: "Allow" as const, Action: actions, Resource: ["*"] }],
    });
    expect(auditPolicyDocument(doc(["ssm:DescribeParameters"]))).toEqual([]);
    expect(auditPolicyDocument(doc(["ssm:DescribeParameters", "ssm:GetParameter"]))).toEqual([
      'A: resource "*"',
    ]);
  });
});
