import * as aws from "../aws";
import * as pulumi from "@pulumi/pulumi";
import type { OperationsRoles } from "./operationsRoles";
import { checksPolicy, OperationsInputs, rotationPolicy } from "./operationsPolicies";
import { auditPolicyDocument, PolicyDocument } from "./policyStatements";

export interface OperationsAccessArgs {
  /** The roles to give permissions to; a role left out gets none. */
  readonly roles: Pick<OperationsRoles, "checks" | "rotation">;
  /** What the policies are built from. */
  readonly inputs: pulumi.Input<OperationsInputs>;
  /** Every China environment's `chinaParameterPrefix`: where its bootstrap key is. */
  readonly chinaParameterPrefixes: readonly string[];
  /** Roles no policy may reach with an IAM action (the pipeline's and the operations' own). */
  readonly protectedRoleNames: pulumi.Input<pulumi.Input<string>[]>;
}

/**
 * The day-2 roles' least-privilege policies (operationsPolicies.ts), each
 * audited like the pipeline's (no wildcard action, no `*` resource but for
 * a resourceless read, IAM actions never on a protected role) before it is
 * attached.
 */
export class OperationsAccess extends pulumi.ComponentResource {
  constructor(
    name: string,
    args: OperationsAccessArgs,
    opts: pulumi.ComponentResourceOptions = {},
  ) {
    super("silkroute:operations:OperationsAccess", name, {}, opts);
    const attach = (
      suffix: string,
      role: aws.iam.Role,
      build: (p: OperationsInputs) => PolicyDocument,
    ) =>
      new aws.iam.RolePolicy(
        `${name}-${suffix}`,
        {
          role: role.name,
          policy: pulumi
            .all([args.inputs, args.protectedRoleNames])
            .apply(([inputs, protectedNames]) => {
              const document = build(inputs as OperationsInputs);
              const problems = auditPolicyDocument(document, protectedNames);
              if (problems.length > 0) {
                throw new pulumi.ResourceError(
                  `the ${suffix} policy fails the audit: ${problems.join("; ")}`,
                  this,
                );
              }
              return JSON.stringify(document);
            }),
        },
        { parent: this },
      );
    for (const [env, role] of Object.entries(args.roles.checks)) {
      attach(`checks-${env}`, role, (p) => checksPolicy(p, env));
    }
    if (args.roles.rotation) {
      attach("rotation", args.roles.rotation, (p) =>
        rotationPolicy(p, args.chinaParameterPrefixes),
      );
    }
    this.registerOutputs({});
  }
}
