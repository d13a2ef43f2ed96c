import * as aws from "./aws";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_PREFIX, operationsRoleName, rotationRoleName } from "./naming";
import { Partition } from "./partition";
import { trustPolicy } from "./pipelineRoles";

export interface OperationsRolesArgs {
  /** Prefix of the role names. @default "silkroute" */
  readonly prefix?: string;
  /** Create the scheduled checks' role (`<prefix>-operations`). @default false */
  readonly checks?: boolean;
  /** Create the scheduled rotation's role (`<prefix>-rotation`). @default false */
  readonly rotation?: boolean;
}

/**
 * The day-2 identities, with trust policies only (CodeBuild, for this
 * account): their permissions come with OperationsAccess once what they
 * reach exists, as the pipeline's roles' do. Created first because key and
 * bucket policies name them: the checks' role is denied the `china` stack
 * with every pipeline role; the rotation role is the one that is not.
 */
export class OperationsRoles extends pulumi.ComponentResource {
  readonly operations?: aws.iam.Role;
  readonly rotation?: aws.iam.Role;

  constructor(name: string, args: OperationsRolesArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("silkroute:operations:OperationsRoles", name, {}, opts);
    const prefix = args.prefix ?? DEFAULT_PREFIX;
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const role = (suffix: string, roleName: string, description: string) =>
      new aws.iam.Role(
        `${name}-${suffix}`,
        {
          name: roleName,
          description,
          assumeRolePolicy: pulumi.jsonStringify(
            pulumi
              .all([partition, accountId])
              .apply(([p, account]) => trustPolicy("codebuild", p as Partition, account)),
          ),
        },
        { parent: this },
      );
    if (args.checks === true) {
      this.operations = role(
        "operations",
        operationsRoleName(prefix),
        "silkroute scheduled checks: drift and key age of every environment, read only",
      );
    }
    if (args.rotation === true) {
      this.rotation = role(
        "rotation",
        rotationRoleName(prefix),
        "silkroute scheduled rotation of the China deploy keys: reads the China bootstrap keys",
      );
    }
    this.registerOutputs({
      operationsArn: this.operations?.arn,
      rotationArn: this.rotation?.arn,
    });
  }
}
