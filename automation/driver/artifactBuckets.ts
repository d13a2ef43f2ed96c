import { CliError, ExitCode } from "../exitCodes";

/** The environment variable a deploy-global project sets to its own Region's artifact bucket. */
export const ARTIFACT_BUCKET_VARIABLE = "SILKROUTE_ARTIFACT_BUCKET";

const BUCKET = /^[a-z0-9][a-z0-9.-]{0,62}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** Where each selected global Region's artifact bucket comes from. */
export interface ArtifactBucketPlan {
  /** Buckets named by a flag or SILKROUTE_ARTIFACT_BUCKET, per Region. */
  readonly given: Readonly<Record<string, string>>;
  /** The Region left to the SSM parameter (the pipeline Region's bucket), if any. */
  readonly fromParameter?: string;
}

const HOW = "the global stack exports them: pulumi stack output artifactBuckets --stack global";

/**
 * Resolves the artifact bucket of every selected global Region without any
 * AWS call. The bucket must be in the Region of the function that reads its
 * code, so one bucket cannot serve several Regions:
 * - `--artifact-bucket <region>=<bucket>` (repeatable) names a Region's bucket;
 * - a plain `--artifact-bucket <bucket>` or SILKROUTE_ARTIFACT_BUCKET (what a
 *   deploy-global project sets) is taken only when ONE global Region is selected;
 * - SILKROUTE_ARTIFACT_BUCKET may also be a list, `<region>=<bucket>,…` (what
 *   the pr-preview project sets): Regions not selected are ignored;
 * - else the pipeline Region's bucket comes from the SSM parameter
 *   (ssmParameters.deploymentBucket); any other Region is a usage error.
 */
export function planArtifactBuckets(
  regions: readonly string[],
  envRegions: readonly string[],
  pipelineRegion: string,
  flags: readonly string[],
  variable: string | undefined,
): ArtifactBucketPlan {
  const given: Record<string, string> = {};
  const plain: string[] = [];
  for (const raw of flags) {
    const value = raw.trim();
    const eq = value.indexOf("=");
    if (eq < 0) {
      plain.push(checkBucket(value, `--artifact-bucket ${value}`));
      continue;
    }
    const region = value.slice(0, eq).trim();
    const bucket = checkBucket(value.slice(eq + 1).trim(), `--artifact-bucket ${value}`);
    if (!REGION.test(region) || !envRegions.includes(region)) {
      throw new CliError(
        `--artifact-bucket ${value}: ${JSON.stringify(region)} is not a global Region of the environment; use <region>=<bucket> with one of: ${envRegions.join(", ")}`,
        ExitCode.Usage,
      );
    }
    if (given[region] !== undefined && given[region] !== bucket) {
      throw new CliError(
        `--artifact-bucket names two buckets for ${region} (${given[region]}, ${bucket}); give one`,
        ExitCode.Usage,
      );
    }
    given[region] = bucket;
  }
  if (plain.length > 1) {
    throw new CliError(
      `--artifact-bucket without a Region was given ${plain.length} times; name each Region's bucket with --artifact-bucket <region>=<bucket>`,
      ExitCode.Usage,
    );
  }
  const single = regions.length === 1 ? regions[0] : undefined;
  const [bucket] = plain;
  if (plain.length === 1 && bucket !== undefined) {
    if (single === undefined) throw ambiguous(`--artifact-bucket ${bucket}`, regions);
    given[single] = given[single] ?? bucket;
  }
  const envValue = variable?.trim() ?? "";
  if (envValue.includes("=")) {
    // The list form, `<region>=<bucket>,…` (pr-preview's project variable): flags win per Region.
    for (const entry of envValue
      .split(",")
      .map((e) => e.trim())
      .filter((e) => e !== "")) {
      const eq = entry.indexOf("=");
      const region = entry.slice(0, Math.max(eq, 0)).trim();
      if (eq < 0 || !REGION.test(region)) {
        throw new CliError(
          `${ARTIFACT_BUCKET_VARIABLE}: ${JSON.stringify(entry)} is not <region>=<bucket>; set one bucket, or <region>=<bucket>,… for several Regions`,
          ExitCode.Usage,
        );
      }
      const bucket = checkBucket(
        entry.slice(eq + 1).trim(),
        `${ARTIFACT_BUCKET_VARIABLE} ${entry}`,
      );
      if (regions.includes(region)) given[region] = given[region] ?? bucket;
    }
  }
  const missing = regions.filter((r) => given[r] === undefined);
  if (envValue !== "" && !envValue.includes("=") && missing.length > 0) {
    if (single === undefined) throw ambiguous(ARTIFACT_BUCKET_VARIABLE, regions);
    given[single] = checkBucket(envValue, ARTIFACT_BUCKET_VARIABLE);
  }
  const left = regions.filter((r) => given[r] === undefined);
  const others = left.filter((r) => r !== pipelineRegion);
  if (others.length > 0) {
    throw new CliError(
      `no artifact bucket for ${others.join(", ")}: the SSM parameter holds the pipeline Region's (${pipelineRegion}) only; pass ${others.map((r) => `--artifact-bucket ${r}=<bucket>`).join(" ")} (${HOW})`,
      ExitCode.Usage,
    );
  }
  const picked = Object.fromEntries(regions.flatMap((r) => (given[r] ? [[r, given[r]]] : [])));
  return { given: picked, ...(left.length === 1 && { fromParameter: left[0] }) };
}

function ambiguous(source: string, regions: readonly string[]): CliError {
  return new CliError(
    `${source} names one artifact bucket but ${regions.length} global Regions are selected (${regions.join(", ")}), and each needs the bucket in its own Region; pass ${regions.map((r) => `--artifact-bucket ${r}=<bucket>`).join(" ")}, or set ${ARTIFACT_BUCKET_VARIABLE}=<region>=<bucket>,… (${HOW})`,
    ExitCode.Usage,
  );
}

function checkBucket(bucket: string, source: string): string {
  if (!BUCKET.test(bucket)) {
    throw new CliError(
      `${source}: ${JSON.stringify(bucket)} is not an S3 bucket name; use --artifact-bucket <bucket> or <region>=<bucket>`,
      ExitCode.Usage,
    );
  }
  return bucket;
}
