import * as pulumi from "@pulumi/pulumi";
import { createPolicies, runPolicies } from "../../automation/policies";
import { BuildProjects, projectNames } from "../../components/buildProjects";
import {
  ArtifactStoreEntry,
  Pipeline,
  PipelineEnvironment,
  pipelineStages,
  PipelineStagesInput,
  validateArtifactStores,
  validatePipelineArgs,
  validatePipelineStages,
} from "../../components/pipeline";
import { codeCommitSourceAction, PipelineSource } from "../../components/pipelineSource";
import { PrTrigger } from "../../components/prTrigger";
import { evaluate, inputsOf, ofType, only, providerFor } from "../helpers/pulumi";

type Env = PipelineEnvironment & { readonly chinaParameterPrefix: string };
const env = (name: string, more: Partial<PipelineEnvironment> = {}): Env => ({
  name,
  globalRegions: ["us-east-1"],
  china: true,
  approval: false,
  chinaParameterPrefix: `/China/${name[0].toUpperCase()}${name.slice(1)}`,
  ...more,
});
const SEED = [env("dev"), env("stage"), env("prod", { approval: true })];
const input = (environments: readonly PipelineEnvironment[] = SEED): PipelineStagesInput => ({
  sourceAction: codeCommitSourceAction("silkroute-app", "main"),
  environments,
  projects: projectNames("silkroute", environments),
});
const variables = (configuration: Record<string, string>) =>
  Object.fromEntries(
    (
      JSON.parse(configuration.EnvironmentVariables) as {
        name: string;
        value: string;
        type: string;
      }[]
    ).map((v) => [v.name, `${v.type}:${v.value}`]),
  );

describe("pipelineStages", () => {
  it("runs Source, Build, then each environment in order with the approval right before prod", () => {
    // given / when
    const stages = pipelineStages(input());
    // then
    expect(stages.map((s) => s.name)).toEqual([
      "Source",
      "Build",
      "Deploy-dev",
      "Deploy-stage",
      "Approve-prod",
      "Deploy-prod",
    ]);
  });

  it("tests the source artifact and deploys that same artifact, which no build writes", () => {
    // given / when
    const [source, build, deploy] = pipelineStages(input());
    // then: the build is a gate with no output a later build could overwrite
    expect(source.actions[0].outputArtifacts).toEqual(["SourceOutput"]);
    expect(build.actions[0]).toMatchObject({
      provider: "CodeBuild",
      inputArtifacts: ["SourceOutput"],
      configuration: { ProjectName: "silkroute-build" },
    });
    expect(build.actions[0].outputArtifacts).toBeUndefined();
    for (const action of deploy.actions) expect(action.inputArtifacts).toEqual(["SourceOutput"]);
  });

  it("puts the global and the China deploy actions of an environment side by side", () => {
    // given / when
    const dev = pipelineStages(input()).find((s) => s.name === "Deploy-dev")!;
    // then
    expect(dev.actions.map((a) => [a.name, a.configuration.ProjectName, a.runOrder])).toEqual([
      ["Deploy-us-east-1", "silkroute-deploy-dev-us-east-1", 1],
      ["Deploy-china", "silkroute-deploy-dev-china", 1],
    ]);
  });

  it("deploys each environment with its own projects only", () => {
    // given / when
    const stages = pipelineStages(input()).filter((s) => s.name.startsWith("Deploy-"));
    // then every action's project belongs to its stage's environment
    for (const stage of stages) {
      const env = stage.name.slice("Deploy-".length);
      for (const action of stage.actions) {
        expect(action.configuration.ProjectName.startsWith(`silkroute-deploy-${env}-`)).toBe(true);
      }
    }
    const projects = stages.flatMap((s) => s.actions.map((a) => a.configuration.ProjectName));
    expect(new Set(projects).size).toBe(projects.length);
  });

  it("runs each global deploy action in its Region and the China action in the pipeline Region", () => {
    // given
    const multi = [env("dev", { globalRegions: ["us-east-1", "eu-west-1"] })];
    // when
    const [, , dev] = pipelineStages(input(multi));
    // then
    expect(dev.actions.map((a) => [a.name, a.region])).toEqual([
      ["Deploy-us-east-1", "us-east-1"],
      ["Deploy-eu-west-1", "eu-west-1"],
      ["Deploy-china", undefined],
    ]);
    expect(new Set(dev.actions.map((a) => a.runOrder))).toEqual(new Set([1]));
  });

  it("tells each deploy action its environment and the commit (the China project holds its SSM names)", () => {
    // given / when
    const prod = pipelineStages(input()).find((s) => s.name === "Deploy-prod")!;
    // then
    // every action deploys the commit the Source action read
    const version = { SILKROUTE_APP_VERSION: "PLAINTEXT:#{SourceVariables.CommitId}" };
    expect(variables(prod.actions[0].configuration)).toEqual({
      SILKROUTE_ENV: "PLAINTEXT:prod",
      ...version,
    });
    expect(variables(prod.actions[1].configuration)).toEqual({
      SILKROUTE_ENV: "PLAINTEXT:prod",
      ...version,
    });
  });

  it("gates an environment with one manual approval action", () => {
    // given / when
    const approve = pipelineStages(input()).find((s) => s.name === "Approve-prod")!;
    // then
    expect(approve.actions).toHaveLength(1);
    expect(approve.actions[0]).toMatchObject({
      category: "Approval",
      owner: "AWS",
      provider: "Manual",
      version: "1",
    });
  });

  it("leaves the China action out of an environment that does not deploy to China", () => {
    // given / when
    const [, , dev] = pipelineStages(input([env("dev", { china: false })]));
    // then
    expect(dev.actions.map((a) => a.name)).toEqual(["Deploy-us-east-1"]);
  });
});

