export { Function } from "@pulumi/aws/lambda/function";
