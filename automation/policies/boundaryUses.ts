import { kindActions, kindNamed, resourceArn } from "../../components/appKinds";
import { appPrefixOf, appRoleName } from "../../components/naming";
import { iamArn } from "../../components/partition";
import type { ProbeScope } from "./probeTypes";
import { decide } from "./simulate";

/*
 * What the app boundary lets an environment's app roles use besides their
 * logs: the app's resources of the kinds in silkroute:app.functionsUse. Each
 * in-account environment's app role, with an own policy allowing anything,
 * must reach a resource of each kind named for its own environment, and no
 * other environment's, whichever account that one deploys into.
 */

/** A kind's resources, and one action IAM lists on the kind's own resource type. */
function probeOf(kindName: string) {
  const kind = kindNamed(kindName);
  // API Gateway's resources carry ids, not names: no environment can be told apart (docs/app.md).
  if (kind === undefined || kind.unnamedResources) return undefined;
  const type = kind.resourceTypes[0].toLowerCase();
  const action = kindActions(kind).find((a) =>
    a.resourceTypes.some((t) => t.toLowerCase() === type),
  );
  return action === undefined ? undefined : { kind, action: `${kind.service}:${action.name}` };
}

/** Every problem of the boundary with `functionsUse`, one line each. */
export function appBoundaryUseProblems(
  scope: ProbeScope,
  boundary: unknown,
  functionsUse: readonly string[],
): string[] {
  const everything = {
    identityPolicies: [
      { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
    ],
    permissionsBoundary: boundary,
  };
  const problems: string[] = [];
  const inAccount = scope.environments.filter((e) => e.crossAccountRoleArn === undefined);
  for (const kindName of functionsUse) {
    const probe = probeOf(kindName);
    if (probe === undefined) continue;
    for (const env of inAccount) {
      for (const region of env.globalRegions) {
        const role = appRoleName(appPrefixOf(scope.prefix, env.name), region);
        for (const owner of scope.environments) {
          const resource = resourceArn(
            probe.kind,
            `${appPrefixOf(scope.prefix, owner.name)}-probe`,
            {
              partition: scope.partition,
              region,
              account: scope.accountId,
            },
          );
          const decision = decide(everything, {
            principal: iamArn(scope.partition, scope.accountId, `role/${role}`),
            action: probe.action,
            resource,
            context: { "aws:RequestedRegion": region },
          });
          const own = owner.name === env.name;
          if (own && decision !== "Allowed") {
            problems.push(
              `the app boundary denies ${role} ${probe.action} on its own ${kindName} ${resource} (${decision}), though functionsUse lists ${kindName}`,
            );
          } else if (!own && decision === "Allowed") {
            problems.push(
              `the app boundary lets ${role} ${probe.action} on ${owner.name}'s ${kindName} ${resource}`,
            );
          }
        }
      }
    }
  }
  return problems;
}
