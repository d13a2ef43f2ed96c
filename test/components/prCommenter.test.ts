import { createPolicies, runPolicies } from "../../automation/policies";
import { commenterBundle } from "../../components/commenterBundle";
import { BUILD_END_STATUSES } from "../../components/commenterContract";
import {
  buildEndPattern,
  CommenterSource,
  PrCommenter,
  PrCommenterArgs,
  PrCommenterRole,
  validatePrCommenterArgs,
} from "../../components/prCommenter";
import { evaluate, inputsOf, only, policyOf, providerFor } from "../helpers/pulumi";

const BUCKET = "silkroute-artifacts-us-east-1-abc";
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const REPO_ARN = "arn:aws:codecommit:us-east-1:123456789012:silkroute-app";
const SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:github-pr-token-AbCdEf";
const GITHUB: CommenterSource = { type: "github", repository: "octo/app", tokenSecret: SECRET };
const CODECOMMIT: CommenterSource = {
  type: "codecommit",
  repositoryName: "silkroute-app",
  repositoryArn: REPO_ARN,
};

const args = (source: CommenterSource, more: Partial<PrCommenterArgs> = {}): PrCommenterArgs => ({
  prefix: "silkroute",
  role: { name: "silkroute-commenter", arn: "arn:aws:iam::123456789012:role/silkroute-commenter" },
  projectName: "silkroute-pr-preview",
  env: "dev",
  resultBucket: BUCKET,
  resultBucketArn: BUCKET_ARN,
  source,
  ...more,
});

const program = (source: CommenterSource) => () => {
  const provider = providerFor("us-east-1");
  const role = new PrCommenterRole("commenter-role", { prefix: "silkroute" }, { provider });
  new PrCommenter("commenter", { ...args(source), role }, { provider });
  return {};
};

type Statement = { Sid: string; Effect: string; Action: string[]; Resource: string[] };
const statements = async (source: CommenterSource): Promise<Statement[]> =>
  policyOf(only(await evaluate(program(source)), "aws:iam/rolePolicy:RolePolicy")).Statement;
const actions = (list: Statement[]) => list.flatMap((s) => s.Action);

describe.each([
  ["github", GITHUB],
  ["codecommit", CODECOMMIT],
] as const)("PrCommenter for a %s source", (_kind, source) => {
  it("runs the bundle of this repository's poster on nodejs22.x, invoked by its handler", async () => {
    // given / when
    const fn = inputsOf(only(await evaluate(program(source)), "aws:lambda/function:Function"));
    // then
    expect(fn).toMatchObject({
      name: "silkroute-commenter",
      runtime: "nodejs22.x",
      handler: "index.handler",
    });
    expect(fn.code).toEqual({
      assetArchive: { "index.js": { stringAsset: `${commenterBundle().length} characters` } },
    });
  });

  it("reads results only under the result folder, and writes nothing there", async () => {
    // given / when
    const list = await statements(source);
    const s3 = list.filter((s) => s.Action.some((a) => a.startsWith("s3:")));
    // then
    expect(actions(s3)).toEqual(["s3:GetObject"]);
    expect(s3.flatMap((s) => s.Resource)).toEqual([`${BUCKET_ARN}/pr-preview-results/*`]);
  });

  it("writes only its own log group", async () => {
    // given / when
    const logs = (await statements(source)).filter((s) =>
      s.Action.some((a) => a.startsWith("logs:")),
    );
    // then
    for (const resource of logs.flatMap((s) => s.Resource)) {
      expect(resource).toMatch(/:log-group:\/aws\/lambda\/silkroute-commenter(:\*)?$/);
    }
    expect(actions(logs)).not.toContain("logs:CreateLogGroup");
  });

  it("is invoked by its rule alone, when a pr-preview build ends in any end status", async () => {
    // given
    const stack = await evaluate(program(source));
    const rule = only(stack, "aws:cloudwatch/eventRule:EventRule");
    // when
    const permission = inputsOf(only(stack, "aws:lambda/permission:Permission"));
    // then
    expect(permission).toMatchObject({
      principal: "events.amazonaws.com",
      sourceArn: rule.state.arn,
    });
    expect(JSON.parse(inputsOf(rule).eventPattern)).toEqual(
      buildEndPattern("silkroute-pr-preview"),
    );
    expect(buildEndPattern("p").detail["build-status"]).toEqual([...BUILD_END_STATUSES]);
  });

  it("passes the plan's policies", async () => {
    // given / when
    const stack = await evaluate(program(source));
    // then
    expect(runPolicies(stack.resources, createPolicies())).toEqual([]);
  });
});