describe("validatePipelineStages", () => {
  it("rejects a pipeline without environments", () => {
    expect(validatePipelineStages(input([]))).toBe(
      "environments must list at least one environment",
    );
  });

  it("rejects an environment listed twice", () => {
    expect(validatePipelineStages(input([env("dev"), env("dev")]))).toBe(
      "environment dev is listed twice",
    );
  });

  it("rejects an environment in a Region without a deploy project of its own there", () => {
    const stages = {
      ...input(),
      projects: projectNames("silkroute", [env("dev", { globalRegions: ["eu-west-1"] })]),
    };
    expect(validatePipelineStages({ ...stages, environments: [env("dev")] })).toMatch(
      /^environment dev deploys to us-east-1 but has no deploy project there/,
    );
  });

  it("rejects an environment without projects, or a China environment without a China project", () => {
    // given
    const noChina = {
      ...input(),
      projects: projectNames(
        "silkroute",
        SEED.map((e) => ({ ...e, china: false })),
      ),
    };
    // then
    expect(validatePipelineStages(noChina)).toBe(
      "environment dev deploys to China but has no China deploy project",
    );
    expect(() => pipelineStages(noChina)).toThrow(/no China deploy project/);
    const missing = { ...input(), projects: projectNames("silkroute", [env("dev")]) };
    expect(validatePipelineStages(missing)).toBe(
      "environment stage has no deploy projects of its own",
    );
  });

  it("rejects an environment that deploys nowhere", () => {
    expect(
      validatePipelineStages(input([env("dev", { globalRegions: [], china: false })])),
    ).toMatch(/^environment dev deploys nowhere/);
  });
});

describe("validatePipelineArgs", () => {
  const stores = [
    {
      location: "b",
      type: "S3" as const,
      region: "us-east-1",
      encryptionKey: { id: "k", type: "KMS" as const },
    },
  ];

  it("checks plain artifact stores before deployment", () => {
    expect(
      validatePipelineArgs(
        { pipelineName: "silkroute", environments: SEED, artifactStores: stores },
        ["us-east-1", "eu-west-1"],
      ),
    ).toMatch(/^artifactStores has no store in eu-west-1/);
  });

  it("leaves stores that are outputs to be checked when they resolve", () => {
    expect(
      validatePipelineArgs(
        { pipelineName: "silkroute", environments: SEED, artifactStores: pulumi.output(stores) },
        ["us-east-1", "eu-west-1"],
      ),
    ).toBeUndefined();
  });

  it("rejects a pipeline name CodePipeline does not accept", () => {
    expect(
      validatePipelineArgs(
        { pipelineName: "my pipeline", environments: SEED, artifactStores: stores },
        ["us-east-1"],
      ),
    ).toMatch(/^pipelineName must be 1-100 letters/);
  });
});

