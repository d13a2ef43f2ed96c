/* eslint-disable @typescript-eslint/no-require-imports -- esbuild loads only when it builds:
   module node16 emits a require() as written (tsconfig.json). */
import { createHash } from "crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "fs";
import * as path from "path";
import type { BuildOptions } from "esbuild";
import { packageDir, projectRoot } from "./projectRoot";

/** The poster's entry module, relative to the project root. */
export const COMMENTER_ENTRY = path.join("automation", "commenter", "handler.ts");

/** The Lambda runtime the bundle targets (Lambda.2: a supported runtime). */
export const COMMENTER_RUNTIME = "nodejs22.x";

let bundled: string | undefined;

/**
 * The AWS SDK clients the poster calls, left to the nodejs22.x runtime, which
 * ships the AWS SDK for JavaScript v3: bundling them would make the archive
 * ten times larger and every offline plan half a second slower. The CodeBuild
 * client is not among them: the poster uses only its enums, which the bundle
 * keeps (tree-shaken) rather than load the whole client at a cold start.
 */
export const RUNTIME_PROVIDED = [
  "@aws-sdk/client-codecommit",
  "@aws-sdk/client-s3",
  "@aws-sdk/client-secrets-manager",
  "@smithy/*",
];

const BUILD_OPTIONS = {
  entryPoints: [COMMENTER_ENTRY],
  bundle: true,
  platform: "node",
  target: "node22",
  format: "cjs",
  external: RUNTIME_PROVIDED,
  // ES modules tree-shake (the CodeBuild enums, zod/mini); CommonJS builds do not.
  mainFields: ["module", "main"],
  minify: false,
  sourcemap: false,
  write: false,
  logLevel: "silent",
} satisfies BuildOptions;

/**
 * Files that steer esbuild without being inputs of the bundle: the compiler
 * options it reads, and the lock file that pins every package it resolves.
 */
const STEERING = ["tsconfig.json", "package-lock.json"];

/** A bundle as built, with the digest of every file it was built from. */
export interface CachedBundle {
  readonly key: string;
  readonly inputs: Readonly<Record<string, string>>;
  readonly text: string;
}

/**
 * The PR comment poster's code as one CommonJS file for the nodejs22.x
 * runtime: automation/commenter/handler.ts and everything it imports (the
 * comment renderer and publishers, zod/mini) but the SDK clients the runtime
 * provides, built by esbuild from this checkout's sources when the global
 * stack runs, so the deployed code is exactly the repository's, never a pull
 * request's and never a stale build. The text depends only on the sources and
 * the locked dependencies (paths in it are relative to the project root), so
 * the offline plan shows the same size on every machine.
 */
export function buildCommenterBundle(root: string = projectRoot()): BuiltBundle {
  const { buildSync, version } = require("esbuild") as typeof import("esbuild");
  const started = Date.now();
  const result = buildSync({ ...BUILD_OPTIONS, absWorkingDir: root, metafile: true });
  const [bundle] = result.outputFiles;
  if (bundle === undefined) throw new Error("esbuild wrote no bundle of the PR comment poster");
  const files = [...Object.keys(result.metafile.inputs), ...STEERING];
  return {
    key: cacheKey(version, root),
    inputs: digests(root, [...files, ...sourceFolders(files)]),
    text: bundle.text,
    settled: files.every((file) => modifiedBefore(path.join(root, file), started - MTIME_SLACK_MS)),
  };
}

/** A bundle as esbuild built it. */
export interface BuiltBundle extends CachedBundle {
  /**
   * Whether every file it was built from last changed well before the build
   * began: one changed since may hold other bytes than esbuild read, so such
   * a bundle is not cached (the next run builds and keeps it).
   */
  readonly settled: boolean;
}

/**
 * How much earlier than the build a file's time must be to prove it changed
 * before esbuild read it: file systems keep times to a clock tick, some to
 * the second.
 */
const MTIME_SLACK_MS = 2000;

function modifiedBefore(file: string, time: number): boolean {
  try {
    return statSync(file).mtimeMs < time;
  } catch {
    return true;
  }
}

