import * as z from "zod/mini";
import { codeBuildEnum } from "../../components/codeBuildEnums";
import { BUILD_STATE_CHANGE } from "../../components/commenterContract";
import { PR_RESULT_ARCHIVE, PR_RESULT_FOLDER } from "../../components/naming";
import type { BuildPhase } from "../comments/failure";
import { PR_VARIABLES } from "../comments/source";
import type { CommenterConfig } from "./config";

// From the SDK's own enums, kept as generated JSON: the poster's bundle carries no CodeBuild
// client (components/commenterBundle.ts).
const SUCCEEDED = codeBuildEnum("StatusType", "SUCCEEDED");
const UPLOAD_ARTIFACTS = codeBuildEnum("BuildPhaseType", "UPLOAD_ARTIFACTS");

const variable = z.object({ name: z.string(), value: z.string(), type: z.optional(z.string()) });
const phase = z.object({
  "phase-type": z.string(),
  "phase-status": z.optional(z.string()),
  "phase-context": z.optional(z.array(z.string())),
});

// Loose: the event carries more than the poster reads, and AWS adds fields.
const eventSchema = z.looseObject({
  source: z.literal("aws.codebuild"),
  "detail-type": z.literal(BUILD_STATE_CHANGE),
  detail: z.looseObject({
    "build-status": z.string(),
    "project-name": z.string(),
    "build-id": z.string(),
    "current-phase": z.optional(z.string()),
    "additional-information": z.optional(
      z.looseObject({
        environment: z.optional(
          z.looseObject({ "environment-variables": z.optional(z.array(variable)) }),
        ),
        "source-version": z.optional(z.string()),
        artifact: z.optional(
          z.looseObject({ location: z.optional(z.string()), sha256sum: z.optional(z.string()) }),
        ),
        logs: z.optional(z.looseObject({ "deep-link": z.optional(z.string()) })),
        phases: z.optional(z.array(phase)),
      }),
    ),
  }),
});

/** What the poster reads from a build's end: all of it set by CodeBuild or the PR trigger. */
export interface BuildEnd {
  readonly status: string;
  readonly projectName: string;
  /** `<project>:<uuid>`. */
  readonly buildId: string;
  /** The build's PLAINTEXT environment variables, overrides included. */
  readonly variables: Readonly<Record<string, string>>;
  readonly sourceVersion?: string;
  /** S3 ARN of the build's artifact (the result archive). */
  readonly artifactLocation?: string;
  /**
   * SHA-256 of the archive CodeBuild uploaded, as CodeBuild computed it
   * (only with ZIP packaging): the object the poster reads must have it.
   */
  readonly artifactSha256?: string;
  /** The CloudWatch Logs console link of the build's log. */
  readonly logsUrl?: string;
  /** The first phase that did not succeed. */
  readonly failedPhase?: BuildPhase;
  /** CodeBuild uploaded the build's artifacts: only then can there be a result. */
  readonly uploaded: boolean;
}

