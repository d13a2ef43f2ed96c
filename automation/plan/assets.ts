import * as pulumi from "@pulumi/pulumi";
import * as path from "path";

/** How an asset or archive input reads in a plan: what it is and where from. */
export type AssetDescription =
  | { readonly fileArchive: string }
  | { readonly fileAsset: string }
  | { readonly stringAsset: string }
  | { readonly remote: string }
  | { readonly assetArchive: Record<string, unknown> };

/**
 * Deep copy with every Pulumi asset or archive replaced by a description of
 * it (their paths are promises, which JSON renders as `{}`). File paths are
 * shown relative to the working folder.
 */
export async function describeAssets(value: unknown): Promise<unknown> {
  if (isAsset(value)) return describe(value as pulumi.asset.Asset | pulumi.asset.Archive);
  if (Array.isArray(value)) return Promise.all(value.map(describeAssets));
  if (typeof value === "object" && value !== null) {
    const entries = await Promise.all(
      Object.entries(value).map(async ([k, v]) => [k, await describeAssets(v)] as const),
    );
    return Object.fromEntries(entries);
  }
  return value;
}

async function describe(
  value: pulumi.asset.Asset | pulumi.asset.Archive,
): Promise<AssetDescription> {
  const file = async (p: Promise<string> | undefined) =>
    path.relative(process.cwd(), (await p) ?? "");
  if (value instanceof pulumi.asset.FileArchive) return { fileArchive: await file(value.path) };
  if (value instanceof pulumi.asset.FileAsset) return { fileAsset: await file(value.path) };
  if (value instanceof pulumi.asset.StringAsset) {
    return { stringAsset: `${((await value.text) ?? "").length} characters` };
  }
  if (value instanceof pulumi.asset.AssetArchive) {
    return { assetArchive: (await describeAssets(await value.assets)) as Record<string, unknown> };
  }
  const remote = value as { uri?: Promise<string> };
  return { remote: (await remote.uri) ?? "" };
}

/** Whether a value holds an asset or archive anywhere (most inputs do not). */
export function hasAssets(value: unknown): boolean {
  if (isAsset(value)) return true;
  if (Array.isArray(value)) return value.some(hasAssets);
  if (typeof value === "object" && value !== null) return Object.values(value).some(hasAssets);
  return false;
}

// Not a type guard: the SDK's guards take `any` and would narrow `unknown` to never.
function isAsset(value: unknown): boolean {
  return pulumi.asset.Asset.isInstance(value) || pulumi.asset.Archive.isInstance(value);
}
