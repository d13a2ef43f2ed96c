import { existsSync } from "fs";
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
 * here: the first folder require() searches (`node_modules` here and above)
 * that holds `name`'s package.json. require.resolve() finds the same package
 * but, for one with an "exports" map, first loads Node's ES module resolver:
 * about 2 ms of every plan.
 */
export function packageDir(name: string): string {
  for (const folder of require.resolve.paths(name) ?? []) {
    const dir = path.join(folder, name);
    if (existsSync(path.join(dir, "package.json"))) return dir;
  }
  throw new Error(`package ${name} is not installed: run npm ci`);
}
