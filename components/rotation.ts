/**
 * Key rotation windows: time since the Unix epoch cut into fixed windows of
 * `days` days. The window a moment falls in is a pure function of that moment,
 * so every `pulumi preview` / `pulumi up` on the same day agrees on it, and the
 * first run after a window ends sees a new id, which replaces the access key.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** IAM best practice (and FSBP IAM.3): rotate access keys at least every 90 days; silkroute caps it at 30. */
export const MAX_ROTATION_DAYS = 30;

export interface RotationWindow {
  /** Stable id of the window, e.g. `30d-686`: changes exactly when a new window starts. */
  readonly id: string;
  /** When this window started (UTC midnight), ISO 8601. */
  readonly startedAt: string;
  /** When the next window starts: the first `pulumi up` from then on issues a new key. ISO 8601. */
  readonly nextRotation: string;
}

/** Returns the problem with a rotation period, or undefined; `name` is the argument reported. */
export function validateRotationDays(days: number, name = "keyRotationDays"): string | undefined {
  if (!Number.isInteger(days) || days < 1 || days > MAX_ROTATION_DAYS) {
    return `${name} must be a whole number of days from 1 to ${MAX_ROTATION_DAYS}, got ${days}`;
  }
  return undefined;
}

/** The rotation window of `days` days that `now` falls in. */
export function rotationWindow(now: Date, days: number): RotationWindow {
  const problem = validateRotationDays(days);
  if (problem) throw new RangeError(problem);
  const time = now.getTime();
  if (Number.isNaN(time)) throw new RangeError("rotationWindow: now is not a valid date");
  const length = days * DAY_MS;
  const index = Math.floor(time / length);
  return {
    id: `${days}d-${index}`,
    startedAt: new Date(index * length).toISOString(),
    nextRotation: new Date((index + 1) * length).toISOString(),
  };
}

/**
 * The value given to the access key's `replacementTrigger`: the window id, and
 * the operator's nonce when one is set (changing the nonce forces a rotation).
 */
export function rotationTrigger(window: RotationWindow, nonce?: string): string {
  return nonce === undefined || nonce === "" ? window.id : `${window.id}/${nonce}`;
}
