import { readFileSync } from "fs";
import { load } from "js-yaml";
import * as path from "path";
import { projectRoot } from "../projectRoot";

/** The checked-in buildspecs, one per CodeBuild project. */
export const BUILDSPEC_KINDS = [
  "build",
  "deploy-global",
  "deploy-china",
  "pr-preview",
  "operations",
  "rotation",
] as const;
export type BuildspecKind = (typeof BUILDSPEC_KINDS)[number];

/** Path of a buildspec file in the repository. */
export function buildspecPath(kind: BuildspecKind): string {
  return path.join(projectRoot(), "components", "buildspecs", `${kind}.yml`);
}

/** The text of a buildspec, as CodeBuild receives it in `source.buildspec`. */
export function readBuildspec(kind: BuildspecKind): string {
  return readFileSync(buildspecPath(kind), "utf8");
}

interface BuildspecDocument {
  phases?: Record<string, { commands?: unknown } | undefined>;
}

/**
 * How a buildspec starts the driver: the checkout's own bin, compiled by
 * `npm ci`. (`npx silkroute` would install the checkout into npx's cache and
 * build it again first.)
 */
export const DRIVER_COMMAND = "node bin/silkroute.js";

/**
 * Every `silkroute …` command line a buildspec runs, in phase order, as
 * `silkroute <arguments>` whether it starts with DRIVER_COMMAND, `npx
 * silkroute` or `silkroute` — so the driver's tests can check each one parses.
 * In a multi-line command (a script), each line that starts the driver
 * counts, up to the shell operator that ends the command (`||`, `&&`, `;`).
 */
export function silkrouteCommands(buildspecText: string): string[] {
  const doc = load(buildspecText) as BuildspecDocument | undefined;
  const commands: string[] = [];
  for (const phase of Object.values(doc?.phases ?? {})) {
    const list = Array.isArray(phase?.commands) ? (phase.commands as unknown[]) : [];
    for (const line of list.flatMap((c) => String(c).split("\n"))) {
      const match = /^(?:node\s+bin\/silkroute\.js|npx\s+silkroute|silkroute)(\s.*)$/.exec(
        line.trim(),
      );
      const rest = match?.[1];
      // The command ends at the first `||`, `&&` or `;` (split() returns one part at least).
      if (rest !== undefined)
        commands.push(`silkroute${rest.split(/\s(?:\|\||&&|;)\s/)[0]!.trimEnd()}`);
    }
  }
  return commands;
}
