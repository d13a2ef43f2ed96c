import * as pulumi from "@pulumi/pulumi";
import { buildSync, type Message } from "esbuild";
import * as fs from "fs";
import Module, { createRequire } from "module";
import * as path from "path";
import * as vm from "vm";
import type { AppModule } from "../../stacks/appContext";

/*
 * Loading a team's app module (`silkroute:app.program`), TypeScript or
 * JavaScript, from the compiled driver and plan: esbuild (a silkroute
 * dependency already, ~30 ms) bundles the module with its own local imports,
 * leaving packages to `require`, and the bundle runs as a CommonJS module
 * of the module's own path. @pulumi/pulumi and @pulumi/aws always resolve
 * to silkroute's copies: resources must register with the runtime that runs
 * the stack, and the provider the context hands over is one of its classes.
 * Nothing is written to disk and no TypeScript compiler is needed.
 */

/** A module that cannot be loaded, or exports no single function: one line naming it. */
export class AppModuleError extends Error {
  override readonly name = "AppModuleError";
}

const PINNED = /^@pulumi\/(pulumi|aws)(\/|$)/;
const cache = new Map<string, AppModule>();

/**
 * In the plan's bundle (scripts/bundle.js) @pulumi/pulumi is inside the bundle, while the
 * @pulumi/aws a module uses is loaded from node_modules and would load node_modules'
 * @pulumi/pulumi beside it: a second runtime, which loads eagerly what the bundle defers
 * (TypeScript, arborist, gRPC). So Node's module cache is given the bundle's copy under the file
 * names @pulumi/aws asks for. Where @pulumi/pulumi came from node_modules (the compiled driver,
 * the tests) those are cached already, as this very copy, and nothing changes.
 */
function shareRuntime(): void {
  const fromAws = createRequire(require.resolve("@pulumi/aws/package.json"));
  const copies: [string, unknown][] = [
    ["@pulumi/pulumi", pulumi],
    ["@pulumi/pulumi/runtime", pulumi.runtime],
  ];
  for (const [id, exports] of copies) {
    const file = fromAws.resolve(id);
    if (require.cache[file] !== undefined) continue;
    const shared = new Module(file);
    shared.filename = file;
    shared.exports = exports;
    shared.loaded = true;
    require.cache[file] = shared;
  }
}

/** The exported function of an app module (its default export, or its only function). */
export function loadAppModule(file: string): AppModule {
  const cached = cache.get(file);
  if (cached) return cached;
  if (!fs.existsSync(file)) {
    throw new AppModuleError(
      `app module ${file} does not exist: set silkroute:app.program to a .ts, .js or .cjs file of the project, e.g.: pulumi config set --path 'silkroute:app.program' ./infra/app.ts --stack global`,
    );
  }
  let code: string;
  try {
    const [output] = buildSync({
      entryPoints: [file],
      bundle: true,
      packages: "external",
      platform: "node",
      format: "cjs",
      target: "node20",
      write: false,
      sourcemap: "inline",
      logLevel: "silent",
    }).outputFiles;
    if (output === undefined) throw new AppModuleError(`esbuild wrote no bundle of ${file}`);
    code = output.text;
  } catch (error) {
    const e = (error as { errors?: Message[] }).errors?.[0];
    if (e === undefined) throw error;
    const where = e.location ? `${e.location.file}:${e.location.line}: ` : "";
    throw new AppModuleError(`app module ${file} does not compile: ${where}${e.text}`);
  }
  shareRuntime();
  const own = createRequire(file);
  // silkroute's own copies of the pinned packages: `require`, not createRequire,
  // so a test runner's module registry is the one both sides use.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pinned = (id: string): unknown => require(id);
  const moduleRequire = Object.assign((id: string) => (PINNED.test(id) ? pinned(id) : own(id)), {
    resolve: own.resolve,
    cache: own.cache,
    main: own.main,
    extensions: own.extensions,
  });
  const mod = { exports: {} as Record<string, unknown> };
  const wrapper = vm.runInThisContext(
    `(function (exports, require, module, __filename, __dirname) {${code}\n})`,
    { filename: file },
  ) as (...args: unknown[]) => void;
  wrapper(mod.exports, moduleRequire, mod, file, path.dirname(file));
  const fn = exportedFunction(mod.exports, file);
  cache.set(file, fn);
  return fn;
}

function exportedFunction(exports: unknown, file: string): AppModule {
  if (typeof exports === "function") return exports as AppModule;
  const record = (exports ?? {}) as Record<string, unknown>;
  if (typeof record.default === "function") return record.default as AppModule;
  const functions = Object.entries(record).filter(([, v]) => typeof v === "function");
  const [only] = functions;
  if (functions.length === 1 && only) return only[1] as AppModule;
  const names = functions.map(([k]) => k);
  throw new AppModuleError(
    `app module ${file} must export one function of a TargetContext (export default, or a single exported function); it exports ${names.length === 0 ? "none" : names.join(", ")}`,
  );
}
