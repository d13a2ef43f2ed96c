import { pipelineArtifactsWriters } from "../../automation/policies/pipelineArtifacts";
import { PipelinePolicyOptions } from "../../automation/policies/pipeline";
import { plan } from "../../automation/plan/plan";
import { PlannedResource } from "../../automation/plan/types";
import { loadProjectConfig } from "../../automation/targets";

const ROOT = `${__dirname}/../..`;

/** The planned stack with `statement` added to the inline policy of `role`. */
function withStatement(resources: readonly PlannedResource[], role: string, statement: object) {
  return resources.map((r) => {
    if (r.type !== "aws:iam/rolePolicy:RolePolicy" || r.inputs.role !== role) return r;
    const doc = JSON.parse(String(r.inputs.policy)) as { Statement: object[] };
    const policy = JSON.stringify({ ...doc, Statement: [...doc.Statement, statement] });
    return { ...r, inputs: { ...r.inputs, policy } };
  });
}

describe("pipeline-artifacts-written-by-codepipeline", () => {
  let resources: readonly PlannedResource[];
  let options: PipelinePolicyOptions;
  const messages = (planned: readonly PlannedResource[]) =>
    (pipelineArtifactsWriters(options).validateStack?.(planned) ?? []).map((v) => v.message);
  beforeAll(async () => {
    const cfg = loadProjectConfig(ROOT);
    options = { environments: cfg.environments, prefix: cfg.prefix };
    resources = (await plan({ projectDir: ROOT, stacks: ["global"] })).stacks[0].resources;
  });

  it("passes the planned pipeline: CodePipeline writes its artifacts, no other role does", () => {
    expect(messages(resources)).toEqual([]);
  });

  it.each(["silkroute-codebuild", "silkroute-deploy-dev", "silkroute-preview"])(
    "fails %s when it may write the pipeline's folder, where a waiting execution's source artifact is",
    (role) => {
      // given the role allowed to write every object of the artifact buckets
      const planned = withStatement(resources, role, {
        Sid: "Oops",
        Effect: "Allow",
        Action: ["s3:PutObject"],
        Resource: ["arn:aws:s3:::*/*"],
      });
      // then
      expect(messages(planned)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^${role} may write the pipeline artifact arn:aws:s3:::.*/silkroute/SourceArti/`,
          ),
        ),
      ]);
    },
  );
});
