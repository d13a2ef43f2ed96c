import {
  DeleteObjectsCommand,
  ListObjectsV2Command,
  ListObjectsV2CommandOutput,
  S3Client,
} from "@aws-sdk/client-s3";
import type { StaticCredentials } from "../appProgram";
import { AwsClientOverrides, chinaClientConfig, pipelineClientConfig } from "../awsClients";

/** Where one target's app code zips live. */
export interface CodeSite {
  /** The target's artifact bucket. */
  readonly bucket: string;
  /** The environment's folder of zips, `app/<appPrefix>/` (naming.ts appCodeFolder). */
  readonly folder: string;
  /** The sample's key of the version just deployed (`app/<prefix>/<version>.zip`): that version is never deleted. */
  readonly key: string;
  /** The bucket's Region. */
  readonly region: string;
  /** China targets: the deploy key, in memory. @default the default credential chain */
  readonly credentials?: StaticCredentials;
}

export interface StoredObject {
  readonly key: string;
  readonly lastModified: Date;
}

/**
 * The version a key belongs to: `app/<prefix>/<version>.zip` (the sample's
 * zip) or `app/<prefix>/<version>/<artifact>` (an app's uploads and
 * packaged templates), given the environment's folder.
 */
export function versionOf(key: string, folder: string): string {
  const [first = ""] = key.slice(folder.length).split("/");
  return first.replace(/\.zip$/, "");
}

/**
 * The keys to delete so that `keep` versions remain: the deployed one and
 * the newest others (a redeployed older version may not be the newest
 * object). A version's objects go together; a version is as new as its
 * newest object.
 */
export function keysToPrune(
  objects: readonly StoredObject[],
  keep: number,
  deployed: string,
): string[] {
  if (!Number.isInteger(keep) || keep < 1) {
    throw new Error(`keep must be a whole number of versions >= 1, got ${keep}`);
  }
  const folder = deployed.slice(0, deployed.lastIndexOf("/") + 1);
  const current = versionOf(deployed, folder);
  const newest = new Map<string, number>();
  for (const o of objects) {
    const v = versionOf(o.key, folder);
    newest.set(v, Math.max(newest.get(v) ?? 0, o.lastModified.getTime()));
  }
  const others = [...newest.entries()]
    .filter(([v]) => v !== current)
    .sort((a, b) => b[1] - a[1])
    .map(([v]) => v);
  const keptOthers = newest.has(current) ? keep - 1 : keep;
  const doomed = new Set(others.slice(keptOthers));
  return objects.filter((o) => doomed.has(versionOf(o.key, folder))).map((o) => o.key);
}

/** DeleteObjects takes at most this many keys. */
const DELETE_BATCH = 1000;

/**
 * Deletes all but the newest `keep` code zips of one environment in one
 * bucket, never the deployed one, and returns the deleted keys. The buckets
 * are versioned: a deleted zip becomes a noncurrent version, which the
 * bucket's lifecycle removes after silkroute:noncurrentVersionDays.
 */
export async function pruneAppCode(
  site: CodeSite,
  keep: number,
  overrides: AwsClientOverrides = {},
): Promise<string[]> {
  const client = codeClient(site, overrides);
  try {
    const doomed = keysToPrune(await listObjects(client, site), keep, site.key);
    for (let i = 0; i < doomed.length; i += DELETE_BATCH) {
      const batch = doomed.slice(i, i + DELETE_BATCH);
      const result = await client.send(
        new DeleteObjectsCommand({
          Bucket: site.bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      const failed = result.Errors ?? [];
      const [first] = failed;
      if (first !== undefined) {
        throw new Error(
          `${failed.length} of ${batch.length} deletions failed, first ${first.Key}: ${first.Code ?? "error"} ${first.Message ?? ""}`.trim(),
        );
      }
    }
    return doomed;
  } finally {
    client.destroy();
  }
}

/** Every code zip of the environment in one target's bucket. */
export async function listAppCode(
  site: Omit<CodeSite, "key">,
  overrides: AwsClientOverrides = {},
): Promise<StoredObject[]> {
  const client = codeClient(site, overrides);
  try {
    return await listObjects(client, site);
  } finally {
    client.destroy();
  }
}

/**
 * The versions whose zips are kept in a folder, newest first: the key
 * `<folder><version>.zip` names the version (naming.ts appCodeKey).
 */
export function keptVersions(objects: readonly StoredObject[], folder: string): string[] {
  return [...objects]
    .sort((a, b) => b.lastModified.getTime() - a.lastModified.getTime())
    .map((o) => o.key)
    .filter(
      (k) => k.startsWith(folder) && k.endsWith(".zip") && !k.slice(folder.length).includes("/"),
    )
    .map((k) => k.slice(folder.length, -".zip".length));
}

function codeClient(site: Omit<CodeSite, "key">, overrides: AwsClientOverrides): S3Client {
  return new S3Client(
    site.credentials === undefined
      ? pipelineClientConfig(site.region, overrides)
      : chinaClientConfig(site.region, site.credentials, overrides),
  );
}

async function listObjects(client: S3Client, site: Omit<CodeSite, "key">): Promise<StoredObject[]> {
  const objects: StoredObject[] = [];
  let token: string | undefined;
  do {
    const page: ListObjectsV2CommandOutput = await client.send(
      new ListObjectsV2Command({
        Bucket: site.bucket,
        Prefix: site.folder,
        ContinuationToken: token,
      }),
    );
    for (const o of page.Contents ?? []) {
      if (o.Key !== undefined && o.LastModified !== undefined) {
        objects.push({ key: o.Key, lastModified: o.LastModified });
      }
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return objects;
}
