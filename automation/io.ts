/** Where a command writes; tests capture it, the CLI binds it to the process. */
export interface Io {
  /** One line (or block) of the command's result, to stdout. */
  out(text: string): void;
  /** Progress and errors, to stderr. */
  err(text: string): void;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
};
