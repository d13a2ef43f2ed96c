export { Schedule } from "@pulumi/aws/scheduler/schedule";
