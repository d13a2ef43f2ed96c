import * as aws from "../../components/aws";
import * as path from "path";
import {
  APP_RUNTIME,
  AppTarget,
  appProgram,
  codeKeyOf,
  defaultCodeDir,
  roleNameOf,
  validateAppTarget,
} from "../../stacks/app";
import { evaluate, inputsOf, only, policyOf, providerFor } from "../helpers/pulumi";

const LAMBDA = "aws:lambda/function:Function";
const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2";

const targets: Record<string, AppTarget> = {
  global: {
    env: "dev",
    target: "us-east-1",
    region: "us-east-1",
    artifactBucket: "silkroute-artifacts-us-east-1",
    version: "1a2b3c4",
  },
  china: {
    env: "dev",
    target: "china",
    region: "cn-north-1",
    artifactBucket: "silkroute-artifacts-cn-north-1",
    version: "1a2b3c4",
  },
};

function run(target: AppTarget) {
  return evaluate(() => ({ ...appProgram(target, providerFor(target.region)) }));
}

describe.each([
  ["global", "aws", "arn:aws:", "123456789012"],
  ["china", "aws-cn", "arn:aws-cn:", "210987654321"],
] as const)("appProgram in the %s partition", (kind, partition, prefix, account) => {
  const target = targets[kind];

  it("caps the role with the app boundary of the account it deploys into", async () => {
    // given / when
    const stack = await run(target);
    // then
    expect(inputsOf(only(stack, ROLE)).permissionsBoundary).toBe(
      `${prefix}iam::${account}:policy/silkroute-app-boundary`,
    );
  });

  it("names the role after the environment and target, under the deploy scope silkroute-dev-*", async () => {
    const stack = await run(target);
    const name = String(inputsOf(only(stack, ROLE)).name);
    expect(name).toBe(`silkroute-dev-${target.target}-fn`);
    expect(name.startsWith("silkroute-dev-")).toBe(true);
  });

  it("builds every ARN in the target's partition, with no ARN of the other", async () => {
    // given / when
    const stack = await run(target);
    // then
    const arns = [
      only(stack, LAMBDA).state.arn,
      only(stack, ROLE).state.arn,
      only(stack, LOG_GROUP).state.arn,
      stack.outputs.functionArn,
      stack.outputs.roleArn,
    ].map(String);
    for (const arn of arns) expect(arn.startsWith(prefix)).toBe(true);
    const everything = JSON.stringify(stack.resources.map((r) => [r.inputs, r.state]));
    if (partition === "aws-cn") expect(everything).not.toContain("arn:aws:");
    else expect(everything).not.toContain("arn:aws-cn:");
    expect(new Set(stack.resources.filter((r) => r.custom).map((r) => r.partition))).toEqual(
      new Set([partition]),
    );
  });

  it("lets only the Lambda service principal assume the role", async () => {
    const stack = await run(target);
    const trust = policyOf(only(stack, ROLE), "assumeRolePolicy");
    expect(trust.Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "lambda.amazonaws.com" },
        Action: "sts:AssumeRole",
      },
    ]);
  });

  it("lets the role write only to its own log group", async () => {
    const stack = await run(target);
    const logArn = String(only(stack, LOG_GROUP).state.arn);
    const [statement] = policyOf(only(stack, ROLE_POLICY)).Statement;
    expect(statement.Action).toEqual(["logs:CreateLogStream", "logs:PutLogEvents"]);
    expect(statement.Resource).toEqual([logArn, `${logArn}:*`]);
    expect(logArn.startsWith(`${prefix}logs:${target.region}:`)).toBe(true);
  });

  it("runs index.handler on nodejs22.x, x86_64, with the version in APP_VERSION", async () => {
    const stack = await run(target);
    const fn = inputsOf(only(stack, LAMBDA));
    expect(fn).toMatchObject({
      name: "silkroute-dev-fn",
      runtime: "nodejs22.x",
      handler: "index.handler",
      architectures: ["x86_64"],
      environment: { variables: { APP_VERSION: "1a2b3c4" } },
    });
    expect(fn.role).toBe(only(stack, ROLE).state.arn);
  });

  it("keeps the function's logs for 90 days in /aws/lambda/<function>", async () => {
    const stack = await run(target);
    expect(inputsOf(only(stack, LOG_GROUP))).toMatchObject({
      name: "/aws/lambda/silkroute-dev-fn",
      retentionInDays: 90,
    });
  });

  it("ships the code as an object in the partition's artifact bucket, not inline", async () => {
    const stack = await run(target);
    const object = inputsOf(only(stack, OBJECT));
    const fn = inputsOf(only(stack, LAMBDA));
    expect(object.bucket).toBe(target.artifactBucket);
    expect(object.key).toBe("app/silkroute-dev/1a2b3c4.zip");
    expect(fn.s3Bucket).toBe(target.artifactBucket);
    expect(fn.s3Key).toBe("app/silkroute-dev/1a2b3c4.zip");
    expect(fn.code).toBeUndefined();
    expect(fn.s3ObjectVersion).toBeUndefined();
    expect(stack.outputs.codeKey).toBe("app/silkroute-dev/1a2b3c4.zip");
  });

  it("keeps the previous version's zip when a new version replaces the code object", async () => {
    // given / when
    const stack = await run(target);
    // then: Pulumi drops the old object from state but leaves it in the bucket
    expect(only(stack, OBJECT).options.retainOnDelete).toBe(true);
    expect(only(stack, LAMBDA).options.retainOnDelete).toBe(false);
  });

  it("zips the sample handler folder as the object's source", async () => {
    const stack = await run(target);
    // the mock engine describes assets by kind and path (relative to the working folder)
    expect(only(stack, OBJECT).inputs.source).toEqual({
      assetArchive: { ".": { fileArchive: path.relative(process.cwd(), defaultCodeDir()) } },
    });
    expect(defaultCodeDir()).toBe(path.resolve(__dirname, "..", "..", "app", "handler"));
  });

  it("tags the function, role and log group with the version, environment and target", async () => {
    const stack = await run(target);
    for (const type of [LAMBDA, ROLE, LOG_GROUP]) {
      expect(inputsOf(only(stack, type)).tags).toEqual({
        "silkroute:version": "1a2b3c4",
        "silkroute:env": "dev",
        "silkroute:target": target.target,
      });
    }
    expect(stack.outputs.version).toBe("1a2b3c4");
  });
});

