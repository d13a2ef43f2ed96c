export { Stack } from "@pulumi/aws/cloudformation/stack";
