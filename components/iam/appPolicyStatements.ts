import {
  AppKind,
  BASE_KINDS,
  compressActions,
  isRegional,
  kindActions,
  kindNamed,
  kindResources,
} from "../appKinds";
import { appCodeFolder } from "../naming";
import type { IamActionData } from "./iamData";
import { arn, iamArn, Partition, s3Arn, servicePrincipal } from "../partition";
import {
  allow,
  BOUNDED_ROLE_ACTIONS,
  deny,
  layoutStatements,
  MAX_MANAGED_POLICY_CHARS,
  objects,
  PolicyLayout,
  Statement,
} from "./policyStatements";

/** Where the app stacks of one account live, as the pipeline's roles reach them. */
export interface AppScope {
  readonly partition: Partition;
  readonly accountId: string;
  /** Regions the app stacks deploy into. */
  readonly regions: readonly string[];
  /**
   * The app prefixes (naming.ts appPrefixOf, `silkroute-dev`) of the
   * environments reached: their resources are named `<appPrefix>-…`, their
   * code zips are under `app/<appPrefix>/`. Never a bare `silkroute`, which
   * would also match the pipeline's own roles.
   */
  readonly appPrefixes: readonly string[];
  /** The artifact buckets holding the code zips. */
  readonly artifactBucketArns: readonly string[];
  /**
   * ARN of the app boundary policy (AppBoundary) in this account: every role
   * the app stacks create must carry it, so no role made through these
   * statements can do more than the boundary allows.
   */
  readonly boundaryArn: string;
  /**
   * What the app manages (appKinds.ts names): the statements cover these
   * kinds and always the base ones (function, role, log group).
   * @default the base kinds: the sample app
   */
  readonly kinds?: readonly string[];
  /**
   * CloudFormation transforms the app's template uses (`Serverless-2016-10-31`):
   * creating a stack from it creates a change set through the transform.
   * @default none
   */
  readonly transforms?: readonly string[];
}

/** `<appPrefix>-` for each app prefix: what the app stack's resources start with. */
export function appNamePrefixes(appPrefixes: readonly string[]): string[] {
  return appPrefixes.map((p) => `${p}-`);
}

/** The kinds a scope covers, base kinds first, each once; unknown names are left out. */
export function scopeKinds(kinds: readonly string[] = []): AppKind[] {
  const names = [...new Set([...BASE_KINDS, ...kinds])];
  return names.map(kindNamed).filter((k): k is AppKind => k !== undefined);
}

/** Changes to the boundary policy itself, denied so the boundary cannot be widened. */
export const BOUNDARY_POLICY_CHANGE_ACTIONS = [
  "iam:CreatePolicyVersion",
  "iam:DeletePolicy",
  "iam:DeletePolicyVersion",
  "iam:SetDefaultPolicyVersion",
];

/**
 * The code zips and packaged templates. Every version gets new keys, so each
 * deploy replaces the objects, and deleting an object of a versioned bucket
 * deletes its versions.
 */
export const APP_CODE_ACTIONS = [
  "s3:DeleteObject",
  "s3:DeleteObjectVersion",
  "s3:GetObject",
  "s3:GetObjectTagging",
  "s3:GetObjectVersion",
  "s3:PutObject",
  "s3:PutObjectTagging",
];

/**
 * Reads of an app's data rather than its configuration: never for the
 * preview role, which runs pull-request code. The object resource type (S3)
 * is left out of its reads altogether.
 */
export const DATA_READS = [
  "dynamodb:GetItem",
  "dynamodb:GetRecords",
  "dynamodb:GetShardIterator",
  "logs:GetLogEvents",
  "logs:GetLogRecord",
  "logs:GetQueryResults",
];

const sidOf = (kind: AppKind, prefix: string) =>
  `${prefix}${kind.name
    .split(/[^A-Za-z0-9]+/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("")}`;

