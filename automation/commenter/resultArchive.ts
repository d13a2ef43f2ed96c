import { unzipSync } from "fflate";
import { createHash } from "node:crypto";
import { PR_RESULT_FILE } from "../../components/naming";

/**
 * The most the poster reads of a result archive: a result document of
 * `resultBytes` bytes, stored or deflated, plus room for the zip's headers
 * (deflate grows incompressible data by a few bytes per 16 KiB block).
 */
export function archiveLimit(resultBytes: number): number {
  return resultBytes + 65_536;
}

/** The result document in an archive, or why the poster does not trust or cannot read it. */
export type OpenedArchive =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly reason: string; readonly detail?: string };

const SHA256 = /^[0-9a-f]{64}$/i;

/**
 * Opens the archive CodeBuild uploaded as a pr-preview build's artifact. The
 * folder it is in is writable by every pr-preview build, so the bytes count
 * only when their SHA-256 is the one CodeBuild put in the build's event;
 * then the one result file is inflated, at most `maxBytes` of it (its size
 * in the archive's directory, which CodeBuild wrote, must be within that).
 * Reasons never quote the archive; `detail` (hashes only) is for the log.
 */
export function openResultArchive(
  archive: Uint8Array,
  expectedSha256: string | undefined,
  maxBytes: number,
): OpenedArchive {
  if (expectedSha256 === undefined || !SHA256.test(expectedSha256)) {
    return {
      ok: false,
      reason:
        "the build's event carries no SHA-256 of its result archive, so the result is not trusted",
    };
  }
  const actual = createHash("sha256").update(archive).digest("hex");
  if (actual !== expectedSha256.toLowerCase()) {
    return {
      ok: false,
      reason:
        "the result archive is not the one the build uploaded (its SHA-256 differs from the build's event): something replaced it after the build",
      detail: `SHA-256 ${actual}, the event says ${expectedSha256.toLowerCase()}`,
    };
  }
  let tooLarge = false;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(archive, {
      filter: (file) => {
        if (file.name !== PR_RESULT_FILE) return false;
        tooLarge ||= file.originalSize > maxBytes;
        return !tooLarge;
      },
    });
  } catch {
    return { ok: false, reason: "the result archive is not a zip archive the poster can read" };
  }
  if (tooLarge) {
    return {
      ok: false,
      reason: `the result is larger than the ${maxBytes.toLocaleString("en-US")} bytes the poster reads`,
    };
  }
  const file = files[PR_RESULT_FILE];
  if (file === undefined) {
    return { ok: false, reason: `the result archive holds no ${PR_RESULT_FILE}` };
  }
  return { ok: true, text: Buffer.from(file).toString("utf8") };
}
