import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { toPlannedStack } from "../../automation/plan/plan";
import { readStackConfig } from "../../automation/plan/stackConfig";
import { isSecretValue } from "../../automation/plan/secrets";
import { chinaAccessLogFolder } from "../../components/naming";
import { S3_LOG_DELIVERY, servicePrincipal } from "../../components/partition";
import { chinaProgram } from "../../stacks/china";
import { CHINA_CONFIG, GLOBAL_OUTPUTS, globalStackOutputs } from "../helpers/globalOutputs";
import { evaluate, inputsOf, ofType, only, policyOf, RecordedResource } from "../helpers/pulumi";

const NOW = new Date("2026-11-26T10:00:00Z");
const PROJECT_DIR = path.join(__dirname, "..", "..");

function evaluateChina(
  config: Record<string, string> = CHINA_CONFIG,
  outputs: Partial<Record<keyof typeof GLOBAL_OUTPUTS, unknown>> = {},
  now = NOW,
) {
  return evaluate(() => chinaProgram({ now }), config, "china", globalStackOutputs(outputs));
}

let shipped: ReturnType<typeof evaluateChina> | undefined;
/** The china stack of CHINA_CONFIG, evaluated once for the tests that only read it. */
const shippedChina = () => (shipped ??= evaluateChina());

/**
 * Runs chinaProgram under a bare mock engine that answers only the global
 * StackReference, and returns the message it fails with and the resources it
 * registered first. (Not through evaluate(): a program failing inside the
 * runtime's stack resource leaves unawaited copies of its error behind, which
 * jest 30 reports as unhandled rejections.)
 */
async function failureOf(
  config: Record<string, string>,
  outputs: Partial<Record<keyof typeof GLOBAL_OUTPUTS, unknown>> = {},
): Promise<{ message: string; registered: string[] }> {
  const registered: string[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push(args.type);
        const name = String(args.inputs.name);
        return args.type === "pulumi:pulumi:StackReference"
          ? { id: name, state: { name, outputs: globalStackOutputs(outputs)[name] } }
          : { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => {
        throw new Error(`unexpected invoke ${args.token}`);
      },
    },
    "silkroute",
    "china",
    false,
    "organization",
  );
  pulumi.runtime.setAllConfig({ ...config });
  try {
    await chinaProgram({ now: NOW });
  } catch (e) {
    return { message: e instanceof Error ? e.message : String(e), registered };
  }
  throw new Error("chinaProgram succeeded");
}

const PROVIDER = "pulumi:providers:aws";
const isSsm = (r: RecordedResource) => r.type === "aws:ssm/parameter:Parameter";
const chinaResources = (resources: readonly RecordedResource[]) =>
  resources.filter((r) => r.type.startsWith("aws:") && !isSsm(r));

