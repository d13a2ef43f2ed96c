import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import {
  ArtifactStoreEntry,
  PipelineAction,
  PipelineEnvironment,
  pipelineStages,
  STAGE_NAME,
  validateArtifactStores,
  validatePipelineEnvironments,
  validatePipelineStages,
} from "./pipelineStages";
import type { ProjectMap } from "./buildProjectArgs";

export * from "./pipelineStages";

/** Starts the pipeline on pushes to a CodeCommit branch (the Source action does not poll). */
export interface CodeCommitTrigger {
  readonly repositoryArn: pulumi.Input<string>;
  readonly branch: string;
  /** Role EventBridge assumes; needs codepipeline:StartPipelineExecution on this pipeline. */
  readonly eventsRoleArn: pulumi.Input<string>;
}

export interface PipelineArgs {
  /** Physical name of the pipeline. */
  readonly pipelineName: string;
  /** The CodePipeline service role. */
  readonly roleArn: pulumi.Input<string>;
  /** One KMS-encrypted store per Region with an action (ArtifactStore outputs). */
  readonly artifactStores: pulumi.Input<pulumi.Input<ArtifactStoreEntry>[]>;
  /** The Source action (PipelineSource.sourceAction). */
  readonly sourceAction: pulumi.Input<PipelineAction>;
  /** Project names (BuildProjects.names). */
  readonly projectNames: pulumi.Input<ProjectMap<string>>;
  /** Environments in pipeline order. */
  readonly environments: readonly PipelineEnvironment[];
  /** Region of the pipeline. */
  readonly pipelineRegion: string;
  /** Start on CodeCommit pushes. @default none (a GitHub connection source detects changes itself) */
  readonly codeCommitTrigger?: CodeCommitTrigger;
  /** Tags for the pipeline. @default none */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * Validates what is known before deployment: the name, the environments and,
 * when given as plain values, the artifact stores. The rest is checked when
 * the outputs resolve.
 */
export function validatePipelineArgs(
  args: Pick<PipelineArgs, "pipelineName" | "environments" | "artifactStores">,
  regions: readonly string[],
): string | undefined {
  if (!STAGE_NAME.test(args.pipelineName)) {
    return `pipelineName must be 1-100 letters, digits, '.', '@', '_' or '-', got ${JSON.stringify(args.pipelineName)}`;
  }
  const problem = validatePipelineEnvironments(args.environments);
  if (problem) return problem;
  const stores = args.artifactStores;
  if (
    Array.isArray(stores) &&
    stores.every(
      (s) =>
        !pulumi.Output.isInstance(s) &&
        !(s instanceof Promise) &&
        typeof (s as Partial<ArtifactStoreEntry>).region === "string",
    )
  ) {
    return validateArtifactStores(stores as ArtifactStoreEntry[], regions);
  }
  return undefined;
}

/**
 * The CodePipeline (V2): Source → Build → Deploy per environment with the
 * global and China deploy actions side by side, manual approvals where the
 * config asks, and one KMS-encrypted artifact store per Region.
 */
export class Pipeline extends pulumi.ComponentResource {
  readonly pipeline: aws.codepipeline.Pipeline;
  readonly arn: pulumi.Output<string>;
  readonly pipelineName: pulumi.Output<string>;

  constructor(name: string, args: PipelineArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("silkroute:pipeline:Pipeline", name, {}, opts);
    const regions = [
      ...new Set([args.pipelineRegion, ...args.environments.flatMap((e) => e.globalRegions)]),
    ];
    const problem = validatePipelineArgs(args, regions);
    if (problem) throw new pulumi.ResourceError(problem, this);
    const stages = pulumi
      .all([args.sourceAction, args.projectNames])
      .apply(([sourceAction, projects]) => {
        const input = {
          sourceAction,
          projects,
          environments: args.environments,
          pipelineRegion: args.pipelineRegion,
        };
        const problem = validatePipelineStages(input);
        if (problem) throw new pulumi.ResourceError(problem, this);
        return pipelineStages(input).map((s) => ({
          name: s.name,
          actions: s.actions.map((a) => ({ ...a })),
        }));
      });
    const artifactStores = pulumi.output(args.artifactStores).apply((stores) => {
      const problem = validateArtifactStores(stores, regions);
      if (problem) throw new pulumi.ResourceError(problem, this);
      // A single-Region pipeline's one store names no Region (the API's rule).
      return stores.length === 1 ? stores.map((s) => ({ ...s, region: undefined })) : stores;
    });

    this.pipeline = new aws.codepipeline.Pipeline(
      name,
      {
        name: args.pipelineName,
        pipelineType: "V2",
        roleArn: args.roleArn,
        artifactStores,
        stages: stages as pulumi.Input<aws.types.input.codepipeline.PipelineStage[]>,
        tags: args.tags,
      },
      { parent: this },
    );
    this.arn = this.pipeline.arn;
    this.pipelineName = this.pipeline.name;

    const trigger = args.codeCommitTrigger;
    if (trigger) {
      const rule = new aws.cloudwatch.EventRule(
        `${name}-push`,
        {
          description: `Start ${args.pipelineName} on pushes to ${trigger.branch}`,
          eventPattern: pulumi.jsonStringify({
            source: ["aws.codecommit"],
            "detail-type": ["CodeCommit Repository State Change"],
            resources: [trigger.repositoryArn],
            detail: {
              event: ["referenceCreated", "referenceUpdated"],
              referenceType: ["branch"],
              referenceName: [trigger.branch],
            },
          }),
        },
        { parent: this },
      );
      new aws.cloudwatch.EventTarget(
        `${name}-push`,
        { rule: rule.name, arn: this.pipeline.arn, roleArn: trigger.eventsRoleArn },
        { parent: this },
      );
    }

    this.registerOutputs({ arn: this.arn, pipelineName: this.pipelineName });
  }
}
