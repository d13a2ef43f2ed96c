/** Where a command writes; tests capture it, the CLI binds it to the process. */
export interface Io {
  /** One line (or block) of the command's result, to stdout. */
  out(text: string): void;
  /** Progress and errors, to stderr. */
  err(text: string): void;
}

/**
 * A writer to `stream` that stops quietly once the reader has gone (EPIPE:
 * `silkroute plan --json | head -c 3000`): the command still ends with its
 * own exit code, and no stack trace of a write error follows.
 */
function writer(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    closed = true;
  });
  return (text) => {
    if (!closed) stream.write(text.endsWith("\n") ? text : `${text}\n`);
  };
}

let bound: Io | undefined;

/** The process's stdout and stderr. */
export function processIo(): Io {
  bound ??= { out: writer(process.stdout), err: writer(process.stderr) };
  return bound;
}
