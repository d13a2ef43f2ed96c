import { statementProblems } from "../../helpers/iamInvariants";
import { APP_KINDS } from "../../../components/appKinds";
import {
  appPolicyLayout,
  MAX_ATTACHED_POLICIES,
} from "../../../components/iam/appPolicyStatements";
import {
  codeBuildPolicy,
  CODECOMMIT_SOURCE_ACTIONS,
  codePipelinePolicy,
  connectionService,
  deployRoleAppStatements,
  deployRoleSecretsPolicy,
  deployRolePolicy,
  eventsPolicy,
  previewAppStatements,
  previewPolicy,
  secretResource,
} from "../../../components/iam/policyDocuments";
import { codeBuildCacheFolder } from "../../../components/naming";
import {
  auditPolicyDocument,
  doc,
  MAX_MANAGED_POLICY_CHARS,
  packStatements,
  PolicyDocument,
} from "../../../components/iam/policyStatements";
import {
  deployIsolationProblems,
  previewProblems,
} from "../../../automation/policies/isolationChecks";
import { decide } from "../../../automation/policies/simulate";
import { keyPolicy } from "../../../components/encryptionKey";
import {
  ACCOUNT,
  artifacts,
  GITHUB,
  LOGS,
  P,
  PIPELINE_ROLES,
  probeScope,
  roleArn,
} from "../../helpers/policyInputs";
import type { PolicyInputs } from "../../../components/iam/policyDocuments";

/** An environment's deploy role's documents: its inline policy and its app policies' statements. */
const deployDocs = (p: PolicyInputs, env: string) => [
  deployRolePolicy(p, env),
  doc(deployRoleAppStatements(p, env)),
];
const deployIdentity = (p: PolicyInputs) => (env: string) => ({
  roleArn: roleArn(`silkroute-deploy-${env}`),
  policies: { identityPolicies: [...deployDocs(p, env), deployRoleSecretsPolicy(p, env)] },
});
const previewIdentity = (p: PolicyInputs) => ({
  roleArn: roleArn("silkroute-preview"),
  policies: { identityPolicies: [previewPolicy(p), doc(previewAppStatements(p))] },
});
const WRITES =
  /:(Assume|Attach|Create|Delete|Detach|Invoke|Pass|Post|Publish|Put|Start|Tag|Untag|Update|Upload)/;

/** The pipeline Region's artifact bucket, where pr-preview uploads its result. */
const RESULTS = P.artifactBucketArns["us-east-1"];