describe("appProgram options", () => {
  it("names everything after the prefix when one is given", async () => {
    const stack = await run({ ...targets.china, prefix: "acme-dev" });
    expect(inputsOf(only(stack, LAMBDA)).name).toBe("acme-dev-fn");
    expect(inputsOf(only(stack, ROLE)).name).toBe("acme-dev-china-fn");
    expect(inputsOf(only(stack, OBJECT)).key).toBe("app/acme-dev/1a2b3c4.zip");
  });

  it("sets the boundary policy named by permissionsBoundaryName", async () => {
    const stack = await run({ ...targets.global, permissionsBoundaryName: "acme-app-boundary" });
    expect(inputsOf(only(stack, ROLE)).permissionsBoundary).toBe(
      "arn:aws:iam::123456789012:policy/acme-app-boundary",
    );
  });

  it("gives each global Region of an environment its own role (IAM is global)", () => {
    const east = roleNameOf(targets.global);
    const west = roleNameOf({ ...targets.global, target: "eu-west-1" });
    expect([east, west]).toEqual(["silkroute-dev-us-east-1-fn", "silkroute-dev-eu-west-1-fn"]);
  });

  it("refuses an invalid target before creating anything", () => {
    // given: no provider is needed, the target is checked first
    const provider = {} as aws.Provider;
    // when / then
    expect(() => appProgram({ ...targets.global, version: "v1 beta" }, provider)).toThrow(
      /app stack dev\/us-east-1: version must be 1-128 letters/,
    );
  });
});

describe("validateAppTarget", () => {
  it("accepts the global and China sample targets", () => {
    expect(validateAppTarget(targets.global)).toEqual([]);
    expect(validateAppTarget(targets.china)).toEqual([]);
  });

  it("rejects a china target deployed into a global Region", () => {
    expect(validateAppTarget({ ...targets.china, region: "us-east-1" })).toEqual([
      expect.stringMatching(/target china does not match region us-east-1/),
    ]);
  });

  it("rejects a global target deployed into another Region", () => {
    expect(validateAppTarget({ ...targets.global, region: "eu-west-1" })).toEqual([
      expect.stringMatching(/must deploy into region us-east-1, got eu-west-1/),
    ]);
  });

  it("rejects a retention CloudWatch Logs does not accept", () => {
    expect(validateAppTarget({ ...targets.global, logRetentionDays: 100 })).toEqual([
      expect.stringMatching(/logRetentionDays must be one of .* got 100/),
    ]);
  });

  it("rejects a prefix that makes the role name longer than IAM's 64 characters", () => {
    const prefix = `a${"b".repeat(40)}`;
    expect(
      validateAppTarget({
        ...targets.global,
        target: "us-abcdefghijklmnopq-1",
        region: "us-abcdefghijklmnopq-1",
        prefix,
      }),
    ).toEqual([
      `role name ${prefix}-us-abcdefghijklmnopq-1-fn is longer than IAM's 64 characters: use a shorter prefix`,
    ]);
  });

  it("rejects a boundary name that is not an IAM policy name", () => {
    expect(validateAppTarget({ ...targets.global, permissionsBoundaryName: "a/b" })).toEqual([
      expect.stringMatching(/^permissionsBoundaryName must be an IAM policy name/),
    ]);
  });

  it("keys the code by prefix and version", () => {
    expect(codeKeyOf({ env: "prod", version: "2.0.1" })).toBe("app/silkroute-prod/2.0.1.zip");
    expect(APP_RUNTIME).toBe("nodejs22.x");
  });
});
