import {
  BuildProjects,
  BuildProjectsArgs,
  DeployEnvironment,
  projectNames,
  validateBuildProjectsArgs,
} from "../../components/buildProjects";
import { readBuildspec } from "../../components/buildspecs";
import { evaluate, inputsOf, ofType, promiseOf, providerFor } from "../helpers/pulumi";
import type { RecordedResource } from "../helpers/pulumi";

const PROJECT = "aws:codebuild/project:Project";
const KEYS = {
  "us-east-1": "arn:aws:kms:us-east-1:123456789012:key/use1",
  "eu-west-1": "arn:aws:kms:eu-west-1:123456789012:key/euw1",
};
const BUCKETS = {
  "us-east-1": "silkroute-artifacts-us-east-1-abc",
  "eu-west-1": "silkroute-artifacts-eu-west-1-def",
};
const CODEBUILD_ROLE = "arn:aws:iam::123456789012:role/codebuild";
const GITHUB_SOURCE = {
  type: "github" as const,
  cloneUrl: "https://github.com/acme/app.git",
  repository: "acme/app",
  connectionArn: "arn:aws:codeconnections:us-east-1:123456789012:connection/x",
};
const DEV_ROLE = "arn:aws:iam::123456789012:role/silkroute-deploy-dev";
const PROD_ROLE = "arn:aws:iam::123456789012:role/silkroute-deploy-prod";
/** dev in two Regions and China, prod in one Region and China. */
const ENVIRONMENTS: DeployEnvironment[] = [
  {
    name: "dev",
    globalRegions: ["us-east-1", "eu-west-1"],
    china: true,
    chinaParameterPrefix: "/China/Dev",
  },
  { name: "prod", globalRegions: ["us-east-1"], china: true, chinaParameterPrefix: "/China/Prod" },
];

const baseArgs = (): Omit<BuildProjectsArgs, "regionProviders"> => ({
  prefix: "silkroute",
  pipelineRegion: "us-east-1",
  artifactKeyArns: KEYS,
  artifactBuckets: BUCKETS,
  codeBuildRoleArn: CODEBUILD_ROLE,
  environments: ENVIRONMENTS,
  deployRoleArns: { dev: DEV_ROLE, prod: PROD_ROLE },
  image: "aws/codebuild/standard:7.0",
  pulumiVersion: "3.248.0",
  pulumiSha256: "a13732d8921f99d70b9ae270d79c3b575bb37707fce7486e64fef333afc11ae0",
  backendUrl: "s3://silkroute-state?region=us-east-1",
  secretsProvider: "awskms://alias/silkroute-state?region=us-east-1",
  previewEnvironment: "dev",
  previewSource: {
    type: "codecommit",
    cloneUrl: "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/app",
    repository: "app",
  },
  logRetentionDays: 90,
});

const program =
  (overrides: Partial<BuildProjectsArgs> = {}) =>
  async () => {
    const regionProviders = {
      "us-east-1": providerFor("us-east-1"),
      "eu-west-1": providerFor("eu-west-1"),
    };
    const projects = new BuildProjects(
      "projects",
      { ...baseArgs(), regionProviders, ...overrides },
      { provider: regionProviders["us-east-1"] },
    );
    return { names: await promiseOf(projects.names), arns: await promiseOf(projects.projectArns) };
  };

const project = (resources: readonly RecordedResource[], name: string) => {
  const found = resources.filter((r) => r.type === PROJECT && inputsOf(r).name === name);
  if (found.length !== 1) throw new Error(`expected one project ${name}, found ${found.length}`);
  return found[0];
};
const envOf = (r: RecordedResource) =>
  Object.fromEntries(
    (inputsOf(r).environment.environmentVariables as { name: string; value: string }[]).map((v) => [
      v.name,
      v.value,
    ]),
  );

