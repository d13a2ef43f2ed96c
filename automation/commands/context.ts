import { Io } from "../io";
import { ExitCodeValue } from "../exitCodes";

/** What every command gets: where to write, and how to report its exit code. */
export interface CommandContext {
  readonly io: Io;
  /** Folder holding Pulumi.yaml and the stack config files. */
  readonly projectDir: string;
  /** The exit code, and for a failure the line said about it (the JSON document's `error`). */
  setExitCode(code: ExitCodeValue, message?: string): void;
  /**
   * The command's result with --json: printed on stdout as one document when
   * the command ends, with `"ok"` (whether it exits 0) first, and `"error"`
   * too when it fails (commands/run.ts).
   */
  printJson(document: Readonly<Record<string, unknown>>): void;
}
