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
