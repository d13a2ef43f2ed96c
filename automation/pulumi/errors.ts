/**
 * Reading the Automation API's errors without loading it: its errors carry
 * their class in `name` and the CLI's output in `commandResult`.
 */

interface CommandErrorShape {
  name?: string;
  message?: string;
  commandResult?: { stderr?: string; stdout?: string };
}

/** True for the Automation API's ConcurrentUpdateError (the stack is locked). */
export function isConcurrentUpdate(error: unknown): boolean {
  return (error as CommandErrorShape | undefined)?.name === "ConcurrentUpdateError";
}

export function isStackNotFound(error: unknown): boolean {
  return (error as CommandErrorShape | undefined)?.name === "StackNotFoundError";
}

/** Who holds the lock, from the CLI's message (`…: created by user@host (pid 1) at …`). */
export function lockHolder(error: unknown): string | undefined {
  const text = stderrOf(error);
  const line = text.split("\n").find((l) => /created by/.test(l));
  return line?.trim();
}

/**
 * One line for a failed Pulumi operation: the CLI's `error:` lines rather than
 * the Automation API's dump of the whole command result.
 */
export function describePulumiError(error: unknown): string {
  const stderr = stderrOf(error);
  const errors = stderr
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.startsWith("error:"))
    .map((l) => l.slice("error:".length).trim());
  if (errors.length > 0) return errors.join("; ");
  const lastLine = stderr
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .pop();
  if (lastLine) return lastLine;
  const message = error instanceof Error ? error.message : String(error);
  return (
    message
      .split("\n")
      .find((l) => l.trim() !== "")
      ?.trim() ?? message
  );
}

function stderrOf(error: unknown): string {
  const e = error as CommandErrorShape | undefined;
  return e?.commandResult?.stderr ?? (typeof e?.message === "string" ? e.message : "");
}
