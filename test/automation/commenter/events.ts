import { GetObjectCommand, NoSuchKey, S3Client } from "@aws-sdk/client-s3";
import { AwsClientStub } from "aws-sdk-client-mock";
import { zipSync } from "fflate";
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { PR_RESULT_FILE } from "../../../components/naming";

/*
 * CodeBuild Build State Change events shaped as CodeBuild sends them (the
 * "Build notifications input format reference" of the CodeBuild user guide):
 * the build ARN, the project's and the trigger's environment variables, the
 * source version, the artifact location and SHA-256 (ZIP packaging), the log's
 * deep link and every phase.
 */

export const REGION = "us-east-1";
export const ACCOUNT = "123456789012";
export const PROJECT = "silkroute-pr-preview";
export const BUCKET = "silkroute-artifacts-us-east-1-0a1b2c3";
export const UUID = "8745a7a9-c340-456a-9166-edf953571bee";
export const BUILD_ID = `${PROJECT}:${UUID}`;
export const RESULT_KEY = `pr-preview-results/${UUID}/preview-result.zip`;
export const DEEP_LINK = `https://console.aws.amazon.com/cloudwatch/home?region=${REGION}#logEvent:group=/silkroute/codebuild/${PROJECT};stream=${UUID}`;
export const SOURCE_COMMIT = "a".repeat(40);
export const DESTINATION_COMMIT = "b".repeat(40);

const PHASES = [
  "SUBMITTED",
  "QUEUED",
  "PROVISIONING",
  "DOWNLOAD_SOURCE",
  "INSTALL",
  "PRE_BUILD",
  "BUILD",
  "POST_BUILD",
  "UPLOAD_ARTIFACTS",
  "FINALIZING",
] as const;
type Phase = (typeof PHASES)[number];

export interface BuildEventOptions {
  readonly status?: string;
  /** The phase that failed, with its status (default FAILED) and CodeBuild's context messages. */
  readonly failedIn?: { phase: Phase; status?: string; context?: string[] };
  readonly variables?: { name: string; value: string; type?: string }[];
  readonly sourceVersion?: string;
  /** S3 ARN of the artifact (the result archive); null for none. */
  readonly artifactLocation?: string | null;
  /** The artifact's SHA-256 as CodeBuild reports it. @default none */
  readonly artifactSha256?: string;
  readonly project?: string;
}

/**
 * The phases CodeBuild reports. A FAILED BUILD still runs POST_BUILD and
 * UPLOAD_ARTIFACTS ("always attempted, even if the BUILD phase fails"); any
 * other failure goes straight to FINALIZING.
 */
function phases(o: BuildEventOptions) {
  const failedAt = o.failedIn ? PHASES.indexOf(o.failedIn.phase) : -1;
  const status = o.failedIn?.status ?? "FAILED";
  const uploadsAfter = o.failedIn?.phase === "BUILD" && status === "FAILED";
  return PHASES.flatMap((type, i) => {
    if (failedAt >= 0 && i > failedAt && type !== "FINALIZING") {
      if (!uploadsAfter) return [];
    }
    const failed = i === failedAt;
    return [
      {
        "phase-context": failed ? (o.failedIn?.context ?? []) : [],
        "start-time": "Nov 26, 2026 6:00:00 AM",
        "end-time": "Nov 26, 2026 6:00:05 AM",
        "duration-in-seconds": 5,
        "phase-type": type,
        "phase-status": failed ? status : "SUCCEEDED",
      },
    ];
  });
}

/** A build-end event of the pr-preview project (SUCCEEDED unless told otherwise). */
export function buildEvent(o: BuildEventOptions = {}) {
  const project = o.project ?? PROJECT;
  const buildArn = `arn:aws:codebuild:${REGION}:${ACCOUNT}:build/${project}:${UUID}`;
  const location =
    o.artifactLocation === undefined ? `arn:aws:s3:::${BUCKET}/${RESULT_KEY}` : o.artifactLocation;
  return {
    version: "0",
    id: "c030038d-8c4d-6141-9545-00ff7b7153ee",
    "detail-type": "CodeBuild Build State Change",
    source: "aws.codebuild",
    account: ACCOUNT,
    time: "2026-11-26T06:01:00Z",
    region: REGION,
    resources: [buildArn],
    detail: {
      "build-status": o.status ?? "SUCCEEDED",
      "project-name": project,
      "build-id": buildArn,
      "additional-information": {
        ...(location === null
          ? {}
          : {
              artifact: {
                location,
                ...(o.artifactSha256 === undefined ? {} : { sha256sum: o.artifactSha256 }),
              },
            }),
        environment: {
          image: "aws/codebuild/standard:7.0",
          "privileged-mode": false,
          "compute-type": "BUILD_GENERAL1_SMALL",
          type: "LINUX_CONTAINER",
          "environment-variables": [
            { name: "PIPELINE_REGION", value: REGION, type: "PLAINTEXT" },
            { name: "SILKROUTE_ENV", value: "dev", type: "PLAINTEXT" },
            ...(o.variables ?? []),
          ],
        },
        "timeout-in-minutes": 60,
        "build-complete": true,
        initiator: "GitHub-Hookshot/abc123",
        "build-start-time": "Nov 26, 2026 6:00:00 AM",
        source: { type: "GITHUB", location: "https://github.com/octo/app.git" },
        ...(o.sourceVersion === undefined ? {} : { "source-version": o.sourceVersion }),
        logs: {
          "group-name": `/silkroute/codebuild/${project}`,
          "stream-name": UUID,
          "deep-link": DEEP_LINK,
        },
        phases: phases(o),
      },
      "current-phase": "COMPLETED",
      "current-phase-context": "[: ]",
      version: "1",
    },
  };
}

