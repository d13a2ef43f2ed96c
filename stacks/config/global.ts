import { entryOf } from "../../components/lookup";
import { z } from "zod";
import { LOG_RETENTION_DAYS } from "../../components/logRetention";
import { PARAMETER_EXAMPLE } from "../cfnChecks";
import { appConfigSchema, resolveApp } from "./app";
import {
  DEFAULT_PREFIX,
  defaultChinaParameterPrefix,
  defaultCrossAccountParameter,
} from "../../components/naming";
import { Examples, Placeholder } from "./suggest";
import {
  accountId,
  ACCOUNT_ID,
  chinaRegion,
  ConfigSource,
  envName,
  envNameSuggestions,
  globalRegion,
  globalRegionSuggestions,
  readConfig,
  resourcePrefix,
  ssmName,
  noncurrentVersionDays,
  uniqueEnvironmentNames,
  environmentNamesApart,
  flag,
  accessLogRetentionDays,
} from "./read";
import { notificationsSchema, OPERATIONS_EXAMPLES, operationsSchema } from "./operations";
import {
  appPrefixesFit,
  crossAccountRolesApart,
  prefixApartFromFolders,
  ssmNamesApart,
} from "./globalChecks";

/** The Pulumi CLI the buildspecs install unless silkroute:pulumiVersion says otherwise. */
export const DEFAULT_PULUMI_VERSION = "3.248.0";
const PULUMI_VERSION = /^\d+\.\d+\.\d+$/;

/**
 * SHA-256 of the linux-x64 release archive of the Pulumi CLI versions this
 * project knows. 3.248.0: from a Nix expression that fetches the same file
 * name from the GitHub release (sha256-oTcy2JIfmdcLmuJw15w7V1uzdwf850huZP7zM6/BGuA=
 * in SRI form), not computed here; docs/driver.md says how to check it.
 */
export const PULUMI_SHA256: Readonly<Record<string, string>> = {
  "3.248.0": "a13732d8921f99d70b9ae270d79c3b575bb37707fce7486e64fef333afc11ae0",
};

const environment = z.strictObject({
  /** Environment name; the seed's are dev, stage and prod. */
  name: envName,
  /** Global Regions the app deploys into; default: the pipeline Region. */
  globalRegions: z
    .array(globalRegion)
    .min(1, { error: "must list at least one Region" })
    .optional(),
  /** Deploy into the China Region too (side by side with the global Regions); default true. */
  china: z.boolean({ error: "must be true or false" }).default(true),
  /** A manual approval gates this environment; default false (prod: true in the sample). */
  approval: z.boolean({ error: "must be true or false" }).default(false),
  /** Another account to deploy into through a cross-account role; default: the pipeline account. */
  crossAccount: z
    .strictObject({
      accountId,
      /** The role the deploy project assumes there. */
      roleName: z.string().regex(/^[\w+=,.@-]{1,64}$/, { error: "must be an IAM role name" }),
      /** SSM parameter holding the role ARN; default `/US/<Env>/CrossAccountStageRole` (seed). */
      parameterName: ssmName.optional(),
    })
    .optional(),
  /** SSM prefix of this environment's China deploy key; default `/China/<Env>` (seed). */
  chinaParameterPrefix: ssmName.optional(),
});

const source = z.discriminatedUnion(
  "type",
  [
    z.strictObject({
      type: z.literal("codecommit"),
      /** Repository created for the application; default silkroute-app. */
      repositoryName: z.string().min(1).default("silkroute-app"),
      branch: z.string().min(1).default("main"),
    }),
    z.strictObject({
      type: z.literal("github"),
      /** `owner/repo` on GitHub, reached through a CodeConnections connection. */
      repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, { error: "must be owner/repo" }),
      branch: z.string().min(1).default("main"),
      /** Secrets Manager secret (name or ARN) with a token that may comment on pull requests. */
      tokenSecretArn: z.string().min(1).optional(),
      /**
       * The CodeConnections connection has been approved in the console. A new
       * connection is PENDING and CodeBuild cannot create the pull-request
       * webhook through it: the first `pulumi up` leaves the webhook out; approve
       * the connection, set this to true and run `pulumi up` again. Default false.
       */
      connectionReady: z.boolean({ error: "must be true or false" }).default(false),
    }),
  ],
  { error: "must have type codecommit or github" },
);

/** The seed's SSM parameter names (the CodePipeline-to-China walkthrough). */
const seedParameters = z.strictObject({
  codeBuildRole: ssmName.default("/US/Dev/CodeBuildRole"),
  codePipelineRole: ssmName.default("/US/Dev/CodePipelineRole"),
  cloudformationRole: ssmName.default("/US/Dev/CloudformationRole"),
  deploymentBucket: ssmName.default("/US/Dev/DeploymentS3Bucket"),
  codeBuildImage: ssmName.default("/US/Dev/CodeBuildImage"),
});

