import * as aws from "../aws";
import * as pulumi from "@pulumi/pulumi";
import {
  compressActions,
  isRegional,
  kindActions,
  kindNamed,
  kindProblem,
  kindResources,
} from "../appKinds";
import { appBoundaryPolicyName, DEFAULT_PREFIX } from "../naming";
import { arn, iamArn, Partition } from "../partition";
import {
  allow,
  deny,
  doc,
  MAX_MANAGED_POLICY_CHARS,
  PolicyDocument,
  Statement,
} from "./policyStatements";

/** Name of the app boundary policy when none is given. */
export const DEFAULT_APP_BOUNDARY_NAME = appBoundaryPolicyName(DEFAULT_PREFIX);

export interface AppBoundaryArgs {
  /** Name of the customer managed policy (path `/`). @default "silkroute-app-boundary" */
  readonly policyName?: string;
  /** Regions the app stacks of this account deploy into. */
  readonly regions: readonly string[];
  /**
   * The app name prefix of each environment whose app stacks deploy into this
   * account (`silkroute-dev-`, naming.ts appPrefixOf and a `-`): an app role
   * named `<prefix>…` may write the log groups `/aws/lambda/<prefix>*` only,
   * never another environment's nor the pipeline's own (the PR comment
   * poster's). Empty when no app stack deploys here: the boundary then allows
   * nothing.
   */
  readonly namePrefixes: readonly string[];
  /**
   * Kinds of the app's own resources (appKinds.ts names: `queue`, `table`,
   * …) its functions may call: the boundary allows IAM's actions on them,
   * named under the name prefixes, in the Regions. @default none: logs only
   */
  readonly functionsUse?: readonly string[];
}

const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;
const NAME_PREFIX = /^[a-z][a-z0-9-]{0,40}-$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** Validates AppBoundary args; returns the problem or undefined. */
export function validateAppBoundaryArgs(args: AppBoundaryArgs): string | undefined {
  if (args.policyName !== undefined && !POLICY_NAME.test(args.policyName)) {
    return `policyName must be 1-128 letters, digits or +=,.@_-, got ${JSON.stringify(args.policyName)}`;
  }
  if (args.regions.length === 0) return "regions must list at least one Region";
  const region = args.regions.find((r) => !REGION.test(r));
  if (region !== undefined) return `regions must be Regions such as us-east-1, got ${region}`;
  const prefix = args.namePrefixes.find((p) => !NAME_PREFIX.test(p));
  if (prefix !== undefined) {
    return `namePrefixes must be lower-case names ending in '-' (no wildcards), such as silkroute-dev-, got ${JSON.stringify(prefix)}`;
  }
  const overlap = args.namePrefixes.find((p) =>
    args.namePrefixes.some((q) => q !== p && q.startsWith(p)),
  );
  if (overlap !== undefined) {
    return `namePrefixes must not start with one another (${overlap} would cover another environment's app), got ${JSON.stringify(args.namePrefixes)}`;
  }
  const kind = (args.functionsUse ?? []).map(kindProblem).find((p) => p !== undefined);
  if (kind !== undefined) return `functionsUse: ${kind}`;
  // The longest account and partition: the document's size is known before them.
  const size = JSON.stringify(appBoundaryDocument("aws-cn", "0".repeat(12), args)).length;
  if (size > MAX_MANAGED_POLICY_CHARS) {
    return `the boundary would be ${size} characters, more than the ${MAX_MANAGED_POLICY_CHARS} of a managed policy: list fewer kinds in functionsUse, or deploy fewer environments into this account`;
  }
  return undefined;
}

/** ARN of the app boundary policy named `policyName` in an account. */
export function appBoundaryArn(partition: Partition, account: string, policyName: string): string {
  return iamArn(partition, account, `policy/${policyName}`);
}

/** `silkroute-dev-` → `SilkrouteDev`: a statement id (letters and digits only). */
const sidOf = (prefix: string) =>
  prefix
    .split("-")
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");