/** The build's end from a CodeBuild Build State Change event; anything else is an Error. */
export function parseBuildEnd(event: unknown): BuildEnd {
  const parsed = eventSchema.safeParse(event);
  if (!parsed.success) {
    throw new Error(`not a ${BUILD_STATE_CHANGE} event from aws.codebuild`);
  }
  const detail = parsed.data.detail;
  const info = detail["additional-information"] ?? {};
  const variables = Object.fromEntries(
    (info.environment?.["environment-variables"] ?? [])
      .filter((v) => (v.type ?? "PLAINTEXT") === "PLAINTEXT")
      .map((v) => [v.name, v.value]),
  );
  const failed = (info.phases ?? []).find(
    (p) => p["phase-status"] !== undefined && p["phase-status"] !== SUCCEEDED,
  );
  const current = detail["current-phase"];
  const failedPhase: BuildPhase | undefined = failed
    ? {
        type: failed["phase-type"],
        status: failed["phase-status"] ?? detail["build-status"],
        context: failed["phase-context"] ?? [],
      }
    : detail["build-status"] !== SUCCEEDED && current !== undefined
      ? { type: current, status: detail["build-status"], context: [] }
      : undefined;
  return {
    status: detail["build-status"],
    projectName: detail["project-name"],
    // The ARN's resource is `build/<project>:<uuid>`; a bare id has no `build/`.
    buildId: detail["build-id"].replace(/^.*:build\//, ""),
    variables,
    sourceVersion: info["source-version"],
    artifactLocation: info.artifact?.location,
    artifactSha256: info.artifact?.sha256sum,
    logsUrl: info.logs?.["deep-link"],
    failedPhase,
    uploaded: (info.phases ?? []).some(
      (p) => p["phase-type"] === UPLOAD_ARTIFACTS && p["phase-status"] === SUCCEEDED,
    ),
  };
}

/** A pull request to comment on, or why this build has none. */
export type PullRequest =
  | {
      readonly ok: true;
      readonly pr: string;
      /** The commit previewed (CodeCommit: the PR's source commit). */
      readonly commit?: string;
      /** CodeCommit: the destination commit (the comment's beforeCommitId). */
      readonly destinationCommit?: string;
    }
  | { readonly ok: false; readonly reason: string };

const PR_NUMBER = /^[1-9][0-9]{0,9}$/;
const COMMIT = /^[0-9a-f]{40}$/;

/**
 * The pull request a build previewed, from what started the build: the PR
 * trigger's variable overrides (CodeCommit) or the webhook's source version
 * `pr/<n>` (GitHub). The repository is the configured one; a build of another
 * repository, or one no pull request started, gets no comment.
 */
export function pullRequestOf(build: BuildEnd, config: CommenterConfig): PullRequest {
  if (config.provider === "github") {
    const match = /^pr\/([1-9][0-9]{0,9})$/.exec(build.sourceVersion ?? "");
    return match
      ? { ok: true, pr: match[1]! }
      : { ok: false, reason: `source version ${build.sourceVersion ?? "none"} is no pull request` };
  }
  const v = build.variables;
  const repository = v[PR_VARIABLES.repository];
  if (repository !== config.repository) {
    return {
      ok: false,
      reason: `the build is for repository ${repository ?? "none"}, not ${config.repository}`,
    };
  }
  const pr = v[PR_VARIABLES.pr] ?? "";
  const commit = v[PR_VARIABLES.sourceCommit] ?? "";
  const destinationCommit = v[PR_VARIABLES.destinationCommit] ?? "";
  if (!PR_NUMBER.test(pr) || !COMMIT.test(commit) || !COMMIT.test(destinationCommit)) {
    return {
      ok: false,
      reason: `the build has no pull request id and commits (${PR_VARIABLES.pr}, ${PR_VARIABLES.sourceCommit}, ${PR_VARIABLES.destinationCommit}) from the PR trigger`,
    };
  }
  return { ok: true, pr, commit, destinationCommit };
}

/**
 * The S3 key of the build's result archive: the artifact location of its
 * event when that is exactly this build's archive under PR_RESULT_FOLDER of
 * the configured bucket (CodeBuild's BUILD_ID namespace names the folder by
 * the build id), or that archive when the event names no location.
 * Undefined when the location is anything else.
 */
export function resultKeyOf(build: BuildEnd, bucket: string): string | undefined {
  const uuid = build.buildId.split(":").pop();
  const own = [uuid, build.buildId].map((id) => `${PR_RESULT_FOLDER}${id}/${PR_RESULT_ARCHIVE}`);
  if (build.artifactLocation === undefined) return own[0];
  const match = /^arn:[a-z-]+:s3:::([^/]+)\/(.+)$/.exec(build.artifactLocation);
  const [, matchBucket, key] = match ?? [];
  if (matchBucket !== bucket || key === undefined || !own.includes(key)) return undefined;
  return key;
}