export const globalConfigSchema = z
  .strictObject({
    /** Prefix of every physical name; default silkroute. */
    prefix: resourcePrefix.default(DEFAULT_PREFIX),
    /** Region of CodePipeline, CodeBuild, SSM and the state bucket; default us-east-1. */
    pipelineRegion: globalRegion.default("us-east-1"),
    /** China Region the China deploy actions target; default cn-north-1. */
    chinaRegion: chinaRegion.default("cn-north-1"),
    /** Environments in pipeline order; default dev, stage, prod (approval before prod). */
    environments: z
      .array(environment)
      .min(1, { error: "must list at least one environment" })
      .default([
        { name: "dev", china: true, approval: false },
        { name: "stage", china: true, approval: false },
        { name: "prod", china: true, approval: true },
      ]),
    /** Where the application's source lives; default a CodeCommit repository. */
    source: source.default({ type: "codecommit", repositoryName: "silkroute-app", branch: "main" }),
    /**
     * Preview the China target in pull requests too, against an empty stack
     * (what a fresh deploy would create); default false. Pull-request code then
     * runs with the China deploy key, so it is opt-in; it never reads a China
     * stack's state.
     */
    previewChina: flag.default(false),
    /** CodeBuild image for every project; default aws/codebuild/standard:7.0. */
    codeBuildImage: z.string().min(1).default("aws/codebuild/standard:7.0"),
    /** Pulumi CLI version the buildspecs install; default 3.248.0. */
    pulumiVersion: z
      .string()
      .regex(PULUMI_VERSION, { error: "must be a version such as 3.248.0" })
      .default(DEFAULT_PULUMI_VERSION),
    /**
     * SHA-256 of pulumi-v<pulumiVersion>-linux-x64.tar.gz, which the buildspecs
     * check the CLI archive against; default: the one known for the default
     * version, required with any other.
     */
    pulumiSha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, { error: "must be a SHA-256: 64 hexadecimal characters" })
      .transform((sha) => sha.toLowerCase())
      .optional(),
    /** Days pipeline artifacts (source and build zips) are kept; default 30. */
    artifactRetentionDays: z.coerce
      .number({ error: "must be a whole number of days" })
      .int({ error: "must be a whole number of days" })
      .min(1, { error: "must be at least 1 day" })
      .max(3650, { error: "must be at most 3650 days" })
      .default(30),
    /**
     * Code versions kept per environment and artifact bucket, newest first,
     * so an earlier one can be deployed again; default 10.
     */
    appVersionsKept: z.coerce
      .number({ error: "must be a whole number of versions" })
      .int({ error: "must be a whole number of versions" })
      .min(1, { error: "must keep at least 1 version (the deployed one)" })
      .max(1000, { error: "must be at most 1000 versions" })
      .default(10),
    /** Days noncurrent object versions are kept in every bucket; default 90. */
    noncurrentVersionDays,
    /** Days the buckets' server access logs are kept in each Region's log bucket; default 365. */
    accessLogRetentionDays,
    /** CodeBuild log retention in days; default 365. */
    logRetentionDays: z.coerce
      .number({ error: "must be a whole number of days" })
      .refine((d) => LOG_RETENTION_DAYS.includes(d), {
        error: `must be one of ${LOG_RETENTION_DAYS.join(", ")} (what CloudWatch Logs accepts)`,
      })
      .default(365),
    ssmParameters: seedParameters.default(seedParameters.parse({})),
    /** Scheduled drift and key-age checks, and scheduled key rotation (docs/operations.md). */
    operations: operationsSchema.default(operationsSchema.parse({})),
    /** Who the notifications topic tells about failed runs, drift and old keys. */
    notifications: notificationsSchema.default(notificationsSchema.parse({})),
    /**
     * The app the pipeline deploys: a Pulumi program module or a
     * CloudFormation template, what it manages and what its functions call;
     * default the sample app.
     */
    app: appConfigSchema.optional(),
  })
  .superRefine(uniqueEnvironmentNames)
  .superRefine(environmentNamesApart)
  .superRefine(ssmNamesApart)
  .superRefine(prefixApartFromFolders)
  .superRefine(crossAccountRolesApart)
  .superRefine(appPrefixesFit)
  .superRefine((cfg, ctx) => {
    if (cfg.operations.rotation && !cfg.environments.some((e) => e.china)) {
      ctx.addIssue({
        code: "custom",
        path: ["operations", "rotation"],
        input: "true",
        params: { example: "false" },
        message:
          "needs an environment that deploys to China: no environment has china: true, so there is no deploy key to rotate",
      });
    }
  })
  .superRefine((cfg, ctx) => {
    const known = PULUMI_SHA256[cfg.pulumiVersion] !== undefined;
    if (cfg.pulumiSha256 === undefined && !known && PULUMI_VERSION.test(cfg.pulumiVersion)) {
      ctx.addIssue({
        code: "custom",
        path: ["pulumiSha256"],
        message: `needed with pulumiVersion ${cfg.pulumiVersion}: silkroute knows the SHA-256 of ${Object.keys(PULUMI_SHA256).join(", ")} only`,
      });
    }
  });

export type GlobalConfig = z.output<typeof globalConfigSchema>;