describe("BuildProjects", () => {
  it("names every project stably from the prefix, the environment and the Region", async () => {
    // given / when
    const stack = await evaluate(program());
    // then
    expect(
      ofType(stack, PROJECT)
        .map((r) => inputsOf(r).name)
        .sort(),
    ).toEqual([
      "silkroute-build",
      "silkroute-deploy-dev-china",
      "silkroute-deploy-dev-eu-west-1",
      "silkroute-deploy-dev-us-east-1",
      "silkroute-deploy-prod-china",
      "silkroute-deploy-prod-us-east-1",
      "silkroute-pr-preview",
    ]);
    expect(stack.outputs.names).toEqual(projectNames("silkroute", ENVIRONMENTS));
  });

  it("creates each deploy-global project in its own Region with that Region's artifact key", async () => {
    // given / when
    const stack = await evaluate(program());
    // then
    const eu = project(stack.resources, "silkroute-deploy-dev-eu-west-1");
    expect(eu.region).toBe("eu-west-1");
    expect(inputsOf(eu).encryptionKey).toBe(KEYS["eu-west-1"]);
    const us = project(stack.resources, "silkroute-deploy-dev-us-east-1");
    expect(us.region).toBe("us-east-1");
    expect(inputsOf(us).encryptionKey).toBe(KEYS["us-east-1"]);
  });

  it("encrypts build, the China deploy projects and pr-preview with the pipeline Region's key, in that Region", async () => {
    // given / when
    const stack = await evaluate(program());
    // then
    for (const name of [
      "silkroute-build",
      "silkroute-deploy-dev-china",
      "silkroute-deploy-prod-china",
      "silkroute-pr-preview",
    ]) {
      const r = project(stack.resources, name);
      expect([name, r.region, inputsOf(r).encryptionKey]).toEqual([
        name,
        "us-east-1",
        KEYS["us-east-1"],
      ]);
    }
  });

  it("runs every project unprivileged on a small Linux container with the configured image", async () => {
    // given / when
    const stack = await evaluate(program());
    // then
    for (const r of ofType(stack, PROJECT)) {
      expect(inputsOf(r).environment).toMatchObject({
        type: "LINUX_CONTAINER",
        computeType: "BUILD_GENERAL1_SMALL",
        image: "aws/codebuild/standard:7.0",
        privilegedMode: false,
      });
    }
  });

  it("logs every project to its own retained log group in the project's Region", async () => {
    // given / when
    const stack = await evaluate(program());
    // then
    const groups = ofType(stack, "aws:cloudwatch/logGroup:LogGroup");
    expect(groups).toHaveLength(ofType(stack, PROJECT).length);
    for (const r of ofType(stack, PROJECT)) {
      const groupName = `/silkroute/codebuild/${inputsOf(r).name}`;
      expect(inputsOf(r).logsConfig.cloudwatchLogs).toEqual({ status: "ENABLED", groupName });
      const group = groups.find((g) => inputsOf(g).name === groupName);
      expect(group?.region).toBe(r.region);
      expect(inputsOf(group!).retentionInDays).toBe(90);
    }
  });

  it("runs each environment's deploy projects as that environment's role, and no other's", async () => {
    // given / when
    const stack = await evaluate(program());
    // then
    const roles = Object.fromEntries(
      ofType(stack, PROJECT).map((r) => [inputsOf(r).name, inputsOf(r).serviceRole]),
    );
    expect(roles).toEqual({
      "silkroute-build": CODEBUILD_ROLE,
      "silkroute-deploy-dev-us-east-1": DEV_ROLE,
      "silkroute-deploy-dev-eu-west-1": DEV_ROLE,
      "silkroute-deploy-dev-china": DEV_ROLE,
      "silkroute-deploy-prod-us-east-1": PROD_ROLE,
      "silkroute-deploy-prod-china": PROD_ROLE,
      "silkroute-pr-preview": CODEBUILD_ROLE,
    });
  });

  it("gives pr-preview its own role when one is given", async () => {
    // given
    const previewRoleArn = "arn:aws:iam::123456789012:role/preview";
    // when
    const stack = await evaluate(program({ previewRoleArn }));
    // then
    expect(inputsOf(project(stack.resources, "silkroute-pr-preview")).serviceRole).toBe(
      previewRoleArn,
    );
    expect(inputsOf(project(stack.resources, "silkroute-build")).serviceRole).toBe(CODEBUILD_ROLE);
  });

  it("runs the pipeline projects from CodePipeline with the checked-in buildspecs", async () => {
    // given / when
    const stack = await evaluate(program());
    // then
    const expected: Record<string, string> = {
      "silkroute-build": readBuildspec("build"),
      "silkroute-deploy-dev-eu-west-1": readBuildspec("deploy-global"),
      "silkroute-deploy-prod-china": readBuildspec("deploy-china"),
    };
    for (const [name, buildspec] of Object.entries(expected)) {
      const inputs = inputsOf(project(stack.resources, name));
      expect(inputs.source).toEqual({ type: "CODEPIPELINE", buildspec });
      expect(inputs.artifacts).toEqual({ type: "CODEPIPELINE" });
    }
  });

  it("gives every project the pipeline Region, state backend, secrets provider and Pulumi version and SHA-256", async () => {
    // given / when
    const stack = await evaluate(program());
    // then
    for (const r of ofType(stack, PROJECT)) {
      expect(envOf(r)).toMatchObject({
        PIPELINE_REGION: "us-east-1",
        PULUMI_BACKEND_URL: "s3://silkroute-state?region=us-east-1",
        SILKROUTE_SECRETS_PROVIDER: "awskms://alias/silkroute-state?region=us-east-1",
        PULUMI_VERSION: "3.248.0",
        PULUMI_SHA256: baseArgs().pulumiSha256,
      });
    }
  });

  it("caches each project in its own folder of its Region's artifact bucket, pr-preview nowhere", async () => {
    // given / when
    const stack = await evaluate(program());
    // then
    const region = (name: string) => (name.endsWith("eu-west-1") ? "eu-west-1" : "us-east-1");
    for (const r of ofType(stack, PROJECT)) {
      const name = inputsOf(r).name as string;
      expect([name, inputsOf(r).cache]).toEqual([
        name,
        name === "silkroute-pr-preview"
          ? { type: "NO_CACHE" }
          : { type: "S3", location: `${BUCKETS[region(name)]}/codebuild-cache/${name}` },
      ]);
    }
  });

  it("caches on the build host only when it has no artifact buckets", async () => {
    // given / when
    const stack = await evaluate(program({ artifactBuckets: undefined }));
    // then
    for (const r of ofType(stack, PROJECT).filter(
      (p) => inputsOf(p).name !== "silkroute-pr-preview",
    )) {
      expect(inputsOf(r).cache).toEqual({ type: "LOCAL", modes: ["LOCAL_CUSTOM_CACHE"] });
    }
  });

  it("gives each global deploy project its own Region's artifact bucket and its environment", async () => {
    // given / when
    const stack = await evaluate(program());
    // then
    for (const region of ["us-east-1", "eu-west-1"] as const) {
      const vars = envOf(project(stack.resources, `silkroute-deploy-dev-${region}`));
      expect([region, vars.SILKROUTE_ARTIFACT_BUCKET]).toEqual([region, BUCKETS[region]]);
      expect(vars.SILKROUTE_ENV).toBe("dev");
    }
  });

  it("gives pr-preview every Region's artifact bucket as a <region>=<bucket> list", async () => {
    // given / when
    const stack = await evaluate(program());
    // then
    expect(envOf(project(stack.resources, "silkroute-pr-preview")).SILKROUTE_ARTIFACT_BUCKET).toBe(
      `us-east-1=${BUCKETS["us-east-1"]},eu-west-1=${BUCKETS["eu-west-1"]}`,
    );
  });

  it("gives no artifact bucket to build and the China projects, which deploy no global Region", async () => {
    // given / when
    const stack = await evaluate(program());
    // then
    for (const name of ["silkroute-build", "silkroute-deploy-dev-china"]) {
      expect([name, envOf(project(stack.resources, name)).SILKROUTE_ARTIFACT_BUCKET]).toEqual([
        name,
        undefined,
      ]);
    }
  });

  it("gives each China project its own environment's SSM parameter names as plaintext names", async () => {
    // given / when
    const stack = await evaluate(program());
    // then
    for (const [env, title] of [
      ["dev", "Dev"],
      ["prod", "Prod"],
    ]) {
      const vars = inputsOf(project(stack.resources, `silkroute-deploy-${env}-china`)).environment
        .environmentVariables as { name: string; value: string; type: string }[];
      expect(vars.filter((v) => v.name.endsWith("_SSM"))).toEqual([
        { name: "USER_ACCESS_KEY_SSM", value: `/China/${title}/UserAccessKey`, type: "PLAINTEXT" },
        { name: "USER_SECRET_KEY_SSM", value: `/China/${title}/UserSecretKey`, type: "PLAINTEXT" },
        { name: "S3_BUCKET_SSM", value: `/China/${title}/DeploymentS3Bucket`, type: "PLAINTEXT" },
      ]);
    }
  });

  it("puts no credential in any project's environment", async () => {
    // given / when
    const stack = await evaluate(program());
    // then
    for (const r of ofType(stack, PROJECT)) {
      for (const v of inputsOf(r).environment.environmentVariables) {
        expect(v.type).toBe("PLAINTEXT");
        expect(v.name).not.toMatch(/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)$/);
        expect(v.value).not.toMatch(/AKIA|plan-secret|plan-value-of/);
        if (v.name.endsWith("_SSM")) expect(v.value).toMatch(/^\/China\//);
      }
    }
  });

  it("previews the global targets only, unless China previews are chosen", async () => {
    // given the default, and previewChina
    const plain = await evaluate(program());
    const withChina = await evaluate(program({ previewChina: true }));
    // then
    const target = (s: typeof plain) =>
      envOf(project(s.resources, "silkroute-pr-preview")).SILKROUTE_PREVIEW_TARGET;
    expect(target(plain)).toBe("global");
    expect(target(withChina)).toBe("all");
  });

  it("checks pr-preview out of the CodeCommit repository, outside the pipeline", async () => {
    // given / when
    const stack = await evaluate(program());
    // then
    const inputs = inputsOf(project(stack.resources, "silkroute-pr-preview"));
    expect(inputs.source).toEqual({
      type: "CODECOMMIT",
      location: "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/app",
      gitCloneDepth: 1,
      buildspec: readBuildspec("pr-preview"),
    });
    expect(envOf(project(stack.resources, "silkroute-pr-preview"))).toMatchObject({
      SILKROUTE_ENV: "dev",
      SILKROUTE_REPOSITORY: "app",
    });
  });

  it("uploads pr-preview's result zipped (so its event carries a SHA-256) to the pipeline Region's bucket, in a folder of its build id", async () => {
    // given / when
    const stack = await evaluate(program());
    // then
    const inputs = inputsOf(project(stack.resources, "silkroute-pr-preview"));
    expect(inputs.artifacts).toEqual({
      type: "S3",
      location: BUCKETS["us-east-1"],
      path: "pr-preview-results",
      namespaceType: "BUILD_ID",
      name: "preview-result.zip",
      packaging: "ZIP",
      encryptionDisabled: false,
    });
    expect(inputs.encryptionKey).toBe(KEYS["us-east-1"]);
  });

  it("gives pr-preview, which runs pull-request code, no secret of any kind", async () => {
    for (const previewSource of [undefined, GITHUB_SOURCE]) {
      // given / when
      const stack = await evaluate(program(previewSource ? { previewSource } : {}));
      // then
      const variables = inputsOf(project(stack.resources, "silkroute-pr-preview")).environment
        .environmentVariables as { name: string; type: string }[];
      expect(variables.filter((v) => v.type !== "PLAINTEXT")).toEqual([]);
      expect(variables.map((v) => v.name)).not.toContain("GITHUB_TOKEN");
    }
  });

  it("checks pr-preview out of GitHub through the connection", async () => {
    // given
    const previewSource = GITHUB_SOURCE;
    // when
    const stack = await evaluate(program({ previewSource }));
    // then
    const inputs = inputsOf(project(stack.resources, "silkroute-pr-preview"));
    expect(inputs.source).toMatchObject({
      type: "GITHUB",
      location: "https://github.com/acme/app.git",
      reportBuildStatus: true,
      auth: { type: "CODECONNECTIONS", resource: previewSource.connectionArn },
    });
    expect(envOf(project(stack.resources, "silkroute-pr-preview"))).toMatchObject({
      SILKROUTE_REPOSITORY: "acme/app",
    });
  });

  it("creates no China project for an environment that does not deploy to China", async () => {
    // given / when
    const stack = await evaluate(
      program({ environments: [{ ...ENVIRONMENTS[0], china: false }, ENVIRONMENTS[1]] }),
    );
    // then
    const names = ofType(stack, PROJECT).map((r) => inputsOf(r).name);
    expect(names).not.toContain("silkroute-deploy-dev-china");
    expect(names).toContain("silkroute-deploy-prod-china");
    expect(
      (stack.outputs.names as { deploy: Record<string, object> }).deploy.dev,
    ).not.toHaveProperty("china");
  });

  it("exports the project ARNs in the same shape as the names", async () => {
    // given / when
    const stack = await evaluate(program());
    // then
    const arns = stack.outputs.arns as {
      deploy: Record<string, { global: Record<string, string>; china?: string }>;
      build: string;
    };
    expect(arns.build).toBe("arn:aws:codebuild:us-east-1:123456789012:project/silkroute-build");
    expect(arns.deploy.dev.global["eu-west-1"]).toBe(
      "arn:aws:codebuild:eu-west-1:123456789012:project/silkroute-deploy-dev-eu-west-1",
    );
    expect(arns.deploy.prod.china).toBe(
      "arn:aws:codebuild:us-east-1:123456789012:project/silkroute-deploy-prod-china",
    );
  });
});

