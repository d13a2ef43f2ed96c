import { entryOf } from "./lookup";
import { ProjectMap } from "./buildProjectArgs";

/*
 * The pipeline's stage list as plain values, built and validated without
 * Pulumi so it can be tested (and reasoned about) on its own. The Pipeline
 * component (pipeline.ts) turns it into CodePipeline's `stages` input.
 */

/** One CodePipeline action, as plain values (the shape of the `stages[].actions[]` input). */
export interface PipelineAction {
  readonly name: string;
  readonly category: "Source" | "Build" | "Approval";
  readonly owner: "AWS";
  readonly provider: string;
  readonly version: string;
  readonly configuration: Readonly<Record<string, string>>;
  readonly inputArtifacts?: readonly string[];
  readonly outputArtifacts?: readonly string[];
  /** Region the action runs in. @default the pipeline Region */
  readonly region?: string;
  readonly runOrder?: number;
  readonly namespace?: string;
}

export interface PipelineStageSpec {
  readonly name: string;
  readonly actions: readonly PipelineAction[];
}

/** The environment fields the pipeline reads (stacks/config/global.ts Environment). */
export interface PipelineEnvironment {
  readonly name: string;
  readonly globalRegions: readonly string[];
  readonly china: boolean;
  readonly approval: boolean;
}

/** One `artifactStores` entry: a KMS-encrypted S3 bucket per Region. */
export interface ArtifactStoreEntry {
  readonly location: string;
  readonly type: "S3";
  readonly region: string;
  readonly encryptionKey: { readonly id: string; readonly type: "KMS" };
}

export interface PipelineStagesInput {
  /** The Source action (PipelineSource.sourceAction). */
  readonly sourceAction: PipelineAction;
  /** Environments in pipeline order. */
  readonly environments: readonly PipelineEnvironment[];
  /** CodeBuild project names (BuildProjects.names). */
  readonly projects: ProjectMap<string>;
  /**
   * The pipeline's Region: actions there name no Region (only cross-Region
   * actions do). @default every deploy-global action names its Region
   */
  readonly pipelineRegion?: string;
}

/** Every deploy action of an environment runs with this runOrder: side by side. */
export const DEPLOY_RUN_ORDER = 1;

export const STAGE_NAME = /^[A-Za-z0-9.@_-]{1,100}$/;

/** Validates the environments of a pipeline; returns the problem or undefined. */
export function validatePipelineEnvironments(
  environments: readonly PipelineEnvironment[],
): string | undefined {
  if (environments.length === 0) return "environments must list at least one environment";
  const seen = new Set<string>();
  for (const env of environments) {
    if (seen.has(env.name)) return `environment ${env.name} is listed twice`;
    seen.add(env.name);
    if (!STAGE_NAME.test(`Approve-${env.name}`)) {
      return `environment name ${JSON.stringify(env.name)} cannot name a pipeline stage`;
    }
    if (env.globalRegions.length === 0 && !env.china) {
      return `environment ${env.name} deploys nowhere: give it globalRegions or china: true`;
    }
  }
  return undefined;
}

/** Validates the environments, projects and source of a pipeline; returns the problem or undefined. */
export function validatePipelineStages(input: PipelineStagesInput): string | undefined {
  const { environments, projects } = input;
  const problem = validatePipelineEnvironments(environments);
  if (problem) return problem;
  for (const env of environments) {
    const own = projects.deploy[env.name];
    if (own === undefined) return `environment ${env.name} has no deploy projects of its own`;
    for (const region of env.globalRegions) {
      if (own.global[region] === undefined) {
        return `environment ${env.name} deploys to ${region} but has no deploy project there`;
      }
    }
    if (env.china && own.china === undefined) {
      return `environment ${env.name} deploys to China but has no China deploy project`;
    }
  }
  const artifacts = input.sourceAction.outputArtifacts ?? [];
  if (input.sourceAction.category !== "Source" || artifacts.length !== 1) {
    return "sourceAction must be a Source action with exactly one output artifact";
  }
  return undefined;
}

