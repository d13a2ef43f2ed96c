export { EventRule } from "@pulumi/aws/cloudwatch/eventRule";
export { EventTarget } from "@pulumi/aws/cloudwatch/eventTarget";
export { LogGroup } from "@pulumi/aws/cloudwatch/logGroup";