describe("PrCommenter's reach per source", () => {
  it("on GitHub: reads the one token secret and comments on nothing in CodeCommit", async () => {
    // given / when
    const list = await statements(GITHUB);
    // then
    const secrets = list.filter((s) => s.Action.some((a) => a.startsWith("secretsmanager:")));
    expect(actions(secrets)).toEqual(["secretsmanager:GetSecretValue"]);
    expect(secrets.flatMap((s) => s.Resource)).toEqual([SECRET]);
    expect(actions(list).filter((a) => a.startsWith("codecommit:"))).toEqual([]);
  });

  it("on GitHub: has the secret's name and the repository as variables, never a token", async () => {
    // given / when
    const fn = inputsOf(only(await evaluate(program(GITHUB)), "aws:lambda/function:Function"));
    // then
    expect(fn.environment.variables).toEqual({
      SILKROUTE_COMMENT: "github",
      SILKROUTE_ENV: "dev",
      SILKROUTE_PREVIEW_PROJECT: "silkroute-pr-preview",
      SILKROUTE_RESULT_BUCKET: BUCKET,
      SILKROUTE_REPOSITORY: "octo/app",
      SILKROUTE_GITHUB_TOKEN_SECRET: SECRET,
      GITHUB_API_URL: "https://api.github.com",
    });
  });

  it("on CodeCommit: comments on the one repository and reads no secret", async () => {
    // given / when
    const list = await statements(CODECOMMIT);
    // then
    const codecommit = list.filter((s) => s.Action.some((a) => a.startsWith("codecommit:")));
    expect(codecommit.flatMap((s) => s.Resource)).toEqual([REPO_ARN]);
    expect(actions(codecommit)).toEqual(
      expect.arrayContaining(["codecommit:PostCommentForPullRequest", "codecommit:UpdateComment"]),
    );
    expect(actions(list).filter((a) => a.startsWith("secretsmanager:"))).toEqual([]);
  });
});

describe("PrCommenterRole", () => {
  it("is assumed by Lambda only, under a one-word name no app name prefix can match", async () => {
    // given / when
    const stack = await evaluate(program(CODECOMMIT));
    const role = only(stack, "aws:iam/role:Role");
    // then
    expect(inputsOf(role).name).toBe("silkroute-commenter");
    expect(policyOf(role, "assumeRolePolicy").Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "lambda.amazonaws.com" },
        Action: "sts:AssumeRole",
      },
    ]);
  });
});

describe("validatePrCommenterArgs", () => {
  it.each([
    [{ prefix: "Bad_Prefix" }, "prefix must be"],
    [{ env: "dev -->" }, "env must be an environment name"],
    [{ logRetentionDays: 42 }, "logRetentionDays must be one of"],
    [{ source: { ...GITHUB, repository: "app" } }, "source.repository must be owner/repo"],
    [{ source: { ...GITHUB, tokenSecret: " " } }, "source.tokenSecret must name"],
    [{ source: { ...GITHUB, apiUrl: "http://ghe.example" } }, "source.apiUrl must be an https URL"],
  ] as const)("%j", (more, said) => {
    expect(validatePrCommenterArgs(args(GITHUB, more as Partial<PrCommenterArgs>))).toContain(said);
  });

  it("accepts the shipped shapes", () => {
    expect(validatePrCommenterArgs(args(GITHUB))).toBeUndefined();
    expect(validatePrCommenterArgs(args(CODECOMMIT))).toBeUndefined();
  });
});
