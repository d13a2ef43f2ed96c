export { Connection } from "@pulumi/aws/codeconnections/connection";
