import { ExitCode } from "./exitCodes";

/** What exitWith uses of a process. */
export interface ExitingProcess {
  exitCode?: number | string | null | undefined;
  on(event: "exit", listener: () => void): unknown;
  readonly stderr: { write(text: string): unknown };
}

/**
 * Ends the process with the exit code `main` settles with. A `main` that
 * rejects (it reports every failure itself, redacted) ends it with 1 and one
 * line that names nothing of the error, so no secret can leak. A `main` that
 * never settles, because something it waits for never comes (a promise
 * nothing resolves), would otherwise end with 0 once nothing is left to run:
 * it ends with 1 and says so.
 */
export function exitWith(main: Promise<number>, proc: ExitingProcess = process): void {
  let settled = false;
  main.then(
    (code) => {
      settled = true;
      proc.exitCode = code;
    },
    () => {
      settled = true;
      proc.stderr.write("silkroute: internal error\n");
      proc.exitCode = ExitCode.Failed;
    },
  );
  proc.on("exit", () => {
    if (settled) return;
    proc.stderr.write(
      "silkroute: internal error: the command stopped before it finished, waiting for something that never came\n",
    );
    proc.exitCode = ExitCode.Failed;
  });
}
