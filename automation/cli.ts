import type { CommandModule } from "yargs";
import { planCommand } from "./commands/plan";
import {
  deployCommand,
  destroyCommand,
  keysCommand,
  outputsCommand,
  previewCommand,
  statusCommand,
} from "./commands/driverCommands";
import { driftCommand, rollbackCommand } from "./commands/operationsCommands";
import { MainOptions, runCommands, startRun } from "./commands/run";
import type { DriverContext } from "./driver/context";

// How bin/silkroute.js ends the process with main's code.
export { exitWith } from "./exitStatus";

/** Runs the CLI on `argv` and returns the exit code (README "Exit codes"). */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const run = startRun(options);
  return runCommands(argv, run, commandsOf(run.ctx) as CommandModule[]);
}

/** Every command of the CLI, in --help order (the buildspec test parses against them). */
export function commandsOf(ctx: DriverContext) {
  return [
    planCommand(ctx),
    previewCommand(ctx),
    deployCommand(ctx),
    destroyCommand(ctx),
    outputsCommand(ctx),
    statusCommand(ctx),
    keysCommand(ctx),
    driftCommand(ctx),
    rollbackCommand(ctx),
  ];
}
