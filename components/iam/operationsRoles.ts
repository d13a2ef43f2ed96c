import * as aws from "../aws";
import * as pulumi from "@pulumi/pulumi";
import { checksRoleName, DEFAULT_PREFIX, operationsRolePath, rotationRoleName } from "../naming";
import { Partition } from "../partition";
import { trustPolicy } from "./pipelineRoles";

export interface OperationsRolesArgs {
  /** Prefix of the role names and path. @default "silkroute" */
  readonly prefix?: string;
  /**
   * The environments whose scheduled checks get a role of their own
   * (`<prefix>-checks-<env>`). @default none
   */
  readonly checks?: readonly string[];
  /** Create the scheduled rotation's role (`<prefix>-rotation`). @default false */
  readonly rotation?: boolean;
}

/**
 * The day-2 identities, with trust policies only (CodeBuild, for this
 * account), under the path `/<prefix>-operations/`: their permissions come
 * with OperationsAccess once what they reach exists, as the pipeline's roles'
 * do. Created first because key and bucket policies name them: every
 * environment's checks role is denied the `china` stack with the pipeline's
 * roles; the rotation role is the one that is not. One checks role per
 * environment, like the deploy roles: the checks of an environment run that
 * environment's code, so they may hold its credentials and no other's.
 */
export class OperationsRoles extends pulumi.ComponentResource {
  /** Per environment with scheduled checks. */
  readonly checks: Readonly<Record<string, aws.iam.Role>>;
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
          path: operationsRolePath(prefix),
          description,
          assumeRolePolicy: pulumi.jsonStringify(
            pulumi
              .all([partition, accountId])
              .apply(([p, account]) => trustPolicy("codebuild", p as Partition, account)),
          ),
        },
        { parent: this },
      );
    this.checks = Object.fromEntries(
      (args.checks ?? []).map((env) => [
        env,
        role(
          `checks-${env}`,
          checksRoleName(prefix, env),
          `silkroute scheduled checks of ${env}: its drift, status and China key age, read only`,
        ),
      ]),
    );
    if (args.rotation === true) {
      this.rotation = role(
        "rotation",
        rotationRoleName(prefix),
        "silkroute scheduled rotation of the China deploy keys: reads the China bootstrap keys",
      );
    }
    this.registerOutputs({
      checksArns: Object.fromEntries(Object.entries(this.checks).map(([e, r]) => [e, r.arn])),
      rotationArn: this.rotation?.arn,
    });
  }
}