describe("validateArtifactStores", () => {
  it("rejects a Region with an action but no store", () => {
    expect(validateArtifactStores([{ region: "us-east-1" }], ["us-east-1", "eu-west-1"])).toMatch(
      /^artifactStores has no store in eu-west-1/,
    );
  });

  it("rejects two stores in one Region", () => {
    expect(
      validateArtifactStores([{ region: "us-east-1" }, { region: "us-east-1" }], ["us-east-1"]),
    ).toMatch(/^artifactStores has two stores in us-east-1/);
  });
});

describe("Pipeline", () => {
  const store = (region: string): ArtifactStoreEntry => ({
    location: `silkroute-artifacts-${region}`,
    type: "S3",
    region,
    encryptionKey: { id: `arn:aws:kms:${region}:123456789012:key/${region}`, type: "KMS" },
  });
  const environments = [
    env("dev", { globalRegions: ["us-east-1", "eu-west-1"] }),
    env("prod", { approval: true }),
  ];
  const program =
    (stores = [store("us-east-1"), store("eu-west-1")]) =>
    () => {
      const pipeline = new Pipeline(
        "pipeline",
        {
          pipelineName: "silkroute",
          roleArn: "arn:aws:iam::123456789012:role/pipeline",
          artifactStores: stores,
          sourceAction: pulumi.output(codeCommitSourceAction("silkroute-app", "main")),
          projectNames: projectNames("silkroute", environments),
          environments,
          pipelineRegion: "us-east-1",
          codeCommitTrigger: {
            repositoryArn: "arn:aws:codecommit:us-east-1:123456789012:silkroute-app",
            branch: "main",
            eventsRoleArn: "arn:aws:iam::123456789012:role/events",
          },
        },
        { provider: providerFor("us-east-1") },
      );
      return { arn: pipeline.arn };
    };

  it("creates a V2 pipeline with the given role in the pipeline Region", async () => {
    // given / when
    const stack = await evaluate(program());
    // then
    const pipeline = only(stack, "aws:codepipeline/pipeline:Pipeline");
    expect(inputsOf(pipeline)).toMatchObject({
      name: "silkroute",
      pipelineType: "V2",
      roleArn: "arn:aws:iam::123456789012:role/pipeline",
    });
    expect(pipeline.region).toBe("us-east-1");
  });

  it("keeps one KMS-encrypted artifact store per Region", async () => {
    // given / when
    const stack = await evaluate(program());
    // then
    const stores = inputsOf(only(stack, "aws:codepipeline/pipeline:Pipeline")).artifactStores;
    expect(stores.map((s: ArtifactStoreEntry) => s.region)).toEqual(["us-east-1", "eu-west-1"]);
    for (const s of stores) expect(s.encryptionKey.type).toBe("KMS");
  });

  it("passes the computed stages to CodePipeline", async () => {
    // given / when
    const stack = await evaluate(program());
    // then
    const stages = inputsOf(only(stack, "aws:codepipeline/pipeline:Pipeline")).stages;
    expect(stages.map((s: { name: string }) => s.name)).toEqual([
      "Source",
      "Build",
      "Deploy-dev",
      "Approve-prod",
      "Deploy-prod",
    ]);
    expect(
      stages[2].actions.map((a: { region?: string; runOrder: number }) => [a.region, a.runOrder]),
    ).toEqual([
      // only cross-Region actions name their Region
      [undefined, 1],
      ["eu-west-1", 1],
      [undefined, 1],
    ]);
  });

  it("starts on pushes to the CodeCommit branch through EventBridge", async () => {
    // given / when
    const stack = await evaluate(program());
    // then
    const rule = inputsOf(only(stack, "aws:cloudwatch/eventRule:EventRule"));
    expect(JSON.parse(rule.eventPattern)).toEqual({
      source: ["aws.codecommit"],
      "detail-type": ["CodeCommit Repository State Change"],
      resources: ["arn:aws:codecommit:us-east-1:123456789012:silkroute-app"],
      detail: {
        event: ["referenceCreated", "referenceUpdated"],
        referenceType: ["branch"],
        referenceName: ["main"],
      },
    });
    const target = inputsOf(only(stack, "aws:cloudwatch/eventTarget:EventTarget"));
    expect(target.arn).toBe(only(stack, "aws:codepipeline/pipeline:Pipeline").state.arn);
    expect(target.roleArn).toBe("arn:aws:iam::123456789012:role/events");
  });
});

