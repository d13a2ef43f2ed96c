import type { CommandModule } from "yargs";
import { projectRoot } from "../../components/projectRoot";
import { CliError, ExitCode, ExitCodeValue } from "../exitCodes";
import { Io, processIo } from "../io";
import type { DriverContext, DriverServices } from "../driver/context";
import { Redactor, redactingIo } from "../redact";
import { checkFlags, describeFailure } from "./flags";
import { aSwitch } from "./options";

// What every entry of the CLI shares (automation/cli.ts with every command, automation/planCli.ts
// with `plan` alone): the context, the yargs set-up and the one-line error report. It imports no
// command, so an entry loads only the commands it offers.

/** The project root (components/projectRoot.ts): from the sources, dist/ or the plan bundle. */
export function defaultProjectDir(): string {
  try {
    return projectRoot();
  } catch (error) {
    throw new CliError((error as Error).message, ExitCode.Usage);
  }
}

/**
 * Variables only the driver itself reads (the comment module posts with GITHUB_TOKEN). The
 * Automation API runs the `pulumi` CLI with every variable of process.env, and the CLI hands them
 * on to its plugins: these are removed from process.env so no child process ever gets them.
 */
export const DRIVER_ONLY_VARIABLES = ["GITHUB_TOKEN", "GH_TOKEN"] as const;

/**
 * A copy of `environment` for the driver to read, taken before DRIVER_ONLY_VARIABLES are deleted
 * from `environment` itself. Call it once, before any Pulumi workspace is created.
 */
export function detachDriverOnlyVariables(environment: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const snapshot = { ...environment };
  for (const name of DRIVER_ONLY_VARIABLES) delete environment[name];
  return snapshot;
}

export interface MainOptions {
  readonly io?: Io;
  readonly projectDir?: string;
  /** Replacements for the Pulumi runner, AWS transport, clock, … (tests). @default the real ones */
  readonly services?: DriverServices;
}

/** A command's context, the exit code it set and the JSON result it gave. */
export interface Run {
  readonly ctx: DriverContext;
  exitCode(): ExitCodeValue;
  /** What the command said about the exit code it set, if it is a failure. */
  failure(): string | undefined;
  document(): Readonly<Record<string, unknown>> | undefined;
}

/** The context every command runs in: redacted io, the driver's own copy of the environment. */
export function startRun(options: MainOptions, readsTokens = true): Run {
  const services = options.services ?? {};
  // The driver reads its own snapshot; the real process.env, which every child process inherits,
  // loses the tokens only the driver needs. Tests hand in their own env and keep process.env as is.
  const env = services.env ?? detachDriverOnlyVariables(process.env);
  // Every line printed — results, progress, Pulumi's output, errors — is redacted.
  const redactor = new Redactor();
  redactor.registerTokens(env, readsTokens);
  const io = redactingIo(options.io ?? processIo(), redactor);
  let exitCode: ExitCodeValue = ExitCode.Ok;
  let document: Readonly<Record<string, unknown>> | undefined;
  let failure: string | undefined;
  const ctx: DriverContext = {
    io,
    projectDir: options.projectDir ?? defaultProjectDir(),
    setExitCode: (code, message) => {
      exitCode = code;
      failure = message;
    },
    printJson: (doc) => (document = doc),
    redactor,
    services,
    env,
  };
  return { ctx, exitCode: () => exitCode, failure: () => failure, document: () => document };
}

/** Parses `argv` against `commands`, runs the chosen one and returns the exit code (README "Exit codes"). */
export async function runCommands(
  argv: readonly string[],
  run: Run,
  commands: readonly CommandModule[],
): Promise<number> {
  const { io } = run.ctx;
  // Loaded here: `silkroute plan` with plain flags never needs yargs (automation/planCli.ts).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load (module node16)
  const yargs = require("yargs") as typeof import("yargs");
  // Help and version text comes back through the parse callback, so it is printed through io.
  let shown = "";
  const names = commands.map((c) => String(c.command));
  try {
    const y = yargs([...argv]);
    await y
      .scriptName("silkroute")
      .usage(
        "$0 <command> [options]\n\nOne pipeline for AWS global Regions and the AWS China Regions.",
      )
      .command([...commands])
      .demandCommand(1, "name a command (silkroute --help lists them)")
      .option("verbose", aSwitch("Stack traces on errors"))
      .strict()
      .recommendCommands()
      .check(checkFlags(y, argv))
      .exitProcess(false)
      .fail((message, error) => {
        // A message is yargs' own complaint about the command line; an error is a command's.
        if (error !== undefined && message === undefined) throw error;
        throw new CliError(
          describeFailure(message ?? error.message, y, argv, names),
          ExitCode.Usage,
        );
      })
      .epilogue(
        "Exit codes: 0 ok, 1 failed, 2 usage or config, 3 credentials, 4 policy, 5 no Pulumi CLI",
      )
      .wrap(Math.min(100, process.stdout.columns ?? 100))
      .parseAsync([...argv], {}, (_error, _args, output) => {
        shown = output;
      });
  } catch (error) {
    return finish(run, argv, error);
  }
  if (shown !== "") io.out(shown);
  return finish(run, argv);
}

/**
 * Ends a run: a failure as one line on stderr (and its stack with --verbose);
 * with --json, the one JSON document on stdout, the result or the failure or
 * both: `{ "ok": false, …result, "error": { "exitCode", "message" } }`.
 * Returns the exit code.
 */
export function finish(run: Run, argv: readonly string[], error?: unknown): ExitCodeValue {
  const { io } = run.ctx;
  const given = (flag: string) => argv.slice(0, indexOrEnd(argv, "--")).includes(flag);
  let code = run.exitCode();
  let failure: { exitCode: ExitCodeValue; message: string } | undefined =
    code === ExitCode.Ok ? undefined : { exitCode: code, message: run.failure() ?? "failed" };
  if (error !== undefined) {
    code = exitCodeOf(error);
    const message = error instanceof Error ? error.message : String(error);
    failure = { exitCode: code, message };
    io.err(`silkroute: ${message}`);
    if (given("--verbose") && error instanceof Error && error.stack) io.err(error.stack);
  }
  if (given("--json") || given("--json=true")) {
    const doc = { ok: code === ExitCode.Ok, ...run.document(), ...(failure && { error: failure }) };
    io.out(JSON.stringify(doc, null, 2));
  }
  return code;
}

function indexOrEnd(list: readonly string[], item: string): number {
  const at = list.indexOf(item);
  return at < 0 ? list.length : at;
}

/** The documented exit code of a failure (README "Exit codes"). */
export function exitCodeOf(error: unknown): ExitCodeValue {
  if (error instanceof CliError) return error.exitCode;
  // Bad stack config (ConfigError), an app module that cannot be loaded (AppModuleError: the
  // file silkroute:app.program names), or a component refusing its args (ResourceError).
  const marks = error as { name?: string; __pulumResourceError?: boolean };
  if (marks?.name === "ConfigError" || marks?.name === "AppModuleError") return ExitCode.Usage;
  if (marks?.__pulumResourceError === true) return ExitCode.Usage;
  return ExitCode.Failed;
}
