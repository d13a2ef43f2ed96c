/* eslint-disable @typescript-eslint/no-require-imports -- lazy loads: module node16 emits a
   require() as written, while an import() would stay an ECMAScript import (tsconfig.json). */
import type { CommandModule } from "yargs";
import type { DriverContext } from "../driver/context";
import type { DriftArgs } from "../driver/drift";
import type { RollbackArgs } from "../driver/rollback";
import {
  aSwitch,
  listOf,
  oneValue,
  withArtifactBuckets,
  withBackend,
  withJson,
  withTarget,
} from "./options";

// The day-2 commands (docs/operations.md): definitions only, each handler
// loads its implementation when it runs, so `--help` stays fast.

export function driftCommand(ctx: DriverContext): CommandModule<object, DriftArgs> {
  return {
    command: "drift",
    describe:
      "Show what was changed outside Pulumi in each target (exit 1 on drift); writes nothing",
    builder: (y) =>
      withJson(withArtifactBuckets(withBackend(withTarget(y, "all"))), "the drift report")
        .option(
          "stacks",
          listOf(
            "Also check these stacks of the repository's Pulumi project, e.g. global,china (org-qualified allowed: acme/global)",
            { group: "Infrastructure stacks:" },
          ),
        )
        .option(
          "stacks-backend",
          oneValue(
            "Backend holding the --stacks [env SILKROUTE_STACKS_BACKEND_URL; default --backend, else PULUMI_BACKEND_URL, else the Pulumi CLI's login]",
            { group: "Infrastructure stacks:" },
          ),
        )
        .example("$0 drift --env prod", "every global Region and China of prod")
        .example("$0 drift --env prod --target china --json", "China only, as JSON")
        .example(
          "$0 drift --env dev --stacks global,china",
          "dev's targets and both infrastructure stacks",
        ),
    handler: async (args) =>
      (require("../driver/drift") as typeof import("../driver/drift")).drift(ctx, args),
  };
}

export function rollbackCommand(ctx: DriverContext): CommandModule<object, RollbackArgs> {
  return {
    command: "rollback",
    describe:
      "Redeploy a kept version into every target of an environment, from its code zips (no rebuild)",
    builder: (y) =>
      withJson(withArtifactBuckets(withBackend(withTarget(y, "all"))), "the outputs of each target")
        .option(
          "to",
          oneValue(
            "The version to deploy again (its code zip must be kept), or previous: the one deployed before the current one",
            { demandOption: true as const },
          ),
        )
        .option(
          "refresh",
          aSwitch(
            "Refresh each stack first, so the update also undoes changes made outside Pulumi (drift)",
          ),
        )
        .example("$0 rollback --env prod --to previous", "prod, both partitions, one version back")
        .example("$0 rollback --env prod --to 4f2c1e9 --target china", "China only"),
    handler: async (args) =>
      (require("../driver/rollback") as typeof import("../driver/rollback")).rollback(ctx, args),
  };
}
