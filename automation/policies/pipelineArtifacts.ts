import { allRoleNames, pipelineRoleNames } from "../../components/iam/pipelineRoles";
import { pipelineArtifactFolder } from "../../components/naming";
import { pipelineRule } from "./isolation";
import { ask } from "./isolationProbes";
import type { PipelinePolicyOptions } from "./pipeline";
import type { Policy } from "./types";

/**
 * Only CodePipeline writes the pipeline's artifacts. Every deploy action
 * deploys the source artifact of its own execution; a role that runs the
 * branch's code (the build, before any approval; a deploy of an earlier
 * environment; a pull request's preview) could otherwise overwrite the
 * artifact an execution waiting at prod's approval is about to deploy.
 */
export function pipelineArtifactsWriters(options: PipelinePolicyOptions): Policy {
  return pipelineRule(
    {
      name: "pipeline-artifacts-written-by-codepipeline",
      description:
        "Only the CodePipeline role may write the pipeline's artifacts (its folder of each artifact bucket): no build, deploy or preview role, so nothing that runs the branch's code can change what an execution waiting for an approval deploys (decided by an IAM policy engine).",
    },
    options,
    (p) => {
      const names = pipelineRoleNames(p.prefix, options.environments?.map((e) => e.name) ?? []);
      // The pipeline is named after the prefix (stacks/global.ts).
      const folder = pipelineArtifactFolder(p.prefix);
      return Object.values(p.scope.artifactBucketArns).flatMap((bucket) => {
        const object = `${bucket}/${folder}SourceArti/probe.zip`;
        return allRoleNames(names)
          .filter((role) => p.roleUrn(role) !== "")
          .flatMap((role) => {
            const decision = ask(p.roleArn(role), p.identity(role), {
              kind: "code",
              what: `the pipeline artifact ${object}`,
              request: {
                action: "s3:PutObject",
                resource: object,
                resourceAccount: p.scope.accountId,
              },
              resourcePolicy: p.scope.resourcePolicies[bucket],
            });
            const allowed = decision === "Allowed";
            const writer = role === names.codePipeline;
            if (allowed === writer) return [];
            return [
              {
                urn: p.roleUrn(role),
                message: writer
                  ? `the CodePipeline role ${role} may not write the pipeline artifact ${object} (${decision})`
                  : `${role} may write the pipeline artifact ${object}, which a waiting execution deploys`,
              },
            ];
          });
      });
    },
  );
}