/** A statement on regional resources, limited to the deploy Regions. */
const inRegions = (scope: AppScope, statement: Statement): Statement => ({
  ...statement,
  Condition: { StringEquals: { "aws:RequestedRegion": [...scope.regions] } },
});

const isEmpty = (scope: AppScope) => scope.regions.length === 0 || scope.appPrefixes.length === 0;

/**
 * One statement per kind: every action IAM lists on the kind's resource
 * types (less what a statement of its own grants), on the app's resources
 * of that kind, in the deploy Regions.
 */
function kindStatement(scope: AppScope, kind: AppKind, actions: string[], sid: string) {
  const statement = allow(sid, compressActions(kind.service, actions), kindResources(kind, scope));
  return isRegional(kind) ? inRegions(scope, statement) : statement;
}

function resources(scope: AppScope) {
  const { partition, accountId: account } = scope;
  return {
    roles: appNamePrefixes(scope.appPrefixes).map((p) => iamArn(partition, account, `role/${p}*`)),
    // DescribeLogGroups is authorized against the account's log-group
    // collection, never one group: the narrowest resource it accepts is every
    // log group of the account and Region.
    allLogGroups: [
      arn({ partition, service: "logs", region: "*", account, resource: "log-group:*" }),
    ],
    // An environment's own folder only: `app/silkroute-dev/` never prefixes `app/silkroute-dev-eu/`.
    code: scope.appPrefixes.flatMap((p) => objects(scope.artifactBucketArns, appCodeFolder(p))),
    codeFolders: scope.appPrefixes.map((p) => `${appCodeFolder(p)}*`),
  };
}

/**
 * The app roles are capped by the boundary: created, given inline or
 * managed policies and a boundary only with it, never without it or with
 * another one, and the boundary policy itself cannot be changed or deleted.
 * Without this, whoever may create the app's roles and pass them to a
 * service could grant itself any permission.
 */
function boundaryStatements(scope: AppScope, roles: string[]): Statement[] {
  const boundary = { "iam:PermissionsBoundary": scope.boundaryArn };
  return [
    {
      ...allow("AppRolesUnderBoundary", BOUNDED_ROLE_ACTIONS, roles),
      Condition: { StringEquals: boundary },
    },
    deny("KeepAppRoleBoundary", ["iam:DeleteRolePermissionsBoundary"], roles),
    {
      ...deny("NoOtherAppRoleBoundary", ["iam:PutRolePermissionsBoundary"], roles),
      Condition: { StringNotEquals: boundary },
    },
    deny("KeepBoundaryPolicy", BOUNDARY_POLICY_CHANGE_ACTIONS, [scope.boundaryArn]),
  ];
}

/**
 * Create, update and delete the app stacks: one statement per kind the app
 * manages (generated from IAM's data), its roles under the app boundary and
 * passed only to the services its kinds run, and its code. The global
 * deploy roles, the cross-account roles and the China deploy group all get
 * these: they deploy the same app.
 */
export function appManageStatements(scope: AppScope): Statement[] {
  if (isEmpty(scope)) return [];
  const r = resources(scope);
  const kinds = scopeKinds(scope.kinds);
  const passedTo = [...new Set(kinds.flatMap((k) => k.passesRolesTo ?? []))];
  const transforms = kinds.some((k) => k.name === "stack") ? (scope.transforms ?? []) : [];
  return [
    ...kinds.map((kind) =>
      kindStatement(
        scope,
        kind,
        kindActions(kind).map((a) => a.name),
        sidOf(kind, "App"),
      ),
    ),
    ...boundaryStatements(scope, r.roles),
    {
      ...allow("PassAppRoles", ["iam:PassRole"], r.roles),
      Condition: {
        StringEquals: {
          "iam:PassedToService": passedTo.map((s) => servicePrincipal(s, scope.partition)),
        },
      },
    },
    inRegions(scope, allow("DescribeLogGroups", ["logs:DescribeLogGroups"], r.allLogGroups)),
    transforms.length === 0
      ? undefined
      : inRegions(
          scope,
          allow(
            "CreateChangeSetsThroughTransforms",
            ["cloudformation:CreateChangeSet"],
            transforms.map((t) =>
              arn({
                partition: scope.partition,
                service: "cloudformation",
                region: "*",
                account: "aws",
                resource: `transform/${t}`,
              }),
            ),
          ),
        ),
    allow("AppCode", APP_CODE_ACTIONS, r.code),
    {
      // Deleting every version of a code object lists them first; the driver
      // lists an environment's code zips to keep only the newest.
      ...allow("ListAppCode", ["s3:ListBucket", "s3:ListBucketVersions"], scope.artifactBucketArns),
      Condition: { StringLike: { "s3:prefix": r.codeFolders } },
    },
  ].filter((s): s is Statement => s !== undefined);
}

