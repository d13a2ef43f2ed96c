import * as fs from "fs";
import * as path from "path";
import { load } from "js-yaml";
import { CliError, ExitCode } from "../exitCodes";

/**
 * Reads `Pulumi.<stack>.yaml` into the flat `namespace:key` → string map the
 * Pulumi runtime takes (structured values as JSON, as the CLI passes them).
 */
export function readStackConfig(projectDir: string, stack: string): Record<string, string> {
  const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
  let doc: unknown;
  try {
    doc = load(fs.readFileSync(file, "utf8"));
  } catch (e) {
    const reason =
      (e as NodeJS.ErrnoException).code === "ENOENT"
        ? "not found"
        : (e as Error).message.split("\n")[0];
    throw new CliError(
      `${file}: ${reason}. Restore it from git or run: pulumi stack init ${stack}`,
      ExitCode.Usage,
    );
  }
  const config = (doc as { config?: Record<string, unknown> } | null)?.config ?? {};
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (typeof value === "object" && value !== null && "secure" in value) {
      throw new CliError(
        `${file}: ${key} is a secure value, which an offline plan cannot decrypt; silkroute keeps secrets in SSM, not in stack config`,
        ExitCode.Usage,
      );
    }
    flat[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return flat;
}