/** The variables the CodeCommit PR trigger's input transformer sets on the build. */
export function codeCommitTriggerVariables(pr = "12", repository = "silkroute-app") {
  return [
    { name: "SILKROUTE_PR", value: pr, type: "PLAINTEXT" },
    { name: "SILKROUTE_REPOSITORY", value: repository, type: "PLAINTEXT" },
    { name: "SILKROUTE_SOURCE_COMMIT", value: SOURCE_COMMIT, type: "PLAINTEXT" },
    { name: "SILKROUTE_DESTINATION_COMMIT", value: DESTINATION_COMMIT, type: "PLAINTEXT" },
  ];
}

/**
 * A test double of S3 GetObject over `objects`: answers NoSuchKey for a key it
 * does not hold, and honours the Range header unless `ignoreRange` (so a test
 * can show that the poster bounds what it reads by itself).
 */
export function serveObjects(
  s3: AwsClientStub<S3Client>,
  objects: Record<string, string | Buffer>,
  options: { ignoreRange?: boolean } = {},
): { bytesSent: () => number } {
  let sent = 0;
  s3.on(GetObjectCommand).callsFake((input: { Bucket: string; Key: string; Range?: string }) => {
    const object = input.Bucket === BUCKET ? objects[input.Key] : undefined;
    if (object === undefined) {
      throw new NoSuchKey({ message: "The specified key does not exist.", $metadata: {} });
    }
    const all = Buffer.from(object);
    const range = /^bytes=0-(\d+)$/.exec(input.Range ?? "");
    const end =
      range && !options.ignoreRange ? Math.min(all.length, Number(range[1]) + 1) : all.length;
    const body = all.subarray(0, end);
    // 64 KiB chunks, as a socket delivers them; count what the poster actually pulls.
    const chunks = Array.from({ length: Math.ceil(body.length / 65_536) }, (_, i) =>
      body.subarray(i * 65_536, (i + 1) * 65_536),
    );
    const stream = Readable.from(
      (function* () {
        for (const chunk of chunks) {
          sent += chunk.length;
          yield chunk;
        }
      })(),
    );
    return {
      Body: stream,
      ContentLength: body.length,
      ...(range && !options.ignoreRange
        ? { ContentRange: `bytes 0-${end - 1}/${all.length}` }
        : {}),
    };
  });
  return { bytesSent: () => sent };
}

/** The SHA-256 of some bytes, in hexadecimal as CodeBuild reports an artifact's. */
export const sha256Of = (bytes: Uint8Array): string =>
  createHash("sha256").update(bytes).digest("hex");

/**
 * A result archive as CodeBuild packs the artifact with ZIP packaging: the
 * file at the root, deflated (zipped by fflate, a real zip writer).
 */
export function resultArchive(
  files: string | Buffer | Record<string, string | Buffer> = {},
): Buffer {
  const entries =
    typeof files === "string" || Buffer.isBuffer(files) ? { [PR_RESULT_FILE]: files } : files;
  return Buffer.from(
    zipSync(
      Object.fromEntries(
        Object.entries(entries).map(([name, content]) => [
          name,
          new Uint8Array(Buffer.from(content)),
        ]),
      ),
    ),
  );
}

/**
 * Serves `document` zipped as the build's result archive and returns the
 * event fields CodeBuild would report for it (its SHA-256).
 */
export function serveResult(
  s3: AwsClientStub<S3Client>,
  document: string | Buffer,
): { artifactSha256: string } {
  const archive = resultArchive(document);
  serveObjects(s3, { [RESULT_KEY]: archive });
  return { artifactSha256: sha256Of(archive) };
}
