import * as fs from "fs";
import * as path from "path";
import { CliError, ExitCode } from "../exitCodes";
import type { ProjectStackSpec } from "../pulumi/runner";

/** The variable naming the backend of the infrastructure stacks (when it is not the app's). */
export const STACKS_BACKEND_VARIABLE = "SILKROUTE_STACKS_BACKEND_URL";

const PART = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The stacks of the project: one per `Pulumi.<stack>.yaml` in its folder. */
export function projectStackNames(projectDir: string): string[] {
  return fs
    .readdirSync(projectDir)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((n): n is string => n !== undefined)
    .sort();
}

/**
 * The `--stacks` to preview (comma-separated and/or repeated), each a stack
 * of the project's own Pulumi.yaml: `global`, or org-qualified `acme/global`,
 * `acme/silkroute/global`, whose last part has a `Pulumi.<name>.yaml`. A
 * usage error otherwise, before anything runs.
 */
export function parseProjectStacks(values: readonly string[] | undefined, projectDir: string) {
  const names = [
    ...new Set(
      (values ?? [])
        .flatMap((v) => v.split(","))
        .map((v) => v.trim())
        .filter((v) => v !== ""),
    ),
  ];
  const known = projectStackNames(projectDir);
  for (const name of names) {
    const parts = name.split("/");
    if (parts.length > 3 || !parts.every((p) => PART.test(p))) {
      throw new CliError(
        `--stacks ${name}: not a stack name; use <stack>, <org>/<stack> or <org>/<project>/<stack>`,
        ExitCode.Usage,
      );
    }
    const stack = parts.at(-1) ?? "";
    if (!known.includes(stack)) {
      throw new CliError(
        `--stacks ${name}: the project has no stack ${stack} (no Pulumi.${stack}.yaml); its stacks: ${known.join(", ")}`,
        ExitCode.Usage,
      );
    }
  }
  return names;
}

export interface StacksBackendFlags {
  readonly stacksBackend?: string;
  readonly backend?: string;
}

/** Where the infrastructure stacks are previewed from. */
export function projectStackSpecs(
  names: readonly string[],
  projectDir: string,
  flags: StacksBackendFlags,
  env: NodeJS.ProcessEnv,
): ProjectStackSpec[] {
  const backendUrl = [
    flags.stacksBackend,
    env[STACKS_BACKEND_VARIABLE],
    flags.backend,
    env.PULUMI_BACKEND_URL,
  ]
    .map((v) => v?.trim())
    .find((v) => v !== undefined && v !== "");
  return names.map((stackName) => ({
    stackName,
    workDir: path.resolve(projectDir),
    ...(backendUrl !== undefined && { backendUrl }),
  }));
}