/**
 * The checkout's folders esbuild resolved the sources in, from each source's
 * up to the root (`automation/commenter/`, `automation/`, `./`), by the names
 * they hold: a file added there may change what an import resolves to (a
 * `config.tsx` beside `config.ts`, a nested tsconfig.json or package.json)
 * without any input changing. The packages are pinned by the lock file.
 */
function sourceFolders(files: readonly string[]): string[] {
  const folders = new Set<string>();
  for (const file of files.filter((f) => !f.split("/").includes("node_modules"))) {
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
      folders.add(`${dir}/`);
      if (dir === "." || dir === "/" || dir.startsWith("..")) break;
    }
  }
  return [...folders];
}

/** What a cache entry records of its inputs: an entry of another format is not trusted. */
const CACHE_FORMAT = "files and source folders";

/**
 * What the bundle was built by, how and where: a bundle built by another
 * esbuild, with other options, or for another checkout sharing these
 * node_modules by a link (the bundle names its sources relative to the
 * checkout) is not this one, whatever its inputs.
 */
const cacheKey = (esbuildVersion: string, root: string): string =>
  digest(JSON.stringify({ CACHE_FORMAT, esbuildVersion, root, BUILD_OPTIONS }));

const digest = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");

/**
 * Each file's SHA-256, by its path relative to `root`, and each folder's
 * (a path ending in `/`) of the names it holds; a missing one has none.
 */
function digests(root: string, files: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of files) {
    const at = path.join(root, file);
    try {
      out[file] = file.endsWith("/")
        ? digest(readdirSync(at).sort().join("\n"))
        : digest(readFileSync(at));
    } catch {
      out[file] = "";
    }
  }
  return out;
}

/**
 * Where a checkout keeps its poster bundle between runs (ignored by git, with
 * the other caches). It is as trusted as the packages beside it: `npm ci`
 * removes it with them, and no build project keeps node_modules in its cache,
 * so a pipeline build always bundles from its own checkout.
 */
export const commenterCacheFile = (root: string): string =>
  path.join(root, "node_modules", ".cache", "silkroute", "commenter-bundle.json");

/**
 * The cached bundle when every file it was built from still has the digest it
 * had then, and esbuild and the options are the same; otherwise undefined.
 */
function fromCache(root: string, cacheFile: string): string | undefined {
  let cached: CachedBundle;
  try {
    cached = JSON.parse(readFileSync(cacheFile, "utf8")) as CachedBundle;
  } catch {
    return undefined;
  }
  const { version } = JSON.parse(
    readFileSync(path.join(packageDir("esbuild"), "package.json"), "utf8"),
  ) as { version: string };
  if (cached.key !== cacheKey(version, root)) return undefined;
  const now = digests(root, Object.keys(cached.inputs));
  return Object.entries(cached.inputs).every(([file, sha]) => now[file] === sha)
    ? cached.text
    : undefined;
}

/** Keeps a bundle for the next run; a checkout that cannot be written to just builds again. */
function toCache(file: string, bundle: CachedBundle): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}`;
    writeFileSync(partial, JSON.stringify(bundle));
    renameSync(partial, file);
  } catch {
    // Read-only or full: the next run builds again, as this one did.
  }
}

/**
 * The poster bundle of the checkout at `root`: from `cacheFile` while none of
 * the files it was built from changed (building costs about 100 ms of every
 * offline plan), else built and kept there for the next run.
 */
export function commenterBundleAt(root: string, cacheFile: string): string {
  const cached = fromCache(root, cacheFile);
  if (cached !== undefined) return cached;
  const { settled, ...built } = buildCommenterBundle(root);
  if (settled) toCache(cacheFile, built);
  return built.text;
}

/** commenterBundleAt this checkout, once per process (every plan and deployment of the global stack). */
export function commenterBundle(): string {
  if (bundled === undefined) {
    const root = projectRoot();
    bundled = commenterBundleAt(root, commenterCacheFile(root));
  }
  return bundled;
}
