import { PlannedResource, Violation } from "../plan/types";
import { CODEBUILD_POLICIES } from "./codebuild";
import { IAM_POLICIES } from "./iam";
import { isolationPolicies } from "./isolation";
import { KMS_POLICIES } from "./kms";
import { operationsPolicies } from "./operations";
import { pipelineArtifactsWriters } from "./pipelineArtifacts";
import { LAMBDA_POLICIES } from "./lambda";
import { LOGS_POLICIES } from "./logs";
import { PARTITION_POLICIES } from "./partition";
import { prCodePolicy, prResultPolicy } from "./prCode";
import { pipelinePolicies, PipelinePolicyOptions } from "./pipeline";
import { S3_POLICIES } from "./s3";
import { SNS_POLICIES } from "./sns";
import { ENUM_POLICIES } from "./sdkEnums";
import { SSM_POLICIES } from "./ssm";
import { Policy } from "./types";

export type { Policy } from "./types";
export type { PipelineEnvironmentSpec, PipelinePolicyOptions } from "./pipeline";

const explicitProvider: Policy = {
  name: "explicit-provider",
  description: "Every AWS resource has an explicit provider (default providers are disabled).",
  validateResource: (r) =>
    r.custom && r.type.startsWith("aws:") && r.provider === null
      ? ["has no explicit provider: pass { provider } (default providers are disabled)"]
      : [],
};

/**
 * Every rule. Without options the pipeline rules infer from the pipeline
 * whether an environment deploys to China; pass the configured environments
 * to check each deploy stage against its environment exactly.
 */
export function createPolicies(options: PipelinePolicyOptions = {}): Policy[] {
  return [
    explicitProvider,
    ...PARTITION_POLICIES,
    ...S3_POLICIES,
    ...KMS_POLICIES,
    ...IAM_POLICIES,
    ...SSM_POLICIES,
    ...SNS_POLICIES,
    ...CODEBUILD_POLICIES,
    prCodePolicy,
    prResultPolicy,
    ...pipelinePolicies(options),
    ...isolationPolicies(options),
    pipelineArtifactsWriters(options),
    ...operationsPolicies(options),
    ...LAMBDA_POLICIES,
    ...LOGS_POLICIES,
    ...ENUM_POLICIES,
  ];
}

export const POLICIES: readonly Policy[] = createPolicies();

/** Runs every policy over a stack's resources. */
export function runPolicies(
  resources: readonly PlannedResource[],
  policies: readonly Policy[] = POLICIES,
): Violation[] {
  const violations: Violation[] = [];
  for (const policy of policies) {
    for (const resource of resources) {
      for (const message of policy.validateResource?.(resource) ?? []) {
        violations.push({ policy: policy.name, urn: resource.urn, message });
      }
    }
    violations.push(...(policy.validateStack?.(resources) ?? []));
  }
  return violations;
}
