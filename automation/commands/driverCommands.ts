/* eslint-disable @typescript-eslint/no-require-imports -- lazy loads: module node16 emits a
   require() as written, while an import() would stay an ECMAScript import (tsconfig.json). */
import type { CommandModule } from "yargs";
import type { DriverContext } from "../driver/context";
import type { DeployArgs, DestroyArgs } from "../driver/deploy";
import type { KeysArgs } from "../driver/keys";
import type { OutputsArgs, StatusArgs } from "../driver/outputs";
import type { PreviewArgs } from "../driver/preview";
import {
  aSwitch,
  listOf,
  oneValue,
  withBackend,
  withChinaParameters,
  withEnv,
  withJson,
  withOptionalTarget,
  withProgram,
  withTarget,
  wholeNumber,
} from "./options";

// Command definitions only: each handler loads its implementation (and with it
// the AWS SDK and the Automation API) when it runs, so `--help` stays fast.

export function deployCommand(ctx: DriverContext): CommandModule<object, DeployArgs> {
  return {
    command: "deploy",
    describe: "Deploy the app stack into the targets of an environment",
    builder: (y) =>
      withJson(withProgram(withBackend(withTarget(y))), "the outputs of each target")
        .option("refresh", aSwitch("Refresh each stack (re-running the program) before the update"))
        .example("$0 deploy --env dev --target all", "every global Region and China, side by side")
        .example("$0 deploy --env dev --target china", "China only (deploy key read from SSM)"),
    handler: async (args) =>
      (require("../driver/deploy") as typeof import("../driver/deploy")).deploy(ctx, args),
  };
}

export function previewCommand(ctx: DriverContext): CommandModule<object, PreviewArgs> {
  return {
    command: "preview",
    describe: "Show what a deploy would change in each target; optionally as a PR comment",
    builder: (y) =>
      withJson(withProgram(withBackend(withOptionalTarget(y))), "the previews")
        .option(
          "stacks",
          listOf(
            "Also preview these stacks of the repository's Pulumi project, e.g. global,china (org-qualified allowed: acme/global); off unless given",
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
        .option(
          "comment",
          oneValue("Post (or update) one comment with the previews on the pull request", {
            choices: ["github", "codecommit"] as const,
          }),
        )
        .option(
          "pr",
          oneValue("Pull request id [env SILKROUTE_PR, else CODEBUILD_WEBHOOK_TRIGGER=pr/<n>]"),
        )
        .option(
          "result-file",
          oneValue(
            "Also write the previews to this file as a result document (JSON), for a comment poster that runs apart from the preview",
          ),
        )
        .option(
          "fresh-china",
          aSwitch(
            "Preview the China target against an empty throwaway stack, never reading its state or secrets: what a fresh deploy would create (for an identity that may not read a China stack's state, such as pr-preview's)",
          ),
        )
        .implies("pr", "comment")
        .example("$0 preview --env dev --target all --comment github --pr 42", "comment on PR 42")
        .example(
          "$0 preview --env dev --target all --stacks global,china --comment codecommit",
          "the app targets and the infrastructure stacks in one comment",
        )
        .example(
          "$0 preview --env dev --target global --result-file preview-result.json",
          "the previews as data, for the PR comment poster (what pr-preview runs)",
        ),
    handler: async (args) =>
      (require("../driver/preview") as typeof import("../driver/preview")).preview(ctx, args),
  };
}

export function destroyCommand(ctx: DriverContext): CommandModule<object, DestroyArgs> {
  return {
    command: "destroy",
    describe: "Delete every resource of the app stack in the targets (needs --yes)",
    builder: (y) =>
      withProgram(withBackend(withTarget(y)))
        .option("yes", aSwitch("Confirm the deletion"))
        .example("$0 destroy --env dev --target china --yes", "remove the app from China"),
    handler: async (args) =>
      (require("../driver/deploy") as typeof import("../driver/deploy")).destroy(ctx, args),
  };
}

export function outputsCommand(ctx: DriverContext): CommandModule<object, OutputsArgs> {
  return {
    command: "outputs",
    describe: "Print the outputs of the app stack in each target",
    builder: (y) =>
      withJson(withBackend(withTarget(y, "all")), "the outputs").example(
        "$0 outputs --env dev --json",
        "every target's outputs as JSON",
      ),
    handler: async (args) =>
      (require("../driver/outputs") as typeof import("../driver/outputs")).outputs(ctx, args),
  };
}

export function statusCommand(ctx: DriverContext): CommandModule<object, StatusArgs> {
  return {
    command: "status",
    describe:
      "Compare the deployed version across the targets of an environment (exit 1 if they differ)",
    builder: (y) =>
      withJson(withBackend(withEnv(y)), "the version per target").example(
        "$0 status --env prod",
        "is China on the same version as the global Regions?",
      ),
    handler: async (args) =>
      (require("../driver/outputs") as typeof import("../driver/outputs")).status(ctx, args),
  };
}

export function keysCommand(ctx: DriverContext): CommandModule<object, KeysArgs> {
  return {
    command: "keys",
    describe: "Check the age of the China deploy key (exit 4 when older than --max-age-days)",
    builder: (y) =>
      withJson(withChinaParameters(withEnv(y)), "the keys")
        .option(
          "max-age-days",
          wholeNumber(
            "max-age-days",
            "days",
            { min: 1, default: 30 },
            "Oldest acceptable age of an active key",
          ),
        )
        .example("$0 keys --env prod --max-age-days 30", "fails when the key needs rotating"),
    handler: async (args) =>
      (require("../driver/keys") as typeof import("../driver/keys")).keys(ctx, args),
  };
}
