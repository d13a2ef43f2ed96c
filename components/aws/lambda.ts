export { Function } from "@pulumi/aws/lambda/function";
export { Permission } from "@pulumi/aws/lambda/permission";
