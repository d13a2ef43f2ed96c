import { isAscii } from "buffer";
import * as fs from "fs";
import { createRequire, wrap } from "module";
import * as path from "path";
import { setFlagsFromString } from "v8";
import * as vm from "vm";

// Node 20 has no compile cache of its own (module.enableCompileCache came in Node 22). A bundle
// compiled with V8's cached data skips parsing and compiling the functions the cache holds. The
// cache is written by the build (scripts/bundle.js), after a plan has run, so it holds every
// function a plan compiles and the first run after `npm ci` is as fast as any later one.
// (v8-compile-cache and v8-compile-cache-lib keep only what V8 compiles before a module runs,
// which for a bundle is next to nothing, and write their cache as the first run exits.)

/** The cache of a bundle: a header with the size and time of the file it was made from, then V8's data. */
export function codeCachePath(file: string): string {
  return `${file}.v8cache`;
}

/** A loaded CommonJS file and the script it was compiled as. */
export interface CachedModule {
  readonly exports: unknown;
  readonly script: vm.Script;
  /** Whether a cache was there and V8 took it (it refuses one from another Node or V8 version). */
  readonly cacheUsed: boolean;
}

/**
 * Loads a self-contained CommonJS file (a bundle) as require() would, compiled with its code
 * cache when the cache was made from this very file. A missing, stale or refused cache only
 * costs the compile time.
 */
export function loadWithCodeCache(file: string): CachedModule {
  const source = readSource(file);
  const cachedData = readCache(file);
  const script = new vm.Script(wrap(source), { filename: file, cachedData });
  const module = { exports: {} as unknown };
  const fn = script.runInThisContext() as (...args: unknown[]) => void;
  fn.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  return {
    exports: module.exports,
    script,
    cacheUsed: cachedData !== undefined && !script.cachedDataRejected,
  };
}

/**
 * The file's text. An ASCII file (the bundle is one: esbuild escapes everything else) is decoded
 * as Latin-1, the same text 20 times faster than UTF-8 decoding takes.
 */
function readSource(file: string): string {
  const bytes = fs.readFileSync(file);
  return isAscii(bytes) ? bytes.toString("latin1") : bytes.toString("utf8");
}

/** Writes the code cache of a script loaded by loadWithCodeCache, with what it has compiled so far. */
export function writeCodeCache(file: string, script: vm.Script): void {
  fs.writeFileSync(codeCachePath(file), Buffer.concat([stamp(file), script.createCachedData()]));
}

/**
 * Size and modification time of the file: a rebuilt or edited bundle never meets the cache of
 * another (V8 itself checks only the source's length).
 */
function stamp(file: string): Buffer {
  const { size, mtimeMs } = fs.statSync(file);
  const text = `${size}:${mtimeMs}`.padEnd(STAMP_BYTES);
  return Buffer.from(text.slice(0, STAMP_BYTES), "latin1");
}
const STAMP_BYTES = 48;

function readCache(file: string): Buffer | undefined {
  let data: Buffer;
  try {
    data = fs.readFileSync(codeCachePath(file));
  } catch {
    return undefined;
  }
  const expected = stamp(file);
  return data.length > STAMP_BYTES && data.subarray(0, STAMP_BYTES).equals(expected)
    ? data.subarray(STAMP_BYTES)
    : undefined;
}

/**
 * Loads the plan's bundle as loadWithCodeCache does, then sets V8 for a process as short as a
 * plan (`npm run bench` measures both):
 * - only its interpreter and baseline compiler, without its optimizing compilers: optimizing
 *   (and deoptimizing) a plan's code cost more than the optimized code saved, about 30% of a
 *   plan's CPU and 10 MB, the 10 environments × 4 Regions topology included;
 * - its old generation collected in one pause, without incremental marking: a plan reaches
 *   V8's first limit (near 30 MB) once or twice, and marking in steps alongside the program
 *   (with the write barrier that keeps) cost more than one pause, about 15 ms a plan. Memory
 *   is collected at the same limits.
 *
 * The flags are set after loading, never before: V8 refuses a code cache made under other
 * flags, and the build makes the cache without these.
 */
export function loadPlanBundle(file: string): CachedModule {
  const loaded = loadWithCodeCache(file);
  // A flag V8 does not know is an error line on stderr: set only where it is tested.
  if (TESTED_NODE_MAJORS.includes(process.versions.node.split(".")[0] ?? "")) {
    setFlagsFromString("--max-opt=1 --no-incremental-marking");
  }
  return loaded;
}

/** Node versions whose V8 takes these flags: this machine's, and the build image's (build.yml). */
const TESTED_NODE_MAJORS = ["20", "22"];
