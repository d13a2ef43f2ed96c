import { pipelinePolicies } from "../../automation/policies/pipeline";
import { projectNames } from "../../components/buildProjects";
import { PipelineEnvironment, pipelineStages } from "../../components/pipeline";
import { messages, planned, policyNamed } from "../helpers/planned";

const env = (name: string, extra: Partial<PipelineEnvironment> = {}): PipelineEnvironment => ({
  name,
  globalRegions: ["us-east-1"],
  china: true,
  approval: name === "prod",
  ...extra,
});
const SEED = [env("dev"), env("stage"), env("prod")];

/** The pipeline as components/pipeline.ts shapes its stages. */
function pipeline(environments: readonly PipelineEnvironment[] = SEED) {
  const stages = pipelineStages({
    sourceAction: {
      name: "Source",
      category: "Source",
      owner: "AWS",
      provider: "CodeCommit",
      version: "1",
      outputArtifacts: ["SourceOutput"],
      configuration: { RepositoryName: "app", BranchName: "main" },
    },
    environments,
    projects: projectNames("silkroute", environments),
  });
  return planned("aws:codepipeline/pipeline:Pipeline", { name: "silkroute", stages });
}

const approval = policyNamed(pipelinePolicies(), "pipeline-approval-before-prod");
const partitions = policyNamed(pipelinePolicies(), "pipeline-both-partitions");

describe("pipeline-approval-before-prod", () => {
  it("passes the seed pipeline (Approve-prod before Deploy-prod)", () => {
    expect(messages(approval, pipeline())).toEqual([]);
  });

  it("flags prod deployed without an approval", () => {
    const p = pipeline([env("dev"), env("prod", { approval: false })]);
    expect(messages(approval, p)).toEqual([
      expect.stringContaining("stage Deploy-prod deploys prod with no manual approval"),
    ]);
  });

  it("does not let an approval before an earlier environment gate prod", () => {
    const p = pipeline([env("dev", { approval: true }), env("prod", { approval: false })]);
    expect(messages(approval, p)).toHaveLength(1);
  });

  it("gates an environment the config marks approval: true", () => {
    // given: the config asks for an approval before stage, the pipeline has none
    const policy = policyNamed(
      pipelinePolicies({ environments: [{ name: "stage", china: true, approval: true }] }),
      "pipeline-approval-before-prod",
    );
    const p = pipeline([env("dev"), env("stage", { approval: false })]);
    // when / then
    expect(messages(policy, p)).toEqual([expect.stringContaining("deploys stage")]);
  });
});

describe("pipeline-both-partitions", () => {
  it("passes deploy stages with global and China actions side by side", () => {
    expect(messages(partitions, pipeline())).toEqual([]);
  });

  it("flags a deploy stage without the China action when the others have one", () => {
    const p = pipeline([env("dev"), env("stage", { china: false }), env("prod")]);
    expect(messages(partitions, p)).toEqual([
      "stage Deploy-stage has no China deploy action (a <prefix>-deploy-stage-china project) although stage deploys to China",
    ]);
  });

  it("accepts an environment configured with china: false when given the config", () => {
    const environments = [env("dev"), env("stage", { china: false }), env("prod")];
    const policy = policyNamed(pipelinePolicies({ environments }), "pipeline-both-partitions");
    expect(messages(policy, pipeline(environments))).toEqual([]);
  });

  it("flags a deploy stage with only the China action", () => {
    const p = pipeline([env("dev", { globalRegions: [] })]);
    expect(messages(partitions, p)).toEqual([
      "stage Deploy-dev has no global deploy action (a <prefix>-deploy-dev-<region> project)",
    ]);
  });

  it("passes a global-only pipeline", () => {
    const environments = [env("dev", { china: false }), env("prod", { china: false })];
    expect(messages(partitions, pipeline(environments))).toEqual([]);
  });
});