/**
 * The most any app role may do, one set of statements per environment
 * deploying into the account: a role named `<appPrefix>-…` may write
 * `/aws/lambda/<appPrefix>-*` and use that environment's own resources of
 * the kinds in functionsUse (every action IAM lists on them, named
 * `<appPrefix>-…`), in the given Regions, and nothing of another
 * environment's or the pipeline's own (the PR comment poster's logs). A
 * role gets the intersection of this and its own policies.
 */
export function appBoundaryDocument(
  partition: Partition,
  account: string,
  args: Pick<AppBoundaryArgs, "regions" | "namePrefixes" | "functionsUse">,
): PolicyDocument {
  if (args.namePrefixes.length === 0) {
    return doc([deny("NoAppInThisAccount", ["*"], ["*"])]);
  }
  return doc(
    args.namePrefixes.flatMap((prefix) => {
      const env = sidOf(prefix);
      // Only a role of this environment's app gets these: the name prefix is the environment.
      const ownRoles = {
        ArnLike: { "aws:PrincipalArn": iamArn(partition, account, `role/${prefix}*`) },
      };
      const inRegions = { StringEquals: { "aws:RequestedRegion": [...args.regions] } };
      const uses: Statement[] = (args.functionsUse ?? []).flatMap((name) => {
        const kind = kindNamed(name);
        if (kind === undefined) return [];
        const statement = allow(
          `Use${sidOf(name.replace(/[^A-Za-z0-9]+/g, "-"))}${env}`,
          compressActions(
            kind.service,
            kindActions(kind).map((a) => a.name),
          ),
          kindResources(kind, {
            partition,
            accountId: account,
            appPrefixes: [prefix.replace(/-$/, "")],
          }),
        );
        return [
          {
            ...statement,
            Condition: isRegional(kind) ? { ...inRegions, ...ownRoles } : ownRoles,
          },
        ];
      });
      return [
        {
          // `*` also matches the group's streams (`…:log-stream:<name>`); the Region
          // is narrowed by aws:RequestedRegion, one ARN per environment.
          ...allow(
            `WriteLogs${env}`,
            ["logs:CreateLogStream", "logs:PutLogEvents"],
            [
              arn({
                partition,
                service: "logs",
                region: "*",
                account,
                resource: `log-group:/aws/lambda/${prefix}*`,
              }),
            ],
          ),
          Condition: { ...inRegions, ...ownRoles },
        },
        ...uses,
      ];
    }),
  );
}

/**
 * The permissions boundary of every role the app stacks create in one
 * account: a customer managed policy. The deploy role (global) and the deploy
 * user (China) may create app roles and give them inline policies only with
 * this boundary set, and may not change or delete it, so passing such a role
 * to Lambda never gives them more than the boundary allows.
 */
export class AppBoundary extends pulumi.ComponentResource {
  readonly policy: aws.iam.Policy;
  readonly arn: pulumi.Output<string>;
  readonly policyName: pulumi.Output<string>;

  constructor(name: string, args: AppBoundaryArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("silkroute:iam:AppBoundary", name, {}, opts);
    const problem = validateAppBoundaryArgs(args);
    if (problem) throw new pulumi.ResourceError(problem, this);
    const policyName = args.policyName ?? DEFAULT_APP_BOUNDARY_NAME;
    const partition = aws.getPartitionOutput({}, { parent: this })
      .partition as pulumi.Output<Partition>;
    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;

    this.policy = new aws.iam.Policy(
      `${name}-policy`,
      {
        name: policyName,
        path: "/",
        description: "silkroute: the most any app role may do (its permissions boundary)",
        policy: pulumi
          .all([partition, account])
          .apply(([p, a]) => JSON.stringify(appBoundaryDocument(p, a, args))),
      },
      { parent: this },
    );
    this.arn = this.policy.arn;
    this.policyName = this.policy.name;
    this.registerOutputs({ arn: this.arn, policyName: this.policyName });
  }
}
