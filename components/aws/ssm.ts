export { getParameterOutput } from "@pulumi/aws/ssm/getParameter";
export { Parameter } from "@pulumi/aws/ssm/parameter";
