import type { UpdateRecord } from "../pulumi/runner";

/*
 * Which version each update of an app stack deployed, from the stacks'
 * history: `deploy` and `rollback` record `silkroute deploy <version>` /
 * `silkroute rollback <version>` as the update's message.
 */

const VERSION = "[A-Za-z0-9._-]{1,128}";
const MESSAGE = new RegExp(`^silkroute (?:deploy|rollback) (${VERSION})$`);

export const deployMessage = (version: string) => `silkroute deploy ${version}`;
export const rollbackMessage = (version: string) => `silkroute rollback ${version}`;

/** The version an update's message names, if it is one of the driver's. */
export function versionOf(message: string): string | undefined {
  return MESSAGE.exec(message.trim())?.[1];
}

/** A successful update of one stack that names its version. */
export interface DeployedVersion {
  readonly stackName: string;
  readonly version: string;
  /** ISO 8601. */
  readonly endTime: string;
}

/** Every successful update of the stacks that names its version, newest first. */
export function deployedVersions(
  histories: Readonly<Record<string, readonly UpdateRecord[]>>,
): DeployedVersion[] {
  return Object.entries(histories)
    .flatMap(([stackName, records]) =>
      records
        .filter((r) => r.kind === "update" && r.result === "succeeded")
        .flatMap((r) => {
          const version = versionOf(r.message);
          return version === undefined ? [] : [{ stackName, version, endTime: r.endTime }];
        }),
    )
    .sort((a, b) => b.endTime.localeCompare(a.endTime));
}

/**
 * The environment's current version (the last one deployed to any of its
 * targets) and the one deployed before it: the newest other version. A
 * target whose deploy of the current version failed still counts the
 * current version as current, so `previous` is the same for every target.
 * Rolling back to `previous` twice returns to where it started.
 */
export function previousVersion(deployed: readonly DeployedVersion[]): {
  readonly current?: string;
  readonly previous?: string;
} {
  const current = deployed[0]?.version;
  const previous = deployed.find((d) => d.version !== current)?.version;
  return {
    ...(current !== undefined && { current }),
    ...(previous !== undefined && { previous }),
  };
}
