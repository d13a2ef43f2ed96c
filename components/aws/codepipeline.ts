export { Pipeline } from "@pulumi/aws/codepipeline/pipeline";
