import { Io } from "../io";
import { ExitCodeValue } from "../exitCodes";

/** What every command gets: where to write, and how to report its exit code. */
export interface CommandContext {
  readonly io: Io;
  /** Folder holding Pulumi.yaml and the stack config files. */
  readonly projectDir: string;
  setExitCode(code: ExitCodeValue): void;
}
