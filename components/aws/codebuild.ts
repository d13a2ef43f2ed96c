export { Project } from "@pulumi/aws/codebuild/project";
export { Webhook } from "@pulumi/aws/codebuild/webhook";
