import {
  specialArchiveSig,
  specialAssetSig,
  specialSecretSig,
  specialSigKey,
  unknownValue,
} from "@pulumi/pulumi/runtime/rpc";

/**
 * Property values as the engine sends them to a provider that accepts
 * secrets: plain JSON, with secrets, assets and archives as objects marked by
 * Pulumi's signature key, and values unknown during a preview as a sentinel.
 */

export type Wire = unknown;

function sigOf(value: Wire): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const sig = (value as Record<string, unknown>)[specialSigKey];
  return typeof sig === "string" ? sig : undefined;
}

export function isSecret(value: Wire): boolean {
  return sigOf(value) === specialSecretSig;
}

export function isUnknown(value: Wire): boolean {
  return value === unknownValue;
}

export function isAssetOrArchive(value: Wire): boolean {
  const sig = sigOf(value);
  return sig === specialAssetSig || sig === specialArchiveSig;
}

/** The value inside a secret (deeply), as the provider would use it. */
export function reveal(value: Wire): Wire {
  if (isSecret(value)) return reveal((value as { value: Wire }).value);
  if (Array.isArray(value)) return value.map(reveal);
  if (typeof value === "object" && value !== null && !isAssetOrArchive(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)]));
  }
  return value;
}

/** Marks a value secret on the wire, so the engine keeps it encrypted in the state. */
export function secret(value: Wire): Wire {
  return { [specialSigKey]: specialSecretSig, value };
}

/** Where a value was secret, the log says so instead of holding it. */
export const REDACTED = "[secret]";

/** A value fit for the call log: secrets replaced by REDACTED, assets by their kind. */
export function redact(value: Wire): Wire {
  if (isSecret(value)) return REDACTED;
  const sig = sigOf(value);
  if (sig === specialAssetSig) return "[asset]";
  if (sig === specialArchiveSig) return "[archive]";
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v)]));
  }
  return value;
}

/** Deep equality of revealed values (object key order ignored). */
export function sameValue(a: Wire, b: Wire): boolean {
  const x = reveal(a);
  const y = reveal(b);
  if (x === y) return true;
  if (typeof x !== "object" || typeof y !== "object" || x === null || y === null) return false;
  if (Array.isArray(x) !== Array.isArray(y)) return false;
  const kx = Object.keys(x);
  const ky = Object.keys(y);
  if (kx.length !== ky.length) return false;
  return kx.every((k) => sameValue((x as Record<string, Wire>)[k], (y as Record<string, Wire>)[k]));
}

/** True when a value or anything inside it is unknown (a preview of values not yet computed). */
export function containsUnknown(value: Wire): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (typeof value === "object" && value !== null) {
    return Object.values(value).some(containsUnknown);
  }
  return false;
}
