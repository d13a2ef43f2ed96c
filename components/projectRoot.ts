import { existsSync, readFileSync } from "fs";
import { createRequire } from "module";
import * as path from "path";

/**
 * The project root: the nearest folder above `from` holding package.json,
 * where Pulumi.yaml, the buildspecs and the sample app are. The one way the
 * code finds its checkout, from the TypeScript sources (`components/`), the
 * compiled tree (`dist/components/`) and the plan's bundle (`dist/bundle/`)
 * alike: none of them holds a package.json of its own.
 */
export function projectRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, "package.json"))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
  return dir;
}

/**
 * The folder of the installed package `name`, where require() finds it from
 * `from`: the first folder require() searches (`node_modules` there and above)
 * that holds anything by that name, which must be a package of that name.
 * require.resolve() finds the same package but, for one with an "exports"
 * map, first loads Node's ES module resolver: about 2 ms of every plan.
 */
export function packageDir(name: string, from: string = __dirname): string {
  for (const folder of createRequire(path.join(from, "_")).resolve.paths(name) ?? []) {
    const dir = path.join(folder, name);
    // require() stops at the first of these; so does this, rather than find a package above it.
    if (!["", ".js", ".json", ".node"].some((ext) => existsSync(dir + ext))) continue;
    let manifest: { name?: unknown } | undefined;
    try {
      manifest = JSON.parse(
        readFileSync(path.join(dir, "package.json"), "utf8"),
      ) as typeof manifest;
    } catch {
      manifest = undefined;
    }
    if (manifest?.name !== name) {
      throw new Error(
        `${dir} is not the package ${name} (no package.json of that name): run npm ci`,
      );
    }
    return dir;
  }
  throw new Error(`package ${name} is not installed: run npm ci`);
}
