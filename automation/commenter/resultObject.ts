import { GetObjectCommand, NoSuchKey, S3Client } from "@aws-sdk/client-s3";

/** What the poster found where the build's result should be. */
export type ResultObject =
  | { readonly kind: "found"; readonly bytes: Buffer }
  /** S3 refused it: NoSuchKey, or AccessDenied (the poster may not list, so a missing key reads so too). */
  | { readonly kind: "unreadable"; readonly code: string }
  | { readonly kind: "too-large"; readonly bytes?: number };

/** The object's full size from `Content-Range: bytes 0-N/TOTAL`, when S3 gave one. */
function totalSize(contentRange: string | undefined): number | undefined {
  const total = /\/(\d+)$/.exec(contentRange ?? "")?.[1];
  return total === undefined ? undefined : Number(total);
}

/**
 * Reads at most `maxBytes` of the result archive: it asks S3 for that range
 * only, and stops reading the body past it whatever S3 sends. NoSuchKey and
 * AccessDenied are "unreadable"; any other error is thrown, for the
 * invocation to be retried.
 */
export async function readResultObject(
  s3: S3Client,
  bucket: string,
  key: string,
  maxBytes: number,
): Promise<ResultObject> {
  let out;
  try {
    out = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${maxBytes}` }),
    );
  } catch (error) {
    const code = error instanceof NoSuchKey ? "NoSuchKey" : (error as { name?: string }).name;
    if (code === "NoSuchKey" || code === "AccessDenied") return { kind: "unreadable", code };
    throw error;
  }
  const body = out.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
  const total = totalSize(out.ContentRange);
  if (total !== undefined && total > maxBytes) {
    body?.destroy?.();
    return { kind: "too-large", bytes: total };
  }
  const chunks: Uint8Array[] = [];
  let read = 0;
  for await (const chunk of body ?? []) {
    read += chunk.byteLength;
    if (read > maxBytes) {
      body?.destroy?.();
      return { kind: "too-large", bytes: total };
    }
    chunks.push(chunk);
  }
  return { kind: "found", bytes: Buffer.concat(chunks) };
}
