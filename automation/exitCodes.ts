/** The exit codes of every silkroute command (README "Exit codes"). */
export const ExitCode = {
  /** Everything succeeded. */
  Ok: 0,
  /** A Pulumi operation or a target failed. */
  Failed: 1,
  /** Bad command line or bad config: nothing was started. */
  Usage: 2,
  /** Missing SSM parameter, access denied or invalid credentials: nothing was started. */
  Credentials: 3,
  /** The plan or preview found policy violations. */
  Policy: 4,
  /** A required tool (the Pulumi CLI) is not installed. */
  MissingTool: 5,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** A failure the CLI reports as one line with a documented exit code. */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
  ) {
    super(message);
  }
}
