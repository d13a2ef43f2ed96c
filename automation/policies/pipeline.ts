import { Policy, resourcePolicy } from "./types";
import { get } from "./util";

const PIPELINE = ["aws:codepipeline/pipeline:Pipeline"];

/** What the pipeline rules know of the configured environments (stacks/config/global.ts). */
export interface PipelineEnvironmentSpec {
  readonly name: string;
  readonly china: boolean;
  readonly approval?: boolean;
  readonly globalRegions?: readonly string[];
  /**
   * Another account it deploys into, and the seed parameter holding the
   * role's ARN. @default the pipeline account
   */
  readonly crossAccount?: {
    readonly accountId: string;
    readonly roleName: string;
    /** @default `/US/<Env>/CrossAccountStageRole` */
    readonly parameterName?: string;
  };
  /** SSM prefix of its China deploy key. @default `/China/<Env>` */
  readonly chinaParameterPrefix?: string;
}

export interface PipelinePolicyOptions {
  /**
   * The configured environments. With them each deploy stage is checked
   * against its environment; without them a stage needs a China action when
   * any stage of the pipeline has one. @default inferred from the pipeline
   */
  readonly environments?: readonly PipelineEnvironmentSpec[];
  /** The global stack's name prefix. @default "silkroute" */
  readonly prefix?: string;
  /** The pipeline Region (SSM, the state bucket). @default the pipeline's */
  readonly pipelineRegion?: string;
  /** The environment pr-preview previews. @default the first */
  readonly previewEnvironment?: string;
  /** pr-preview previews China too (silkroute:previewChina). @default false */
  readonly previewChina?: boolean;
  /**
   * Kinds of the app's resources its functions may use
   * (silkroute:app.functionsUse), which the app boundary must keep to each
   * environment's own. @default none
   */
  readonly functionsUse?: readonly string[];
  /**
   * Kinds the app manages besides its functions, roles and log groups
   * (silkroute:app.manages), which the scheduled checks read. @default none
   */
  readonly manages?: readonly string[];
}

interface Action {
  readonly name?: string;
  readonly category?: string;
  readonly runOrder?: number;
  readonly configuration?: Record<string, unknown>;
}
interface Stage {
  readonly name: string;
  readonly actions: readonly Action[];
}

/** Environment names that always need an approval before they deploy. */
export const PROD = /^prod(uction)?$/i;

function stagesOf(inputs: Record<string, unknown>): Stage[] {
  const stages = Array.isArray(inputs.stages) ? inputs.stages : [];
  return stages.map((s, i) => ({
    name: String(get(s, "name") ?? `#${i}`),
    actions: (Array.isArray(get(s, "actions")) ? get(s, "actions") : []) as Action[],
  }));
}

const projectOf = (a: Action) => String(a.configuration?.ProjectName ?? "");
// Projects named as naming.ts deployProjectName does: `<prefix>-deploy-<env>-<region>`, `…-china`.
export const isChinaAction = (a: Action) =>
  /-deploy-.+-china$/.test(projectOf(a)) || /^deploy-china$/i.test(a.name ?? "");
export const isDeployAction = (a: Action) =>
  (a.category === "Build" || a.category === "Deploy") &&
  (/-deploy-/.test(projectOf(a)) || /^deploy-/i.test(a.name ?? ""));

/** The environment a deploy stage deploys: its actions' SILKROUTE_ENV, else the stage name. */
export function environmentOf(stage: Stage): string {
  for (const action of stage.actions) {
    try {
      const vars = JSON.parse(String(action.configuration?.EnvironmentVariables ?? "[]"));
      const env = (Array.isArray(vars) ? vars : []).find((v) => v?.name === "SILKROUTE_ENV");
      if (typeof env?.value === "string") return env.value;
    } catch {
      // not JSON: fall back to the stage name
    }
  }
  return stage.name.replace(/^Deploy-/, "");
}

function approvalBeforeProd(options: PipelinePolicyOptions): Policy {
  const gated = (env: string) =>
    PROD.test(env) || options.environments?.some((e) => e.name === env && e.approval === true);
  return resourcePolicy({
    name: "pipeline-approval-before-prod",
    description:
      "A manual approval precedes every stage deploying prod (or an environment configured with approval: true).",
    types: PIPELINE,
    check: (r) => {
      const problems: string[] = [];
      let approved = false;
      for (const stage of stagesOf(r.inputs)) {
        const deploys = stage.actions.filter(isDeployAction);
        const approvals = stage.actions.filter((a) => a.category === "Approval");
        if (deploys.length === 0) {
          approved ||= approvals.length > 0;
          continue;
        }
        const env = environmentOf(stage);
        const firstDeploy = Math.min(...deploys.map((a) => a.runOrder ?? 1));
        const inStage = approvals.some((a) => (a.runOrder ?? 1) < firstDeploy);
        if (gated(env) && !approved && !inStage) {
          problems.push(
            `stage ${stage.name} deploys ${env} with no manual approval before it: add an approval stage (approval: true on the environment)`,
          );
        }
        // An approval gates the next deployment only.
        approved = false;
      }
      return problems;
    },
  });
}

function bothPartitions(options: PipelinePolicyOptions): Policy {
  return resourcePolicy({
    name: "pipeline-both-partitions",
    description:
      "Every deploy stage deploys to the global Regions and, when its environment has china, to China, side by side.",
    types: PIPELINE,
    check: (r) => {
      const stages = stagesOf(r.inputs).filter((s) => s.actions.some(isDeployAction));
      const anyChina = stages.some((s) => s.actions.some(isChinaAction));
      const problems: string[] = [];
      for (const stage of stages) {
        const env = environmentOf(stage);
        const spec = options.environments?.find((e) => e.name === env);
        const deploys = stage.actions.filter(isDeployAction);
        const china = deploys.filter(isChinaAction);
        const global = deploys.filter((a) => !isChinaAction(a));
        if ((spec?.china ?? anyChina) && china.length === 0) {
          problems.push(
            `stage ${stage.name} has no China deploy action (a <prefix>-deploy-${env}-china project) although ${env} deploys to China`,
          );
        }
        if ((spec?.globalRegions?.length ?? 1) > 0 && global.length === 0) {
          problems.push(
            `stage ${stage.name} has no global deploy action (a <prefix>-deploy-${env}-<region> project)`,
          );
        }
        if (spec?.china === false && china.length > 0) {
          problems.push(`stage ${stage.name} deploys ${env} to China although it has china: false`);
        }
      }
      return problems;
    },
  });
}

/** The pipeline rules, optionally checked against the configured environments. */
export function pipelinePolicies(options: PipelinePolicyOptions = {}): Policy[] {
  return [approvalBeforeProd(options), bothPartitions(options)];
}
