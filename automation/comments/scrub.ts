import { REDACTED } from "../redact";

/*
 * Credentials recognisable by their shape. The poster knows no secret of the
 * pull request's build, so value-based redaction cannot protect text that the
 * build wrote; these patterns are its last line of defence against a preview
 * that printed a credential by mistake.
 */
const SHAPES: readonly RegExp[] = [
  // GitHub personal, OAuth, user-to-server, server-to-server and refresh tokens.
  /\bgh[pousr]_[A-Za-z0-9]{36,251}\b/g,
  // GitHub fine-grained personal access tokens.
  /\bgithub_pat_[A-Za-z0-9_]{22,251}\b/g,
  // AWS access key ids (long-term, temporary and other IAM unique-id prefixes).
  /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g,
  // PEM private keys, whole.
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  // Slack tokens.
  /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g,
];

/**
 * An AWS secret access key is 40 base64 characters, like many harmless values:
 * hidden only where a name says what it is.
 */
const NAMED_AWS_SECRET =
  /\b(aws_secret_access_key|secret_?access_?key|AWS_SECRET_ACCESS_KEY)(["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/gi;

/** `text` with every credential of a known shape replaced by `[redacted]`. */
export function redactCredentialShapes(text: string): string {
  const named = text.replace(
    NAMED_AWS_SECRET,
    (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`,
  );
  return SHAPES.reduce((result, shape) => result.replace(shape, REDACTED), named);
}