describe("pipeline policy documents", () => {
  it("CodePipeline: runs the pipeline's builds, moves artifacts, reads the CodeCommit repo", () => {
    expect(codePipelinePolicy(P)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "RunBuilds",
          Effect: "Allow",
          Action: ["codebuild:BatchGetBuilds", "codebuild:StartBuild"],
          Resource: P.buildProjectArns,
        },
        ...artifacts(["s3:GetBucketLocation", "s3:GetBucketVersioning"], true),
        {
          Sid: "ReadSource",
          Effect: "Allow",
          Action: CODECOMMIT_SOURCE_ACTIONS,
          Resource: [P.sourceArn],
        },
      ],
    });
  });

  it("CodePipeline: the source actions are CodeCommit's own, real IAM actions, on the repository", () => {
    const source = codePipelinePolicy(P).Statement.filter((s) => s.Sid === "ReadSource");
    expect(statementProblems(source, "aws")).toEqual([]);
    expect(CODECOMMIT_SOURCE_ACTIONS.every((a) => a.startsWith("codecommit:"))).toBe(true);
  });

  it("CodePipeline: uses the GitHub connection with the ARN's own service prefix", () => {
    expect(codePipelinePolicy({ ...P, ...GITHUB }).Statement.at(-1)).toEqual({
      Sid: "UseConnection",
      Effect: "Allow",
      Action: ["codeconnections:UseConnection"],
      Resource: [GITHUB.sourceArn],
    });
    const legacy = `arn:aws:codestar-connections:us-east-1:${ACCOUNT}:connection/abc`;
    expect(
      codePipelinePolicy({ ...P, ...GITHUB, sourceArn: legacy }).Statement.at(-1)?.Action,
    ).toEqual(["codestar-connections:UseConnection"]);
  });

  it("CodeBuild: logs, artifacts (read only: it may not overwrite what a waiting deploy deploys) and seed parameters: it builds, nothing else", () => {
    expect(codeBuildPolicy(P)).toEqual({
      Version: "2012-10-17",
      Statement: [
        ...LOGS,
        ...artifacts(["s3:GetBucketAcl", "s3:GetBucketLocation"], false),
        {
          Sid: "ReadSeedParameters",
          Effect: "Allow",
          Action: ["ssm:GetParameter", "ssm:GetParameters"],
          Resource: P.seedParameterArns,
        },
        {
          Sid: "BuildCache",
          Effect: "Allow",
          Action: ["s3:GetObject", "s3:PutObject"],
          Resource: ["arn:aws:s3:::art-use1/codebuild-cache/silkroute-build/*"],
        },
        {
          Sid: "BuildCacheBuckets",
          Effect: "Allow",
          Action: ["s3:GetBucketAcl", "s3:GetBucketLocation"],
          Resource: ["arn:aws:s3:::art-use1"],
        },
      ],
    });
  });

  it("CodeBuild: never reaches the source, the state, the China keys, other accounts or the app", () => {
    for (const p of [P, { ...P, ...GITHUB }]) {
      const text = JSON.stringify(codeBuildPolicy(p));
      for (const reach of [p.sourceArn, P.stateBucketArn, P.stateKeyArn, P.parameterKeyArn]) {
        expect(text).not.toContain(reach);
      }
      for (const reach of ["sts:", "/China/", "codecommit:", "lambda:", "iam:"]) {
        expect(text).not.toContain(reach);
      }
    }
  });

  it("deploy: each environment's role reaches its own China key, role, state, code folder and app, and no other's", () => {
    // given environments no name of which starts with another's and a '-' (what the config allows)
    const apart = {
      ...P,
      environments: P.environments.map((e) => (e.name === "dev-eu" ? { ...e, name: "qa" } : e)),
    };
    // when / then
    expect(deployIsolationProblems(probeScope(apart), deployIdentity(apart))).toEqual([]);
  });

  it("deploy: only prod's role reads prod's cross-account role parameter, not every seed reader", () => {
    // given the old grant: the seed parameters included every environment's role parameter
    const prod = P.environments.find((e) => e.name === "prod")!;
    const old = {
      ...P,
      seedParameterArns: [...P.seedParameterArns, prod.crossAccountParameterArn!],
    };
    const apart = (p: PolicyInputs) => ({
      ...p,
      environments: p.environments.map((e) => (e.name === "dev-eu" ? { ...e, name: "qa" } : e)),
    });
    // when / then: the scoped grant passes, the old one lets dev and qa read it
    expect(deployIsolationProblems(probeScope(apart(P)), deployIdentity(apart(P)))).toEqual([]);
    expect(deployIsolationProblems(probeScope(apart(old)), deployIdentity(apart(old)))).toEqual([
      `the dev deploy role may reach prod's cross-account role parameter ${prod.crossAccountParameterArn}`,
      `the qa deploy role may reach prod's cross-account role parameter ${prod.crossAccountParameterArn}`,
    ]);
    // and the build role reads the seed's parameters only
    expect(JSON.stringify(codeBuildPolicy(P))).not.toContain("CrossAccountStageRole");
  });

  it("deploy: environments dev and dev-eu share app names, and the isolation check says so", () => {
    // given dev-eu, which the config refuses; its app prefix silkroute-dev-eu- starts with dev's,
    // and dev's role in eu-west-1 (silkroute-dev-eu-west-1-fn) with dev-eu's
    const problems = deployIsolationProblems(probeScope(), deployIdentity(P));
    // then: each may replace the other's function or role, bypassing its stage's approval
    expect(problems).toEqual(
      expect.arrayContaining([
        "the dev deploy role may reach dev-eu's function silkroute-dev-eu-fn in eu-west-1",
        "the dev deploy role may reach dev-eu's app role silkroute-dev-eu-eu-west-1-fn (its trust policy)",
        "the dev deploy role may reach dev-eu's app role silkroute-dev-eu-eu-west-1-fn, passed to Lambda",
        "the dev deploy role may reach dev-eu's log group /aws/lambda/silkroute-dev-eu-fn in eu-west-1",
        "the dev-eu deploy role may reach dev's app role silkroute-dev-eu-west-1-fn, passed to Lambda",
      ]),
    );
    expect(problems.every((p) => / may reach (dev|dev-eu)'s /.test(p))).toBe(true);
  });

  it("deploy: a shared role (the old design) fails the isolation check for every pair", () => {
    // given one role with every environment's policies
    const shared = {
      roleArn: roleArn("silkroute-deploy"),
      policies: {
        identityPolicies: P.environments.flatMap((e) => [
          ...deployDocs(P, e.name),
          deployRoleSecretsPolicy(P, e.name),
        ]),
      },
    };
    // when / then dev may reach prod's key, role and state
    const problems = deployIsolationProblems(probeScope(), () => shared);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^the dev deploy role may reach prod's China key parameter/),
        expect.stringMatching(/^the dev deploy role may reach prod's cross-account role/),
        expect.stringMatching(/^the dev deploy role may reach the state of stack prod-china/),
        expect.stringMatching(/^the dev deploy role may reach the secrets of stack prod-china/),
      ]),
    );
  });

  it("deploy: a prefix pattern would leak dev-eu's state to dev: exact stack names do not", () => {
    const state = (stack: string) => ({
      principal: roleArn("silkroute-deploy-dev"),
      action: "s3:GetObject",
      resource: `${P.stateBucketArn}/.pulumi/stacks/silkroute/${stack}.json`,
      resourceAccount: ACCOUNT,
    });
    const policies = { identityPolicies: [deployRoleSecretsPolicy(P, "dev")] };
    expect(decide(policies, state("dev-eu-west-1"))).toBe("Allowed");
    expect(decide(policies, state("dev-eu-eu-west-1"))).toBe("ImplicitlyDenied");
    expect(decide(policies, state("dev-eu-west-1.json.bak".replace(".json.bak", "")))).toBe(
      "Allowed",
    );
  });

  it("deploy: decrypts its China key only through SSM, not by calling KMS itself", () => {
    const [parameter] = P.environments[0].chinaParameterArns;
    const request = {
      principal: roleArn("silkroute-deploy-dev"),
      action: "kms:Decrypt",
      resource: P.parameterKeyArn,
      context: { "kms:EncryptionContext:PARAMETER_ARN": parameter },
    };
    const policies = {
      identityPolicies: [deployRoleSecretsPolicy(P, "dev")],
      resourcePolicy: keyPolicy("aws", ACCOUNT, [], true),
    };
    expect(decide(policies, request)).toBe("ImplicitlyDenied");
    expect(
      decide(policies, {
        ...request,
        context: { ...request.context, "kms:ViaService": "ssm.us-east-1.amazonaws.com" },
      }),
    ).toBe("Allowed");
  });

  it("deploy: writes only its own app folder; reads the pipeline's artifacts", () => {
    const request = (action: string, key: string) => ({
      principal: roleArn("silkroute-deploy-dev"),
      action,
      resource: `arn:aws:s3:::art-use1/${key}`,
      resourceAccount: ACCOUNT,
    });
    const policies = { identityPolicies: deployDocs(P, "dev") };
    expect(decide(policies, request("s3:GetObject", "silkroute/BuildOutpu/abc.zip"))).toBe(
      "Allowed",
    );
    expect(decide(policies, request("s3:PutObject", "silkroute/BuildOutpu/abc.zip"))).toBe(
      "ImplicitlyDenied",
    );
    expect(decide(policies, request("s3:PutObject", "app/silkroute-dev/1.zip"))).toBe("Allowed");
    expect(decide(policies, request("s3:PutObject", "app/silkroute-dev-eu/1.zip"))).toBe(
      "ImplicitlyDenied",
    );
  });

  it("deploy: a cross-account environment's role manages no app in the pipeline account", () => {
    const actions = (env: string) =>
      deployDocs(P, env).flatMap((d) => d.Statement.flatMap((s) => s.Action));
    expect(actions("prod").filter((a) => /^(lambda|iam):/.test(a))).toEqual([]);
    expect(actions("prod")).toContain("sts:AssumeRole");
    expect(actions("dev").filter((a) => a.startsWith("sts:"))).toEqual([]);
  });

  it("deploy: writes only its own projects' log groups", () => {
    const write = (role: string, project: string, region = "us-east-1") =>
      decide(
        { identityPolicies: [deployRolePolicy(P, role)] },
        {
          principal: roleArn(`silkroute-deploy-${role}`),
          action: "logs:PutLogEvents",
          resource: `arn:aws:logs:${region}:${ACCOUNT}:log-group:/silkroute/codebuild/${project}:log-stream:x`,
        },
      );
    expect(write("dev", "silkroute-deploy-dev-us-east-1")).toBe("Allowed");
    expect(write("dev", "silkroute-deploy-dev-china")).toBe("Allowed");
    expect(write("dev", "silkroute-deploy-dev-eu-west-1", "eu-west-1")).toBe("Allowed");
    expect(write("dev", "silkroute-deploy-dev-eu-eu-west-1", "eu-west-1")).toBe("ImplicitlyDenied");
    expect(write("dev", "silkroute-deploy-prod-us-east-1")).toBe("ImplicitlyDenied");
    expect(write("dev", "silkroute-build")).toBe("ImplicitlyDenied");
  });

  it("deploy: the secrets policy fits a managed policy and names no parameter path wildcard", () => {
    for (const env of P.environments) {
      const doc = deployRoleSecretsPolicy(P, env.name);
      expect(JSON.stringify(doc).length).toBeLessThanOrEqual(MAX_MANAGED_POLICY_CHARS);
      expect(JSON.stringify(doc)).not.toMatch(/parameter\/China\/[^"]*\*/);
    }
  });

  it("preview: reaches the preview environment's global checkpoints, and nothing of China", () => {
    expect(previewProblems(probeScope(), previewIdentity(P), "dev", false)).toEqual([]);
  });

  it("preview: with previewChina, adds exactly dev's China key, and never a China app stack's state or secrets", () => {
    const p = { ...P, previewChina: true };
    expect(previewProblems(probeScope(p), previewIdentity(p), "dev", true)).toEqual([]);
    // dev-china is previewed from an empty stack: its checkpoint and secrets stay explicitly denied
    const ask = (action: string, resource: string, context?: Record<string, string>) =>
      decide(
        {
          identityPolicies: [previewPolicy(p)],
          resourcePolicy:
            probeScope(p).resourcePolicies[resource] ??
            probeScope(p).resourcePolicies[resource.split("/")[0]],
        },
        {
          principal: roleArn("silkroute-preview"),
          action,
          resource,
          resourceAccount: ACCOUNT,
          ...(context && { context }),
        },
      );
    expect(ask("s3:GetObject", `${P.stateBucketArn}/.pulumi/stacks/silkroute/dev-china.json`)).toBe(
      "ExplicitlyDenied",
    );
    expect(
      ask("kms:Decrypt", P.stateKeyArn, { "kms:EncryptionContext:silkroute-stack": "dev-china" }),
    ).toBe("ExplicitlyDenied");
    expect(
      ask("kms:Decrypt", P.stateKeyArn, {
        "kms:EncryptionContext:silkroute-stack": "dev-us-east-1",
      }),
    ).toBe("Allowed");
    // and the previewChina check itself fails the role without it
    expect(previewProblems(probeScope(), previewIdentity(P), "dev", true)).toEqual(
      expect.arrayContaining([expect.stringMatching(/denied dev's China key parameter/)]),
    );
  });

  it("preview: the old grant (every state object) fails the confinement check", () => {
    const old = {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: ["s3:GetObject"], Resource: [`${P.stateBucketArn}/*`] },
        { Effect: "Allow", Action: ["kms:Decrypt", "kms:Encrypt"], Resource: [P.stateKeyArn] },
      ],
    };
    const problems = previewProblems(
      probeScope(),
      { roleArn: roleArn("silkroute-preview"), policies: { identityPolicies: [old] } },
      "dev",
      false,
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        "the preview role may reach the state of stack prod-china",
        "the preview role may reach the secrets of stack dev-china",
      ]),
    );
  });

  it("preview: writes only its own log group", () => {
    const write = (project: string) =>
      decide(
        { identityPolicies: [previewPolicy(P)] },
        {
          principal: roleArn("silkroute-preview"),
          action: "logs:PutLogEvents",
          resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/silkroute/codebuild/${project}:log-stream:x`,
        },
      );
    expect(write("silkroute-pr-preview")).toBe("Allowed");
    expect(write("silkroute-deploy-dev-us-east-1")).toBe("ImplicitlyDenied");
    expect(write("silkroute-build")).toBe("ImplicitlyDenied");
  });

  it("preview: uses the GitHub connection's token instead of CodeCommit", () => {
    const doc = previewPolicy({ ...P, ...GITHUB });
    expect(doc.Statement[2]).toEqual({
      Sid: "UseConnection",
      Effect: "Allow",
      Action: ["codeconnections:GetConnection", "codeconnections:GetConnectionToken"],
      Resource: [GITHUB.sourceArn],
    });
    expect(JSON.stringify(doc)).not.toContain("codecommit:");
  });

  it("preview: no secret and no comment, for either source, result folder or not", () => {
    for (const p of [P, { ...P, ...GITHUB }, { ...P, previewResultBucketArn: RESULTS }]) {
      const text = JSON.stringify(previewPolicy(p));
      expect(text).not.toMatch(/secretsmanager:|Comment/);
    }
  });

  it("preview: writes its result under the result folder of its bucket, nothing else there", () => {
    // given / when
    const doc = previewPolicy({ ...P, previewResultBucketArn: RESULTS });
    // then
    const s3 = doc.Statement.filter((s) => /^(WritePreviewResult|CheckResultBucket)$/.test(s.Sid));
    expect(s3).toEqual([
      {
        Sid: "WritePreviewResult",
        Effect: "Allow",
        Action: ["s3:PutObject"],
        Resource: [`${RESULTS}/pr-preview-results/*`],
      },
      {
        Sid: "CheckResultBucket",
        Effect: "Allow",
        Action: ["s3:GetBucketAcl", "s3:GetBucketLocation"],
        Resource: [RESULTS],
      },
    ]);
  });

  it("preview: turns a secret name into its ARN with the six-character suffix wildcard", () => {
    expect(secretResource(P, "silkroute/github-token")).toBe(
      `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:silkroute/github-token-??????`,
    );
  });

  it("preview: writes nothing but logs and its result: no state, artifact, app or role change", () => {
    for (const p of [P, { ...P, ...GITHUB }, { ...P, previewResultBucketArn: RESULTS }]) {
      const writes = previewPolicy(p)
        .Statement.filter((s) => s.Effect === "Allow")
        .filter((s) => !["CreateLogGroups", "WriteLogs", "BuildCache"].includes(s.Sid))
        .flatMap((s) => s.Action)
        .filter((a) => WRITES.test(a));
      expect(writes).toEqual(p.previewResultBucketArn === undefined ? [] : ["s3:PutObject"]);
      const text = JSON.stringify(previewPolicy(p));
      for (const reach of ["sts:", "codebuild:", ...Object.values(P.artifactKeyArns)]) {
        expect(text).not.toContain(reach);
      }
    }
  });

  describe("the CodeBuild caches", () => {
    const folder = (bucket: string, project: string) =>
      `arn:aws:s3:::${bucket}/${codeBuildCacheFolder(project)}cache.zip`;
    /** Each role's own projects' cache objects (P: dev in us-east-1, eu-west-1 and China). */
    const CACHES = {
      codeBuild: [folder("art-use1", "silkroute-build")],
      dev: [
        folder("art-use1", "silkroute-deploy-dev-us-east-1"),
        folder("art-euw1", "silkroute-deploy-dev-eu-west-1"),
        folder("art-use1", "silkroute-deploy-dev-china"),
      ],
      prod: [folder("art-use1", "silkroute-deploy-prod-us-east-1")],
    };
    const POLICIES = {
      codeBuild: codeBuildPolicy(P),
      dev: deployDocs(P, "dev"),
      prod: deployDocs(P, "prod"),
      preview: previewPolicy(P),
    };
    const may = (role: keyof typeof POLICIES, action: string, object: string) =>
      decide(
        { identityPolicies: [POLICIES[role]].flat() },
        {
          principal: roleArn(`silkroute-${role}`),
          action,
          resource: object,
          resourceAccount: ACCOUNT,
        },
      ) === "Allowed";

    it.each(Object.keys(POLICIES) as (keyof typeof POLICIES)[])(
      "%s: reads and writes its own projects' cache folders (pr-preview has none) and no other role's",
      (role) => {
        for (const [owner, objects] of Object.entries(CACHES)) {
          for (const object of objects) {
            for (const action of ["s3:GetObject", "s3:PutObject"]) {
              expect([owner, object, action, may(role, action, object)]).toEqual([
                owner,
                object,
                action,
                owner === role,
              ]);
            }
          }
        }
      },
    );

    it("passes the policy audit with the cache statements", () => {
      for (const policy of Object.values(POLICIES).flat()) {
        expect(auditPolicyDocument(policy, PIPELINE_ROLES)).toEqual([]);
      }
    });
  });

  it("events: starts the pr-preview project and the pipeline, nothing else", () => {
    expect(eventsPolicy(P)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "StartPrPreview",
          Effect: "Allow",
          Action: ["codebuild:StartBuild"],
          Resource: [P.prPreviewProjectArn],
        },
        {
          Sid: "StartPipeline",
          Effect: "Allow",
          Action: ["codepipeline:StartPipelineExecution"],
          Resource: [`arn:aws:codepipeline:us-east-1:${ACCOUNT}:silkroute`],
        },
      ],
    });
  });

  it.each([
    ["CodePipeline", codePipelinePolicy],
    ["CodeBuild", codeBuildPolicy],
    ["deploy", (p: PolicyInputs) => deployRolePolicy(p, "dev")],
    ["deploy (cross-account)", (p: PolicyInputs) => deployRolePolicy(p, "prod")],
    ["deploy app", (p: PolicyInputs) => doc(deployRoleAppStatements(p, "dev"))],
    ["deploy parameters", (p: PolicyInputs) => deployRoleSecretsPolicy(p, "dev")],
    ["preview", previewPolicy],
    ["events", eventsPolicy],
  ])(
    "%s: passes the audit against the pipeline's own roles",
    (_, build: (p: PolicyInputs) => PolicyDocument) => {
      for (const p of [P, { ...P, ...GITHUB }]) {
        const doc = build(p);
        expect(auditPolicyDocument(doc, PIPELINE_ROLES)).toEqual([]);
        // Deny statements (the app boundary's guards) only take permissions away.
        for (const s of doc.Statement.filter((s) => s.Effect === "Allow")) {
          expect(s.Resource).not.toContain("*");
          // Whole verbs (`sqs:Get*`) only where IAM's data has no other action of that verb.
          for (const a of s.Action) expect(a).toMatch(/^[a-z0-9-]+:[A-Za-z]+\*?$/);
        }
      }
    },
  );

  it("builds every ARN in the given partition and the parameter key's condition in its Region", () => {
    const cn = {
      ...P,
      partition: "aws-cn" as const,
      region: "cn-north-1",
      artifactBucketArns: { "cn-north-1": "arn:aws-cn:s3:::art-cnn1" },
      artifactKeyArns: { "cn-north-1": `arn:aws-cn:kms:cn-north-1:${ACCOUNT}:key/k1` },
      environments: P.environments.map((e) => ({ ...e, globalRegions: [] })),
    };
    const doc = deployRolePolicy(cn, "dev");
    expect(doc.Statement[0].Resource[0]).toMatch(/^arn:aws-cn:logs:/);
    const parameters = deployRoleSecretsPolicy(cn, "dev");
    expect(
      parameters.Statement.find((s) => s.Sid === "DecryptChinaParameters")?.Condition?.StringEquals,
    ).toMatchObject({ "kms:ViaService": "ssm.cn-north-1.amazonaws.com.cn" });
  });

  it("fits IAM's limits at the largest scale: 10 environments x 4 Regions with China, the longest names", () => {
    // given the config's longest prefix (24) and environment names (16)
    const regions = ["us-east-1", "eu-west-1", "ap-southeast-2", "ap-northeast-1"];
    const prefix = "p".repeat(24);
    const environments = Array.from({ length: 10 }, (_, i) => ({
      name: `e${i}`.padEnd(16, "x"),
      globalRegions: regions,
      china: true,
      chinaParameterArns: ["UserAccessKey", "UserSecretKey", "DeploymentS3Bucket"].map(
        (n) => `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/China/${"E".repeat(16)}${i}/${n}`,
      ),
    }));
    const byRegion = (f: (r: string) => string) =>
      Object.fromEntries(regions.map((r) => [r, f(r)]));
    let p: PolicyInputs = {
      ...P,
      prefix,
      environments,
      previewEnvironment: environments[0].name,
      previewChina: true,
      artifactBucketArns: byRegion((r) => `arn:aws:s3:::${prefix}-artifacts-${r}-0123456789abcdef`),
      artifactKeyArns: byRegion(
        (r) => `arn:aws:kms:${r}:${ACCOUNT}:key/0123abcd-0123-4567-89ab-0123456789ab`,
      ),
      stateBucketArn: `arn:aws:s3:::${prefix}-state-bucket-0123456789abcdef`,
      stateKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/0123abcd-0123-4567-89ab-0123456789ab`,
      parameterKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/0123abcd-0123-4567-89ab-0123456789ac`,
      seedParameterArns: ["CodeBuildRole", "CodePipelineRole", "CloudformationRole"].map(
        (n) => `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/US/Dev/${n}`,
      ),
    };
    // and an app of every common kind, with a SAM transform
    p = { ...p, appKinds: APP_KINDS.map((k) => k.name), appTransforms: ["Serverless-2016-10-31"] };
    // then every document passes the audit, which counts IAM's characters
    for (const env of environments) {
      const layout = appPolicyLayout({
        regions,
        appPrefixes: [`${prefix}-${env.name}`],
        kinds: p.appKinds,
        transforms: p.appTransforms,
        buckets: regions.length,
      });
      // one attached policy is the secrets policy's
      expect(layout.length).toBeLessThanOrEqual(MAX_ATTACHED_POLICIES - 1);
      for (const d of packStatements(deployRoleAppStatements(p, env.name), layout)) {
        expect(auditPolicyDocument(d, [], MAX_MANAGED_POLICY_CHARS)).toEqual([]);
      }
      expect(auditPolicyDocument(deployRolePolicy(p, env.name))).toEqual([]);
      expect(
        auditPolicyDocument(deployRoleSecretsPolicy(p, env.name), [], MAX_MANAGED_POLICY_CHARS),
      ).toEqual([]);
    }
    expect(auditPolicyDocument(previewPolicy(p))).toEqual([]);
    expect(auditPolicyDocument(codePipelinePolicy(p))).toEqual([]);
    const largest = Math.max(
      ...environments.map((e) => JSON.stringify(deployRolePolicy(p, e.name)).length),
    );
    // a margin for statements to come (7,166 of 10,240 when written)
    expect(largest).toBeLessThan(9_000);
  });

  it("reads the connection service from the ARN", () => {
    expect(connectionService(GITHUB.sourceArn)).toBe("codeconnections");
  });
});