const READ_VERB = /^(Get|Describe|List)/;

/** What a refresh reads of a kind: the Get, Describe and List actions IAM lists on its resources, less the data reads. */
export function kindReadActions(kind: AppKind): IamActionData[] {
  const dataReads = new Set(DATA_READS.map((a) => a.toLowerCase()));
  return kindActions(kind)
    .filter((a) => READ_VERB.test(a.name) && /Read|List/.test(a.accessLevel))
    .filter((a) => !dataReads.has(`${kind.service}:${a.name}`.toLowerCase()));
}

/**
 * Read the app stacks, as `pulumi preview --refresh` does: per kind, the
 * Get, Describe and List actions IAM lists on its resources (not on S3
 * objects), less the reads of the app's data; no write anywhere.
 */
export function appReadStatements(scope: AppScope): Statement[] {
  if (isEmpty(scope)) return [];
  const r = resources(scope);
  return [
    ...scopeKinds(scope.kinds).map((kind) => {
      const configOnly =
        kind.name === "bucket" ? { ...kind, resourceTypes: ["bucket"] as const } : kind;
      const reads = kindReadActions(configOnly).map((a) => a.name);
      return kindStatement(scope, configOnly, reads, sidOf(kind, "Read"));
    }),
    inRegions(scope, allow("DescribeLogGroups", ["logs:DescribeLogGroups"], r.allLogGroups)),
    allow("ReadAppCode", ["s3:GetObject", "s3:GetObjectTagging"], r.code),
  ];
}

/** What decides how many managed policies an app scope's statements fill: all known before deployment. */
export type AppLayoutScope = Pick<AppScope, "regions" | "appPrefixes" | "kinds" | "transforms"> & {
  /** How many artifact buckets the scope's code is in. */
  readonly buckets: number;
};

/**
 * How appManageStatements split into managed policies (6,144 characters
 * each), decided on the longest values the unknown parts can take (account,
 * bucket and boundary ARNs in aws-cn), so a program can create that many
 * policies before the ARNs are known; packStatements fills them.
 */
export function appPolicyLayout(
  scope: AppLayoutScope,
  statements: (scope: AppScope) => Statement[] = appManageStatements,
): PolicyLayout {
  const account = "0".repeat(12);
  return layoutStatements(
    statements({
      partition: "aws-cn",
      accountId: account,
      regions: scope.regions,
      appPrefixes: scope.appPrefixes,
      // The longest bucket and policy names S3 and IAM accept.
      artifactBucketArns: Array.from({ length: scope.buckets }, () =>
        s3Arn("aws-cn", "b".repeat(63)),
      ),
      boundaryArn: iamArn("aws-cn", account, `policy/${"p".repeat(128)}`),
      kinds: scope.kinds,
      transforms: scope.transforms,
    }),
    MAX_MANAGED_POLICY_CHARS,
  );
}

/** IAM's default quota of managed policies attached to one role, user or group. */
export const MAX_ATTACHED_POLICIES = 10;