describe("validateBuildProjectsArgs", () => {
  const args = (overrides: Partial<BuildProjectsArgs>): BuildProjectsArgs => ({
    ...baseArgs(),
    regionProviders: { "us-east-1": {} as never, "eu-west-1": {} as never },
    ...overrides,
  });

  it("accepts the sample arguments", () => {
    expect(validateBuildProjectsArgs(args({}))).toBeUndefined();
  });

  it("rejects a deploy Region without its artifact key", () => {
    expect(
      validateBuildProjectsArgs(
        args({
          regionProviders: { "ap-south-1": {} as never },
          artifactKeyArns: KEYS,
          environments: [{ ...ENVIRONMENTS[0], globalRegions: ["ap-south-1"] }],
        }),
      ),
    ).toMatch(/^artifactKeyArns has no key for ap-south-1/);
  });

  it("rejects a deploy Region without its artifact bucket", () => {
    expect(
      validateBuildProjectsArgs(
        args({
          regionProviders: { "us-east-1": {} as never, "eu-west-1": {} as never },
          artifactBuckets: { "us-east-1": "b" },
        }),
      ),
    ).toMatch(/^artifactBuckets has no bucket for eu-west-1/);
  });

  it("rejects a China Region among the global deploy Regions", () => {
    expect(
      validateBuildProjectsArgs(args({ regionProviders: { "cn-north-1": {} as never } })),
    ).toMatch(/^regionProviders must hold global Regions only, got cn-north-1/);
  });

  it("rejects a log retention CloudWatch Logs does not offer", () => {
    expect(validateBuildProjectsArgs(args({ logRetentionDays: 100 }))).toMatch(
      /^logRetentionDays must be one of 1, 3, 5, .* got 100$/,
    );
  });

  it("rejects a China parameter prefix that gives no SSM name", () => {
    expect(
      validateBuildProjectsArgs(
        args({ environments: [{ ...ENVIRONMENTS[0], chinaParameterPrefix: "AKIAEXAMPLE" }] }),
      ),
    ).toMatch(/^chinaParameterPrefix of dev must give SSM parameter names/);
  });

  it("rejects an environment without a deploy role of its own", () => {
    expect(validateBuildProjectsArgs(args({ deployRoleArns: { dev: DEV_ROLE } }))).toMatch(
      /^deployRoleArns has no role for environment prod/,
    );
  });

  it("rejects an environment deploying where there is no provider", () => {
    expect(
      validateBuildProjectsArgs(args({ regionProviders: { "us-east-1": {} as never } })),
    ).toMatch(/^environment dev deploys to eu-west-1 but regionProviders has no provider there/);
  });

  it("rejects a Pulumi CLI checksum that is no lower-case SHA-256", () => {
    expect(validateBuildProjectsArgs(args({ pulumiSha256: "abc" }))).toBe(
      'pulumiSha256 must be a SHA-256 in lower-case hex (64 characters), got "abc"',
    );
  });

  it("rejects artifact buckets without the pipeline Region's, where projects cache and pr-preview uploads", () => {
    expect(
      validateBuildProjectsArgs(
        args({ pipelineRegion: "eu-central-1", artifactKeyArns: { ...KEYS, "eu-central-1": "k" } }),
      ),
    ).toBe(
      "artifactBuckets has no bucket for the pipeline Region eu-central-1: the build and China deploy projects cache there and pr-preview uploads its result there",
    );
  });

  it("rejects a Pulumi version that is not pinned", () => {
    expect(validateBuildProjectsArgs(args({ pulumiVersion: "latest" }))).toBe(
      'pulumiVersion must be a version such as 3.248.0, got "latest"',
    );
  });
});
