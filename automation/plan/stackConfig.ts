import * as fs from "fs";
import * as path from "path";
import { load, YAMLException } from "js-yaml";
import { PULUMI_PROJECT } from "../../components/naming";
import { CliError, ExitCode } from "../exitCodes";

/**
 * Reads `Pulumi.<stack>.yaml` into the flat `namespace:key` → string map the
 * Pulumi runtime takes (structured values as JSON, as the CLI passes them). A
 * key without a namespace is the project's, as the Pulumi CLI reads it.
 */
export function readStackConfig(projectDir: string, stack: string): Record<string, string> {
  const name = `Pulumi.${stack}.yaml`;
  const file = path.join(projectDir, name);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "unreadable";
    throw new CliError(
      code === "ENOENT"
        ? `${name} not found in ${projectDir}: the ${stack} stack's config lives there; restore it with: git checkout -- ${name}`
        : `${name} cannot be read (${code}): make it readable`,
      ExitCode.Usage,
    );
  }
  let doc: unknown;
  try {
    doc = load(text, { filename: name });
  } catch (e) {
    if (!(e instanceof YAMLException)) throw e;
    throw new CliError(yamlError(name, text, e), ExitCode.Usage);
  }
  const config = (doc as { config?: unknown } | null)?.config ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new CliError(
      `${name}: config must be a map of keys (silkroute:prefix: …), got ${JSON.stringify(config)}`,
      ExitCode.Usage,
    );
  }
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    const full = key.includes(":") ? key : `${PULUMI_PROJECT}:${key}`;
    if (typeof value === "object" && value !== null && "secure" in value) {
      throw new CliError(
        `${name}: ${full} is a secure value, which an offline plan cannot decrypt; silkroute keeps secrets in SSM, not in stack config`,
        ExitCode.Usage,
      );
    }
    flat[full] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return flat;
}

/**
 * `Pulumi.global.yaml:14:3: bad indentation of a mapping entry`, then the
 * line and a caret under the column.
 */
function yamlError(name: string, text: string, e: YAMLException): string {
  const { line, column } = e.mark;
  const source = text.split(/\r?\n/)[line] ?? "";
  const number = String(line + 1);
  const gutter = " ".repeat(number.length);
  return [
    `${name}:${line + 1}:${column + 1}: ${e.reason}; fix the YAML there`,
    `  ${number} | ${source}`,
    `  ${gutter} | ${" ".repeat(column)}^`,
  ].join("\n");
}
