export { Repository } from "@pulumi/aws/codecommit/repository";