describe("the pipeline components together", () => {
  // CodeCommit source → projects in two Regions → pipeline → PR trigger, as the global stack wires them.
  const environments = [
    env("dev", { globalRegions: ["us-east-1", "eu-west-1"] }),
    env("prod", { approval: true }),
  ];
  const program = () => {
    const provider = providerFor("us-east-1");
    const regionProviders = { "us-east-1": provider, "eu-west-1": providerFor("eu-west-1") };
    const source = new PipelineSource(
      "source",
      { source: { type: "codecommit", repositoryName: "app", branch: "main" } },
      { provider },
    );
    const projects = new BuildProjects(
      "projects",
      {
        prefix: "silkroute",
        pipelineRegion: "us-east-1",
        regionProviders,
        artifactKeyArns: {
          "us-east-1": "arn:aws:kms:us-east-1:123456789012:key/a",
          "eu-west-1": "arn:aws:kms:eu-west-1:123456789012:key/b",
        },
        codeBuildRoleArn: "arn:aws:iam::123456789012:role/codebuild",
        environments,
        deployRoleArns: {
          dev: "arn:aws:iam::123456789012:role/silkroute-deploy-dev",
          prod: "arn:aws:iam::123456789012:role/silkroute-deploy-prod",
        },
        image: "aws/codebuild/standard:7.0",
        pulumiVersion: "3.248.0",
        pulumiSha256: "a13732d8921f99d70b9ae270d79c3b575bb37707fce7486e64fef333afc11ae0",
        backendUrl: "s3://state?region=us-east-1",
        secretsProvider: "awskms://alias/state?region=us-east-1",
        previewEnvironment: "dev",
        previewSource: {
          type: "codecommit",
          cloneUrl: source.cloneUrl,
          repository: source.repositoryName,
        },
      },
      { provider },
    );
    const events = "arn:aws:iam::123456789012:role/events";
    new Pipeline(
      "pipeline",
      {
        pipelineName: "silkroute",
        roleArn: "arn:aws:iam::123456789012:role/pipeline",
        pipelineRegion: "us-east-1",
        environments,
        artifactStores: ["us-east-1", "eu-west-1"].map((region) => ({
          location: `artifacts-${region}`,
          type: "S3" as const,
          region,
          encryptionKey: { id: `arn:aws:kms:${region}:123456789012:key/k`, type: "KMS" as const },
        })),
        sourceAction: source.sourceAction,
        projectNames: projects.names,
        codeCommitTrigger: {
          repositoryArn: source.sourceArn,
          branch: "main",
          eventsRoleArn: events,
        },
      },
      { provider },
    );
    new PrTrigger(
      "pr",
      {
        type: "codecommit",
        repositoryArn: source.sourceArn,
        projectArn: projects.prPreviewProject.arn,
        eventsRoleArn: events,
      },
      { provider },
    );
    return {};
  };

  it("raise no violation of the plan's policies", async () => {
    // given / when
    const stack = await evaluate(program);
    // then
    expect(runPolicies(stack.resources, createPolicies({ environments }))).toEqual([]);
  });

  it("deploy with the projects BuildProjects created", async () => {
    // given / when
    const stack = await evaluate(program);
    // then
    const created = new Set(
      ofType(stack, "aws:codebuild/project:Project").map((r) => inputsOf(r).name),
    );
    const stages = inputsOf(only(stack, "aws:codepipeline/pipeline:Pipeline")).stages as {
      actions: { category: string; configuration: { ProjectName?: string } }[];
    }[];
    const used = stages.flatMap((s) =>
      s.actions.filter((a) => a.category === "Build").map((a) => a.configuration.ProjectName),
    );
    expect(used.length).toBeGreaterThan(0);
    for (const name of used) expect(created).toContain(name);
  });
});
