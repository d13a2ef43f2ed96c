import SDK_ENUMS from "./sdkEnums.json";

/*
 * CodeBuild enum values from the generated sdkEnums.json, for code outside the
 * aws-enum-values rule. A module of its own, importing nothing but the data:
 * the global stack's program loads it (through the PR comment poster's event
 * rule) while the policy rules are still loading, and an import cycle would
 * leave it undefined there.
 */

/**
 * The enums other code reads besides the fields the rule checks: the PR comment
 * poster's event rule (build statuses, phases) and the pr-code-holds-no-secret
 * rule (source and variable types).
 */
export const OTHER_ENUMS = {
  "@aws-sdk/client-codebuild": [
    "ArtifactPackaging",
    "ArtifactsType",
    "BuildPhaseType",
    "EnvironmentVariableType",
    "SourceAuthType",
    "SourceType",
    "StatusType",
  ],
} as const;

type OtherEnum = (typeof OTHER_ENUMS)["@aws-sdk/client-codebuild"][number];

/**
 * A CodeBuild enum's values, or one value checked against them (a typo fails
 * at load, not in AWS), from the generated JSON: no SDK client is loaded.
 */
export function codeBuildEnum(name: OtherEnum): readonly string[];
export function codeBuildEnum(name: OtherEnum, value: string): string;
export function codeBuildEnum(name: OtherEnum, value?: string): readonly string[] | string {
  const values: readonly string[] = SDK_ENUMS["@aws-sdk/client-codebuild"][name];
  if (value === undefined) return values;
  if (!values.includes(value)) throw new Error(`${value} is not a CodeBuild ${name}`);
  return value;
}