/** Checks there is exactly one artifact store per Region the pipeline acts in. */
export function validateArtifactStores(
  stores: readonly Pick<ArtifactStoreEntry, "region">[],
  regions: readonly string[],
): string | undefined {
  const have = stores.map((s) => s.region);
  const duplicate = have.find((r, i) => have.indexOf(r) !== i);
  if (duplicate) return `artifactStores has two stores in ${duplicate}; give one per Region`;
  const missing = regions.filter((r) => !have.includes(r));
  if (missing.length > 0) {
    return `artifactStores has no store in ${missing.join(", ")}; every Region with an action needs one`;
  }
  return undefined;
}

const codeBuild = (
  name: string,
  projectName: string,
  sourceArtifact: string,
  variables: Record<string, string>,
  region?: string,
): PipelineAction => ({
  name,
  category: "Build",
  owner: "AWS",
  provider: "CodeBuild",
  version: "1",
  runOrder: DEPLOY_RUN_ORDER,
  inputArtifacts: [sourceArtifact],
  ...(region ? { region } : {}),
  configuration: {
    ProjectName: projectName,
    EnvironmentVariables: JSON.stringify(
      Object.entries(variables).map(([k, value]) => ({ name: k, value, type: "PLAINTEXT" })),
    ),
  },
});

/**
 * The stage list: Source → Build → per environment, in order, an
 * `Approve-<env>` stage when the environment asks for one, then
 * `Deploy-<env>` with one action per global Region and the China action, all
 * with the same runOrder so they run side by side, each on a project of that
 * environment (run by its deploy role). A separate approval stage
 * (rather than a runOrder-1 action) keeps the approval visible as its own
 * gate and lets a rejected approval leave the deploy stage untouched.
 */
export function pipelineStages(input: PipelineStagesInput): PipelineStageSpec[] {
  const problem = validatePipelineStages(input);
  if (problem) throw new Error(problem);
  const { sourceAction, projects } = input;
  // What every deploy action deploys: the commit the Source action read, so
  // all targets of an environment carry the same version (silkroute status).
  const version: Record<string, string> = sourceAction.namespace
    ? { SILKROUTE_APP_VERSION: `#{${sourceAction.namespace}.CommitId}` }
    : {};
  // validatePipelineStages: exactly one output artifact.
  const [sourceArtifact] = sourceAction.outputArtifacts ?? [];
  if (sourceArtifact === undefined) throw new Error("sourceAction has no output artifact");
  const stages: PipelineStageSpec[] = [
    { name: "Source", actions: [sourceAction] },
    {
      name: "Build",
      actions: [
        {
          name: "Build",
          category: "Build",
          owner: "AWS",
          provider: "CodeBuild",
          version: "1",
          runOrder: 1,
          // A gate: the deploys take the source artifact of their own execution, which
          // the build, running the branch's code before any approval, may read but not
          // write. Its output would be a second copy that a later build could overwrite.
          inputArtifacts: [sourceArtifact],
          configuration: { ProjectName: projects.build },
        },
      ],
    },
  ];
  for (const env of input.environments) {
    if (env.approval) {
      stages.push({
        name: `Approve-${env.name}`,
        actions: [
          {
            name: "Approve",
            category: "Approval",
            owner: "AWS",
            provider: "Manual",
            version: "1",
            runOrder: 1,
            configuration: {
              CustomData: sourceAction.namespace
                ? `Approve deploying #{${sourceAction.namespace}.CommitId} to ${env.name}`
                : `Approve deploying to ${env.name}`,
            },
          },
        ],
      });
    }
    // The environment's own projects, run by its own role: an action of one
    // environment cannot reach another's keys, state or account.
    const own = entryOf(projects.deploy, env.name, "the deploy projects of environment");
    const actions = env.globalRegions.map((region) =>
      codeBuild(
        `Deploy-${region}`,
        entryOf(own.global, region, `${env.name}'s deploy project of Region`),
        sourceArtifact,
        { SILKROUTE_ENV: env.name, ...version },
        region === input.pipelineRegion ? undefined : region,
      ),
    );
    if (env.china && own.china !== undefined) {
      // The project holds the environment's SSM parameter names.
      actions.push(
        codeBuild("Deploy-china", own.china, sourceArtifact, {
          SILKROUTE_ENV: env.name,
          ...version,
        }),
      );
    }
    stages.push({ name: `Deploy-${env.name}`, actions });
  }
  return stages;
}