/** An environment with its defaults resolved. */
export interface Environment {
  readonly name: string;
  readonly globalRegions: readonly string[];
  readonly china: boolean;
  readonly approval: boolean;
  readonly crossAccount?: {
    readonly accountId: string;
    readonly roleName: string;
    readonly parameterName: string;
  };
  readonly chinaParameterPrefix: string;
}

/**
 * Values a fix command may set, per key: a safe value, values to try in
 * order, or a Placeholder where no value is safe to suggest (fix.ts).
 */
export const GLOBAL_CONFIG_EXAMPLES: Examples = {
  prefix: "silkroute",
  pipelineRegion: globalRegionSuggestions,
  "environments[].name": envNameSuggestions,
  "environments[].globalRegions[]": globalRegionSuggestions,
  "environments[].crossAccount.accountId": ACCOUNT_ID,
  "environments[].crossAccount.roleName": {
    placeholder: "<role-name>",
    what: "the name of the role this environment's deploy assumes in that account",
  },
  "environments[].crossAccount.parameterName": ({ entry }) => [
    defaultCrossAccountParameter(String(entry?.name ?? "")),
  ],
  "environments[].chinaParameterPrefix": ({ entry }) => [
    defaultChinaParameterPrefix(String(entry?.name ?? "")),
  ],
  "source.repository": { placeholder: "<owner>/<repo>", what: "the GitHub repository" },
  "source.tokenSecretArn": {
    placeholder: "<secret-name-or-arn>",
    what: "the Secrets Manager secret holding the GitHub token",
  },
  codeBuildImage: "aws/codebuild/standard:7.0",
  pulumiVersion: DEFAULT_PULUMI_VERSION,
  // The SHA-256 known for the version configured; none is safe to guess for another version.
  pulumiSha256: ({ config }) => {
    const version = String(config.pulumiVersion ?? DEFAULT_PULUMI_VERSION);
    return [PULUMI_SHA256[version] ?? pulumiShaPlaceholder(version)];
  },
  artifactRetentionDays: "30",
  appVersionsKept: "10",
  noncurrentVersionDays: "90",
  accessLogRetentionDays: "365",
  // The value CloudWatch Logs accepts nearest the one given; the default for no number.
  logRetentionDays: ({ received }) => {
    const days = received === "" ? NaN : Number(received);
    if (Number.isNaN(days)) return [];
    return [...LOG_RETENTION_DAYS].sort((a, b) => Math.abs(a - days) - Math.abs(b - days) || a - b);
  },
  ...OPERATIONS_EXAMPLES,
  // The user's own files: no path is safe to guess.
  "app.program": {
    placeholder: "<program.ts>",
    what: "the path of the app's program module (.ts, .js or .cjs) in the project",
    sample: "app.ts",
  },
  "app.cloudformation.template": {
    placeholder: "<template.yaml>",
    what: "the path of the app's template in the project",
    sample: "template.yaml",
  },
  // Any parameter's value (its name is the template's): a string, or a number CloudFormation reads.
  "app.cloudformation.parameters.<name>": PARAMETER_EXAMPLE,
  "app.cloudformation.capabilities[]": "CAPABILITY_IAM",
  "app.manages[]": "queue",
  "app.functionsUse[]": "queue",
};

function pulumiShaPlaceholder(version: string): Placeholder {
  return {
    placeholder: "<sha256>",
    what: `the SHA-256 of pulumi-v${version}-linux-x64.tar.gz, as pulumi-${version}-checksums.txt of the Pulumi release lists it,`,
  };
}

/** Reads and validates the global stack's config once. */
export function loadGlobalConfig(config?: ConfigSource) {
  const cfg = readConfig(globalConfigSchema, GLOBAL_CONFIG_EXAMPLES, "global", config);
  const [first, ...rest] = cfg.environments.map((env): Environment => ({
    ...env,
    globalRegions: env.globalRegions ?? [cfg.pipelineRegion],
    crossAccount: env.crossAccount && {
      ...env.crossAccount,
      parameterName: env.crossAccount.parameterName ?? defaultCrossAccountParameter(env.name),
    },
    chinaParameterPrefix: env.chinaParameterPrefix ?? defaultChinaParameterPrefix(env.name),
  }));
  // The schema asks for one; typed so, `environments[0]` (the preview's and the seed's) is one.
  if (first === undefined)
    throw new Error("silkroute:environments must list at least one environment");
  const environments: [Environment, ...Environment[]] = [first, ...rest];
  return {
    ...cfg,
    // The schema refuses a version without a known or configured SHA-256.
    pulumiSha256:
      cfg.pulumiSha256 ?? entryOf(PULUMI_SHA256, cfg.pulumiVersion, "the SHA-256 of Pulumi"),
    environments,
    app: resolveApp(cfg.app),
  };
}

export type ResolvedGlobalConfig = ReturnType<typeof loadGlobalConfig>;

/** Every Region the pipeline runs deploy actions in: the pipeline Region first. */
export function deployRegions(cfg: ResolvedGlobalConfig): string[] {
  const regions = new Set([cfg.pipelineRegion]);
  for (const env of cfg.environments) env.globalRegions.forEach((r) => regions.add(r));
  return [...regions];
}
