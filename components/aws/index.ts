// The parts of @pulumi/aws this project uses, imported module by module (`import * as aws from
// "./aws"` reads like the package). The package's index would load 327 files at run time and
// every type-check would parse its 2,700 declaration files; these are the same modules the index
// loads on first use, so the classes and their type tokens are the package's own.
export { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
export { getPartitionOutput } from "@pulumi/aws/getPartition";
export { getRegionOutput } from "@pulumi/aws/getRegion";
export { Provider } from "@pulumi/aws/provider";
export type { Region } from "@pulumi/aws/types/enums";
export type * as types from "@pulumi/aws/types";
export * as cloudformation from "./cloudformation";
export * as cloudwatch from "./cloudwatch";
export * as codebuild from "./codebuild";
export * as codecommit from "./codecommit";
export * as codestarnotifications from "./codestarnotifications";
export * as codeconnections from "./codeconnections";
export * as codepipeline from "./codepipeline";
export * as iam from "./iam";
export * as kms from "./kms";
export * as lambda from "./lambda";
export * as s3 from "./s3";
export * as scheduler from "./scheduler";
export * as sns from "./sns";
export * as ssm from "./ssm";
