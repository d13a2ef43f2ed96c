import { appManageStatements, appReadStatements } from "../../components/appPolicyStatements";
import {
  codeBuildPolicy,
  codePipelinePolicy,
  connectionService,
  deployParametersPolicy,
  deployPolicy,
  eventsPolicy,
  previewPolicy,
  secretResource,
} from "../../components/policyDocuments";
import { codeBuildCacheFolder } from "../../components/naming";
import { auditPolicyDocument, PolicyDocument } from "../../components/policyStatements";
import {
  ACCOUNT,
  APP_SCOPE,
  artifacts,
  DECRYPT_CHINA_PARAMETERS,
  GITHUB,
  LIST_STATE,
  DEPLOY_LOGS,
  LOGS,
  P,
  PIPELINE_ROLES,
} from "../helpers/policyInputs";

const sids = (d: PolicyDocument) => d.Statement.map((s) => s.Sid);
const WRITES =
  /:(Assume|Attach|Create|Delete|Detach|Invoke|Pass|Post|Publish|Put|Start|Tag|Untag|Update|Upload)/;

/** The pipeline Region's artifact bucket, where pr-preview uploads its result. */
const RESULTS = P.artifactBucketArns[0];

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
        ...artifacts(["s3:GetBucketLocation", "s3:GetBucketVersioning"]),
        {
          Sid: "ReadSource",
          Effect: "Allow",
          Action: [
            "codecommit:CancelUploadArchive",
            "codecommit:GetBranch",
            "codecommit:GetCommit",
            "codecommit:GetRepository",
            "codecommit:GetUploadArchiveStatus",
            "codecommit:UploadArchive",
          ],
          Resource: [P.sourceArn],
        },
      ],
    });
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

  it("CodeBuild: logs, artifacts and seed parameters: it builds, nothing else", () => {
    expect(codeBuildPolicy(P)).toEqual({
      Version: "2012-10-17",
      Statement: [
        ...LOGS,
        ...artifacts(["s3:GetBucketAcl", "s3:GetBucketLocation"]),
        {
          Sid: "ReadSeedParameters",
          Effect: "Allow",
          Action: ["ssm:GetParameter", "ssm:GetParameters"],
          Resource: P.seedParameterArns,
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

  it("deploy: logs, artifacts, state, parameters via SSM, cross-account roles, the app", () => {
    expect(deployPolicy(P)).toEqual({
      Version: "2012-10-17",
      Statement: [
        ...DEPLOY_LOGS,
        ...artifacts(["s3:GetBucketAcl", "s3:GetBucketLocation"]),
        LIST_STATE,
        {
          Sid: "ReadWriteState",
          Effect: "Allow",
          Action: ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
          Resource: ["arn:aws:s3:::state/*"],
        },
        {
          Sid: "UseStateKey",
          Effect: "Allow",
          Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
          Resource: [P.stateKeyArn],
        },
        {
          Sid: "AssumeCrossAccountRoles",
          Effect: "Allow",
          Action: ["sts:AssumeRole"],
          Resource: P.crossAccountRoleArns,
        },
        // Exactly checked in appPolicyStatements.test.ts.
        ...appManageStatements(APP_SCOPE),
      ],
    });
  });

  it("deploy: reads the seed's and the China deploy key parameters, decrypted through SSM only", () => {
    // a managed policy of its own: the exact names grow with the environments
    expect(deployParametersPolicy(P)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ReadParameters",
          Effect: "Allow",
          Action: ["ssm:GetParameter", "ssm:GetParameters"],
          Resource: [...P.seedParameterArns, ...P.chinaParameterArns],
        },
        DECRYPT_CHINA_PARAMETERS,
      ],
    });
  });

  it("deploy: scopes the app to <appPrefix><env>- in each deploy Region", () => {
    const roles = deployPolicy(P).Statement.find((s) => s.Sid === "AppRoles");
    expect(roles?.Resource).toEqual([`arn:aws:iam::${ACCOUNT}:role/silkroute-dev-*`]);
    const functions = deployPolicy(P).Statement.find((s) => s.Sid === "AppFunctions");
    expect(functions?.Resource).toEqual([`arn:aws:lambda:*:${ACCOUNT}:function:silkroute-dev-*`]);
    expect(functions?.Condition).toEqual({
      StringEquals: { "aws:RequestedRegion": ["us-east-1", "eu-west-1"] },
    });
  });

  it("deploy: creates the app's roles only under the pipeline account's app boundary", () => {
    const bounded = deployPolicy(P).Statement.find((s) => s.Sid === "AppRolesUnderBoundary");
    expect(bounded).toEqual({
      Sid: "AppRolesUnderBoundary",
      Effect: "Allow",
      Action: ["iam:CreateRole", "iam:PutRolePolicy"],
      Resource: [`arn:aws:iam::${ACCOUNT}:role/silkroute-dev-*`],
      Condition: {
        StringEquals: {
          "iam:PermissionsBoundary": `arn:aws:iam::${ACCOUNT}:policy/silkroute-app-boundary`,
        },
      },
    });
  });

  it("deploy: drops the AssumeRole and app statements when nothing needs them", () => {
    const p = { ...P, crossAccountRoleArns: [], appEnvironments: [] };
    expect(sids(deployPolicy(p)).at(-1)).toBe("UseStateKey");
  });

  it("preview: logs, state read-only, the app read-only, no comment", () => {
    expect(previewPolicy(P)).toEqual({
      Version: "2012-10-17",
      Statement: [
        ...LOGS,
        {
          Sid: "PullSource",
          Effect: "Allow",
          Action: ["codecommit:GitPull"],
          Resource: [P.sourceArn],
        },
        LIST_STATE,
        {
          Sid: "ReadState",
          Effect: "Allow",
          Action: ["s3:GetObject"],
          Resource: ["arn:aws:s3:::state/*"],
        },
        {
          Sid: "NoChinaStackState",
          Effect: "Deny",
          Action: ["s3:GetObject"],
          Resource: ["arn:aws:s3:::state/.pulumi/*china*"],
        },
        {
          Sid: "UseStateKey",
          Effect: "Allow",
          Action: ["kms:Decrypt", "kms:Encrypt"],
          Resource: [P.stateKeyArn],
        },
        // Exactly checked in appPolicyStatements.test.ts.
        ...appReadStatements(APP_SCOPE),
      ],
    });
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

  it("preview: reads the China key parameters through SSM only when given them", () => {
    const china = [`arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/China/Dev/*`];
    const statements = previewPolicy({ ...P, previewChinaParameterArns: china }).Statement;
    expect(statements.filter((s) => /China/.test(s.Sid))).toEqual([
      {
        Sid: "ReadChinaParameters",
        Effect: "Allow",
        Action: ["ssm:GetParameter", "ssm:GetParameters"],
        Resource: china,
      },
      DECRYPT_CHINA_PARAMETERS,
    ]);
    expect(statements.map((s) => s.Sid)).not.toContain("NoChinaStackState");
    // without them: no parameter, and no China app stack's state either
    const without = previewPolicy(P).Statement;
    expect(JSON.stringify(without.filter((s) => s.Effect === "Allow"))).not.toMatch(
      /China|ssm:|params/,
    );
    expect(without.find((s) => s.Sid === "NoChinaStackState")).toEqual({
      Sid: "NoChinaStackState",
      Effect: "Deny",
      Action: ["s3:GetObject"],
      Resource: ["arn:aws:s3:::state/.pulumi/*china*"],
    });
  });

  it("preview: writes nothing but logs and its result: no state, artifact, app or role change", () => {
    for (const p of [P, { ...P, ...GITHUB }, { ...P, previewResultBucketArn: RESULTS }]) {
      const writes = previewPolicy(p)
        .Statement.filter((s) => !["CreateLogGroups", "WriteLogs"].includes(s.Sid))
        .flatMap((s) => s.Action)
        .filter((a) => WRITES.test(a));
      expect(writes).toEqual(p.previewResultBucketArn === undefined ? [] : ["s3:PutObject"]);
      const text = JSON.stringify(previewPolicy(p));
      for (const reach of ["sts:", "codebuild:", ...P.artifactKeyArns, "art-use1/*"]) {
        expect(text).not.toContain(reach);
      }
    }
  });

  describe("the CodeBuild caches", () => {
    const folder = (bucket: string, project: string) =>
      `arn:aws:s3:::${bucket}/${codeBuildCacheFolder(project)}*`;
    const CACHES = {
      codeBuild: [folder("art-use1", "silkroute-build")],
      deploy: [
        folder("art-use1", "silkroute-deploy-global-us-east-1"),
        folder("art-euw1", "silkroute-deploy-global-eu-west-1"),
        folder("art-use1", "silkroute-deploy-china"),
      ],
      preview: [folder("art-use1", "silkroute-pr-preview")],
    };
    const withCaches = { ...P, buildCacheArns: CACHES };
    const glob = (pattern: string) =>
      new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
    /** Some Allow statement gives `action` on `resource`. */
    const allows = (d: PolicyDocument, action: string, resource: string) =>
      d.Statement.some(
        (s) =>
          s.Effect === "Allow" &&
          s.Action.includes(action) &&
          s.Resource.some((r) => glob(r).test(resource)),
      );
    const object = (arn: string) => arn.replace(/\*$/, "cache.zip");

    it.each([
      ["codeBuild", codeBuildPolicy],
      ["deploy", deployPolicy],
      ["preview", previewPolicy],
    ] as const)("%s: reads and writes its own projects' cache folders", (role, policy) => {
      for (const arn of CACHES[role]) {
        expect(allows(policy(withCaches), "s3:GetObject", object(arn))).toBe(true);
        expect(allows(policy(withCaches), "s3:PutObject", object(arn))).toBe(true);
      }
    });

    it("preview: may write no cache but pr-preview's, so pull-request code cannot poison a deploy's", () => {
      // given
      const others = [...CACHES.codeBuild, ...CACHES.deploy].map(object);
      // then
      for (const o of others) {
        expect(allows(previewPolicy(withCaches), "s3:PutObject", o)).toBe(false);
        expect(allows(previewPolicy(withCaches), "s3:GetObject", o)).toBe(false);
      }
      expect(allows(previewPolicy(withCaches), "s3:PutObject", "arn:aws:s3:::art-use1/app/x")).toBe(
        false,
      );
    });

    it("passes the policy audit with the cache statements", () => {
      for (const policy of [codeBuildPolicy, deployPolicy, previewPolicy]) {
        expect(auditPolicyDocument(policy(withCaches), PIPELINE_ROLES)).toEqual([]);
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

  it("preview: the China state deny covers every state object of China stacks, and only those", () => {
    // given the deny's pattern as IAM matches it (`*` spans `/`)
    const [pattern] = previewPolicy(P).Statement.find(
      (s) => s.Sid === "NoChinaStackState",
    )!.Resource;
    const matcher = new RegExp(
      `^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`,
    );
    const object = (key: string) => `arn:aws:s3:::state/${key}`;
    // then China app stacks, the china stack, their history and backups are denied
    for (const key of [
      ".pulumi/stacks/silkroute/dev-china.json",
      ".pulumi/stacks/silkroute/dev-china.json.bak",
      ".pulumi/stacks/silkroute/china.json",
      ".pulumi/history/silkroute/prod-china/prod-china-1700000000.history.json",
      ".pulumi/backups/silkroute/dev-china/dev-china.1700000000.json",
    ]) {
      expect(matcher.test(object(key))).toBe(true);
    }
    // and the global targets' state stays readable
    for (const key of [".pulumi/stacks/silkroute/dev-us-east-1.json", ".pulumi/meta.yaml"]) {
      expect(matcher.test(object(key))).toBe(false);
    }
  });

  it.each([
    ["CodePipeline", codePipelinePolicy],
    ["CodeBuild", codeBuildPolicy],
    ["deploy", deployPolicy],
    ["preview", previewPolicy],
    ["events", eventsPolicy],
  ])("%s: passes the audit against the pipeline's own roles", (_, build) => {
    for (const p of [P, { ...P, ...GITHUB }]) {
      const doc = build(p);
      expect(auditPolicyDocument(doc, PIPELINE_ROLES)).toEqual([]);
      // Deny statements (the app boundary's guards) only take permissions away.
      for (const s of doc.Statement.filter((s) => s.Effect === "Allow")) {
        expect(s.Resource).not.toContain("*");
        for (const a of s.Action) expect(a).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
      }
    }
  });

  it("builds every ARN in the given partition and the parameter key's condition in its Region", () => {
    const cn = { ...P, partition: "aws-cn" as const, region: "cn-north-1" };
    const doc = deployPolicy(cn);
    expect(doc.Statement[0].Resource[0]).toMatch(/^arn:aws-cn:logs:/);
    const parameters = deployParametersPolicy(cn);
    expect(parameters.Statement.find((s) => s.Sid === "DecryptChinaParameters")?.Condition).toEqual(
      {
        StringEquals: { "kms:ViaService": "ssm.cn-north-1.amazonaws.com.cn" },
      },
    );
  });

  it("reads the connection service from the ARN", () => {
    expect(connectionService(GITHUB.sourceArn)).toBe("codeconnections");
  });
});
