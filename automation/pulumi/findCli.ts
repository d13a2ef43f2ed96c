import * as fs from "fs";
import * as path from "path";
import { CliError, ExitCode } from "../exitCodes";

export const INSTALL_HINT =
  "the Pulumi CLI is not on PATH; install it with: curl -fsSL https://get.pulumi.com | sh (then add ~/.pulumi/bin to PATH), or see https://www.pulumi.com/docs/install/";

/** The path of `command` on `searchPath`, or undefined (no process is spawned). */
export function findOnPath(command: string, searchPath: string | undefined): string | undefined {
  const extensions = process.platform === "win32" ? [".exe", ".cmd", ""] : [""];
  for (const dir of (searchPath ?? "").split(path.delimiter)) {
    if (dir === "") continue;
    for (const ext of extensions) {
      const candidate = path.join(dir, command + ext);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** Throws the one-line install hint (exit 5) when `pulumi` is not on PATH. */
export function requirePulumiCli(searchPath: string | undefined = process.env.PATH): string {
  const found = findOnPath("pulumi", searchPath);
  if (found === undefined) throw new CliError(INSTALL_HINT, ExitCode.MissingTool);
  return found;
}
