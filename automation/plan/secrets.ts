// How the Pulumi runtime marks a secret value on the wire (rpc.specialSigKey /
// specialSecretSig): `{ [SIG_KEY]: SECRET_SIG, value }`.
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** The text a secret value is shown as in a plan. */
export const SECRET_PLACEHOLDER = "[secret]";

export function isSecretValue(value: unknown): value is { value: unknown } {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG
  );
}

/** Deep copy with every secret replaced by `[secret]`. */
export function maskSecrets(value: unknown): unknown {
  return mapSecrets(value, () => SECRET_PLACEHOLDER);
}

/** Deep copy with every secret replaced by its plain value (for assertions). */
export function revealSecrets(value: unknown): unknown {
  return mapSecrets(value, (secret) => revealSecrets(secret.value));
}

function mapSecrets(value: unknown, onSecret: (s: { value: unknown }) => unknown): unknown {
  if (isSecretValue(value)) return onSecret(value);
  if (Array.isArray(value)) return value.map((v) => mapSecrets(v, onSecret));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapSecrets(v, onSecret)]));
  }
  return value;
}