describe("china stack", () => {
  it("plans as shipped in Pulumi.china.yaml", async () => {
    // given the sample config file
    const config = readStackConfig(PROJECT_DIR, "china");
    // when
    const stack = await evaluateChina(config);
    // then
    expect(config["pulumi:disable-default-providers"]).toBe('["*"]');
    expect(ofType(stack, "silkroute:china:ChinaDeployer").map((r) => r.name)).toEqual([
      "dev-china",
      "stage-china",
      "prod-china",
    ]);
  });

  it("has one global provider and one China provider per environment, named for good", async () => {
    const stack = await shippedChina();
    const providers = ofType(stack, PROVIDER);
    expect(providers.map((p) => [p.name, p.region, p.partition])).toEqual([
      ["global", "us-east-1", "aws"],
      ["china-dev", "cn-north-1", "aws-cn"],
    ]);
  });

  it("signs the China provider in with the bootstrap key read from SSM, as secrets", async () => {
    const stack = await shippedChina();
    const china = only(stack, PROVIDER, "china-dev");
    expect(isSecretValue(china.inputs.accessKey)).toBe(true);
    expect(isSecretValue(china.inputs.secretKey)).toBe(true);
    // The mock engine answers getParameter with `plan-value-of-<name>`.
    expect(inputsOf(china)).toMatchObject({
      accessKey: "plan-value-of-/China/Dev/Bootstrap/AccessKeyId",
      secretKey: "plan-value-of-/China/Dev/Bootstrap/SecretAccessKey",
    });
  });

  it("pins the China provider to the configured account, when one is configured", async () => {
    // given the dev environment with its China account id
    const [dev] = JSON.parse(CHINA_CONFIG["silkroute:environments"]);
    const pinned = {
      ...CHINA_CONFIG,
      "silkroute:environments": JSON.stringify([{ ...dev, accountId: "210987654321" }]),
    };
    // when
    const [withAccount, without] = [await evaluateChina(pinned), await shippedChina()];
    // then
    // Provider config travels as strings: lists as JSON.
    const allowed = inputsOf(only(withAccount, PROVIDER, "china-dev")).allowedAccountIds;
    expect(JSON.parse(allowed)).toEqual(["210987654321"]);
    expect(inputsOf(only(without, PROVIDER, "china-dev")).allowedAccountIds).toBeUndefined();
  });

  it("manages every China resource through the aws-cn provider in cn-north-1", async () => {
    const stack = await shippedChina();
    const china = only(stack, PROVIDER, "china-dev");
    const resources = chinaResources(stack.resources);
    expect(resources.length).toBeGreaterThan(12);
    for (const r of resources) {
      expect({
        name: r.name,
        provider: r.provider,
        region: r.region,
        partition: r.partition,
      }).toEqual({ name: r.name, provider: china.urn, region: "cn-north-1", partition: "aws-cn" });
    }
  });

  it("writes no aws-partition ARN into any China input", async () => {
    const stack = await shippedChina();
    const text = JSON.stringify(chinaResources(stack.resources).map(inputsOf));
    expect(text).not.toContain("arn:aws:");
  });

  it("takes the principal the deploy role is passed to from the partition table", async () => {
    const stack = await shippedChina();
    const policy = policyOf(only(stack, "aws:iam/policy:Policy", "dev-china-deploy-app-1"));
    const pass = policy.Statement.find((s: { Sid: string }) => s.Sid === "PassAppRoles");
    expect(pass.Condition.StringEquals["iam:PassedToService"]).toEqual([
      servicePrincipal("lambda", "aws-cn"),
    ]);
  });

  it("lets the deploy user create app roles only under the account's app boundary", async () => {
    // given / when
    const stack = await shippedChina();
    // then
    const boundary = only(stack, "aws:iam/policy:Policy", "dev-app-boundary-policy");
    expect(inputsOf(boundary).name).toBe("silkroute-app-boundary");
    const policy = policyOf(only(stack, "aws:iam/policy:Policy", "dev-china-deploy-app-1"));
    const bounded = policy.Statement.find(
      (s: { Sid: string }) => s.Sid === "AppRolesUnderBoundary",
    );
    expect(bounded.Condition).toEqual({
      StringEquals: { "iam:PermissionsBoundary": String(boundary.state.arn) },
    });
  });

  it("creates one app boundary per China account: environments sharing an account share it", async () => {
    // given: dev and stage in one account, prod in another
    const [dev] = JSON.parse(CHINA_CONFIG["silkroute:environments"]);
    const env = (name: string, accountId: string) => ({
      ...dev,
      name,
      accountId,
      parameterPrefix: `/China/${name[0].toUpperCase()}${name.slice(1)}`,
    });
    const config = {
      ...CHINA_CONFIG,
      "silkroute:environments": JSON.stringify([
        env("dev", "210987654321"),
        env("stage", "210987654321"),
        env("prod", "310987654321"),
      ]),
    };
    // when
    const stack = await evaluateChina(config);
    // then
    expect(
      ofType(stack, "aws:iam/policy:Policy")
        .map((r) => r.name)
        .filter((n) => n.includes("boundary")),
    ).toEqual(["dev-app-boundary-policy", "prod-app-boundary-policy"]);
    // one statement per environment of the account, each for its own roles and log groups
    const shared = policyOf(only(stack, "aws:iam/policy:Policy", "dev-app-boundary-policy"));
    expect(shared.Statement.map((st: { Resource: string[] }) => st.Resource)).toEqual([
      ["arn:aws-cn:logs:*:210987654321:log-group:/aws/lambda/silkroute-dev-*"],
      ["arn:aws-cn:logs:*:210987654321:log-group:/aws/lambda/silkroute-stage-*"],
    ]);
    expect(
      shared.Statement.map(
        (st: { Condition: { ArnLike: Record<string, string> } }) =>
          st.Condition.ArnLike["aws:PrincipalArn"],
      ),
    ).toEqual([
      "arn:aws-cn:iam::210987654321:role/silkroute-dev-*",
      "arn:aws-cn:iam::210987654321:role/silkroute-stage-*",
    ]);
  });

  it("writes the deploy key back through the global provider, SecureStrings under the global stack's key", async () => {
    const stack = await shippedChina();
    const global = only(stack, PROVIDER, "global");
    const parameters = ofType(stack, "aws:ssm/parameter:Parameter");
    expect(parameters.map((p) => inputsOf(p).name).sort()).toEqual([
      "/China/Dev/DeploymentS3Bucket",
      "/China/Dev/UserAccessKey",
      "/China/Dev/UserSecretKey",
    ]);
    for (const p of parameters) {
      expect([p.provider, p.region, p.partition]).toEqual([global.urn, "us-east-1", "aws"]);
    }
    const secure = parameters.filter((p) => inputsOf(p).type === "SecureString");
    expect(secure.map((p) => inputsOf(p).keyId)).toEqual([
      GLOBAL_OUTPUTS.parameterKeyArn,
      GLOBAL_OUTPUTS.parameterKeyArn,
    ]);
  });

  it("rotates through the access key's replacement trigger", async () => {
    const stack = await shippedChina();
    const key = only(stack, "aws:iam/accessKey:AccessKey");
    expect(key.options.replacementTrigger).toBe("30d-692");
    expect(key.options.deleteBeforeReplace).toBe(false);
  });

  it("exports per environment the bucket, its log bucket, user, parameter names and key dates", async () => {
    const stack = await shippedChina();
    const [bucket, logBucket] = ["dev-china-artifacts", "dev-china-access-logs"].map(
      (name) => only(stack, "aws:s3/bucket:Bucket", name).state.bucket,
    );
    expect(stack.outputs.environments).toEqual({
      dev: {
        bucketName: bucket,
        accessLogBucket: logBucket,
        userArn: "arn:aws-cn:iam::210987654321:user/silkroute/silkroute-dev-china-deployer",
        parameters: {
          accessKey: "/China/Dev/UserAccessKey",
          secretKey: "/China/Dev/UserSecretKey",
          bucket: "/China/Dev/DeploymentS3Bucket",
        },
        keyCreatedAt: "2026-01-01T00:00:00Z",
        nextRotation: "2026-12-03T00:00:00.000Z",
      },
    });
  });

  it("logs each artifact bucket into its China account's log bucket, environments of one account into one", async () => {
    // given the shipped config: dev and stage in one China account, prod in another
    const stack = await evaluateChina(readStackConfig(PROJECT_DIR, "china"));
    const buckets = ofType(stack, "aws:s3/bucket:Bucket");
    const nameOf = (id: unknown) => buckets.find((b) => b.id === id)?.name;
    // when
    const loggings = ofType(stack, "aws:s3/bucketLogging:BucketLogging").map((l) => ({
      source: nameOf(l.inputs.bucket),
      target: nameOf(l.inputs.targetBucket),
      prefix: l.inputs.targetPrefix,
      partition: l.partition,
    }));
    // then
    expect(loggings).toEqual(
      [
        ["dev", "dev"],
        ["stage", "dev"],
        ["prod", "prod"],
      ].map(([env, account]) => ({
        source: `${env}-china-artifacts`,
        target: `${account}-china-access-logs`,
        prefix: chinaAccessLogFolder(env),
        partition: "aws-cn",
      })),
    );
  });

  it("lets only S3 log delivery of aws-cn write into a China log bucket, for its account's artifact buckets", async () => {
    // given
    const stack = await evaluateChina(readStackConfig(PROJECT_DIR, "china"));
    const buckets = ofType(stack, "aws:s3/bucket:Bucket");
    const logs = buckets.find((b) => b.name === "dev-china-access-logs")!;
    const arnOf = (name: string) => buckets.find((b) => b.name === name)!.state.arn;
    const policy = ofType(stack, "aws:s3/bucketPolicy:BucketPolicy").find(
      (p) => p.inputs.bucket === logs.id,
    )!;
    // when
    const allows = policyOf(policy).Statement.filter((s: any) => s.Effect === "Allow");
    // then
    expect(allows.map((s: any) => s.Principal)).toEqual([
      { Service: servicePrincipal(S3_LOG_DELIVERY, "aws-cn") },
      { Service: servicePrincipal(S3_LOG_DELIVERY, "aws-cn") },
    ]);
    expect(allows.map((s: any) => s.Condition)).toEqual(
      ["dev", "stage"].map((env) => ({
        ArnLike: { "aws:SourceArn": arnOf(`${env}-china-artifacts`) },
        StringEquals: { "aws:SourceAccount": "210987654321" },
      })),
    );
  });

  it("passes every plan policy", async () => {
    const stack = await evaluateChina(readStackConfig(PROJECT_DIR, "china"));
    expect(toPlannedStack(stack).violations).toEqual([]);
  });

  it("stops with one line, before creating anything, when an environment is not a China environment of the global stack", async () => {
    // given a china config for `qa`, which the global stack does not define
    const qa = {
      ...CHINA_CONFIG,
      "silkroute:environments": JSON.stringify([
        {
          name: "qa",
          bootstrap: {
            accessKeyIdParameter: "/China/Qa/Bootstrap/AccessKeyId",
            secretAccessKeyParameter: "/China/Qa/Bootstrap/SecretAccessKey",
          },
        },
      ]),
    };
    // when
    const { message, registered } = await failureOf(qa);
    // then
    expect(message).toBe(
      "silkroute:environments[0].name qa is not a China environment of the stack global (China environments there: dev, stage, prod). Add it there with china: true and run pulumi up --stack global, or remove it from Pulumi.china.yaml",
    );
    expect(registered).toEqual(["pulumi:pulumi:StackReference"]);
  });

  it("stops when the China Region differs from the global stack's", async () => {
    const { message, registered } = await failureOf(CHINA_CONFIG, {
      chinaRegion: "cn-northwest-1",
    });
    expect(message).toBe(
      "silkroute:chinaRegion is cn-north-1 but the stack global deploys China to cn-northwest-1. Run: pulumi config set silkroute:chinaRegion cn-northwest-1 --stack china",
    );
    expect(registered).toEqual(["pulumi:pulumi:StackReference"]);
  });

  it("stops with one line when the China Region is not in China", async () => {
    const config = { ...CHINA_CONFIG, "silkroute:chinaRegion": "us-east-1" };
    const { message, registered } = await failureOf(config);
    expect(message).toBe(
      'silkroute:chinaRegion must be a Region of the aws-cn partition: cn-north-1 or cn-northwest-1, got "us-east-1". Run: pulumi config set silkroute:chinaRegion cn-north-1 --stack china',
    );
    expect(registered).toEqual([]);
  });

  it.each([
    [
      "rotation days 0",
      { keyRotationDays: 0 },
      /^silkroute:environments\[0\]\.keyRotationDays must be a whole number of days from 1 to 30, got 0\. Run: /,
    ],
    [
      "rotation days 45",
      { keyRotationDays: 45 },
      /^silkroute:environments\[0\]\.keyRotationDays must be a whole number of days from 1 to 30, got 45\. Run: /,
    ],
    [
      "a missing bootstrap parameter name",
      { bootstrap: { secretAccessKeyParameter: "/China/Dev/Bootstrap/SecretAccessKey" } },
      /^silkroute:environments\[0\]\.bootstrap\.accessKeyIdParameter is missing\. Run: pulumi config set --path 'silkroute:environments\[0\]\.bootstrap\.accessKeyIdParameter' \/China\/Dev\/Bootstrap\/AccessKeyId --stack china$/,
    ],
  ])("stops with one line on %s", async (_, change, expected) => {
    const [dev] = JSON.parse(CHINA_CONFIG["silkroute:environments"]);
    const config = {
      ...CHINA_CONFIG,
      "silkroute:environments": JSON.stringify([{ ...dev, ...change }]),
    };
    const { message, registered } = await failureOf(config);
    expect(message).toMatch(expected);
    expect(message).not.toContain("\n");
    expect(registered).toEqual([]);
  });

  it("runs again under the plan engine after a failure", async () => {
    // A failed program must not leave the mock runtime unusable for the next stack.
    await failureOf({ ...CHINA_CONFIG, "silkroute:chinaRegion": "us-east-1" });
    const stack = await evaluateChina();
    expect(ofType(stack, "silkroute:china:DeployKey")).toHaveLength(1);
  });
});
