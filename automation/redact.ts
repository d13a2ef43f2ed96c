import { Io } from "./io";

/** What a redacted value is printed as. */
export const REDACTED = "[redacted]";

/**
 * Values of unknown nature shorter than this (SSM parameter values, …) are not
 * hidden: they would blank out ordinary words. Known secrets (registerSecret)
 * are hidden whatever their length.
 */
const MIN_LENGTH = 6;

/** Environment variables whose values are tokens the driver never prints. */
export const TOKEN_VARIABLES = [
  "GITHUB_TOKEN",
  "GH_TOKEN",
  "PULUMI_ACCESS_TOKEN",
  "PULUMI_CONFIG_PASSPHRASE",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
] as const;

/**
 * Value-based redaction: every registered secret (and its URL- and
 * JSON-escaped spellings) is replaced wherever it appears, whatever printed it.
 */
export class Redactor {
  private readonly values = new Set<string>();

  /** Registers a value that may be secret; later calls to redact() hide it unless it is very short. */
  register(value: string | undefined): void {
    if (value === undefined || value.length < MIN_LENGTH) return;
    this.add(value);
  }

  /**
   * Registers a value known to be secret (a passphrase, a token) whatever its
   * length, as given and trimmed: the comment module trims GITHUB_TOKEN and
   * Pulumi trims a passphrase file, so either spelling may be printed.
   * Only an empty or all-blank value is left out (hiding it would hide nothing but spacing).
   */
  registerSecret(value: string | undefined): void {
    if (value === undefined || value.trim() === "") return;
    this.add(value);
    this.add(value.trim());
  }

  /**
   * Registers the values of the token variables set in `env`: whatever their length for a
   * command that hands them on (the driver's), else as values of unknown nature (`silkroute
   * plan` reads none: a passphrase `dev` would otherwise blank every `dev` of its output).
   */
  registerTokens(env: NodeJS.ProcessEnv, read = true): void {
    for (const name of TOKEN_VARIABLES) {
      if (read) this.registerSecret(env[name]);
      else this.register(env[name]);
    }
  }

  /** `text` with every registered value replaced by `[redacted]`. */
  readonly redact = (text: string): string => {
    let result = text;
    // Longest first, so a value containing another is hidden whole.
    for (const value of [...this.values].sort((a, b) => b.length - a.length)) {
      if (result.includes(value)) result = result.split(value).join(REDACTED);
    }
    return result;
  };

  private add(value: string): void {
    for (const form of [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]) {
      if (form !== "") this.values.add(form);
    }
  }
}

/** An Io that redacts every line before it reaches `io`. */
export function redactingIo(io: Io, redactor: Redactor): Io {
  return {
    out: (text) => io.out(redactor.redact(text)),
    err: (text) => io.err(redactor.redact(text)),
  };
}
