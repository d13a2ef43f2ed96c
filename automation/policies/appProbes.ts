import { appFunctionName, appPrefixOf, appRoleName } from "../../components/naming";
import { arn, iamArn, servicePrincipal } from "../../components/partition";
import type { Probe, ProbeEnvironment, ProbeScope } from "./probeTypes";

/**
 * An in-account environment's app in each of its Regions, as its deploy
 * identity changes it: the function's code, its role's trust policy, passing
 * that role to Lambda, deleting its log group. Names as the app stack makes
 * them, so a grant by name prefix that also covers another environment's app
 * (`silkroute-dev-*` covers `silkroute-dev-eu-fn`) shows.
 */
export function appProbes(scope: ProbeScope, env: ProbeEnvironment): Probe[] {
  const { partition, accountId: account } = scope;
  const appPrefix = appPrefixOf(scope.prefix, env.name);
  const fn = appFunctionName(appPrefix);
  return env.globalRegions.flatMap((region): Probe[] => {
    const inRegion = { "aws:RequestedRegion": region };
    const roleName = appRoleName(appPrefix, region);
    const role = iamArn(partition, account, `role/${roleName}`);
    return [
      {
        kind: "app",
        what: `${env.name}'s function ${fn} in ${region}`,
        request: {
          action: "lambda:UpdateFunctionCode",
          resource: arn({
            partition,
            service: "lambda",
            region,
            account,
            resource: `function:${fn}`,
          }),
          context: inRegion,
        },
      },
      {
        kind: "app",
        what: `${env.name}'s app role ${roleName} (its trust policy)`,
        request: { action: "iam:UpdateAssumeRolePolicy", resource: role },
      },
      {
        kind: "app",
        what: `${env.name}'s app role ${roleName}, passed to Lambda`,
        request: {
          action: "iam:PassRole",
          resource: role,
          context: { "iam:PassedToService": servicePrincipal("lambda", partition) },
        },
      },
      {
        kind: "app",
        what: `${env.name}'s log group /aws/lambda/${fn} in ${region}`,
        request: {
          action: "logs:DeleteLogGroup",
          resource: arn({
            partition,
            service: "logs",
            region,
            account,
            resource: `log-group:/aws/lambda/${fn}`,
          }),
          context: inRegion,
        },
      },
    ];
  });
}
