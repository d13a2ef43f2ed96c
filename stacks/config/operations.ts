import { z } from "zod";
import { MAX_ROTATION_DAYS } from "../../components/rotation";

/*
 * The global stack's day-2 keys (docs/operations.md): the scheduled checks,
 * the optional scheduled key rotation, and who is notified.
 */

/** How many days before its rotation window ends a key is reported as old. */
export const KEY_AGE_WARNING_DAYS = 7;
/** Days after which `silkroute keys` reports a deploy key by default: the longest window, minus the warning. */
export const DEFAULT_KEY_MAX_AGE_DAYS = MAX_ROTATION_DAYS - KEY_AGE_WARNING_DAYS;
/** IAM's own recommendation (FSBP IAM.3): no access key older than 90 days. */
const MAX_KEY_AGE_DAYS = 90;

export const DEFAULT_SCHEDULE = "rate(1 day)";

const RATE = /^rate\((1 (minute|hour|day)|([2-9]|[1-9]\d+) (minutes|hours|days))\)$/;
const CRON = /^cron\(\S+ \S+ \S+ \S+ \S+ \S+\)$/;

/**
 * An EventBridge Scheduler recurring expression: `rate(<n> <unit>)` (singular
 * unit for 1) or `cron(<6 fields>)`. A one-time `at(...)` is refused: the
 * checks recur.
 */
export const scheduleExpression = z.string().refine((s) => RATE.test(s) || CRON.test(s), {
  error:
    "must be an EventBridge Scheduler expression: rate(1 day), rate(12 hours) or cron(0 6 * * ? *)",
});

export const operationsSchema = z.strictObject({
  /**
   * A schedule runs `silkroute drift` and `silkroute keys` for every
   * environment in an operations CodeBuild project of its own; default false.
   */
  checks: z.boolean({ error: "must be true or false" }).default(false),
  /** When the checks run; default rate(1 day). */
  schedule: scheduleExpression.default(DEFAULT_SCHEDULE),
  /**
   * `silkroute keys --max-age-days` of the checks; default 23, the longest
   * rotation window (30 days) minus 7, so a key is reported a week before it
   * outlives a 30-day window.
   */
  keyMaxAgeDays: z.coerce
    .number({ error: "must be a whole number of days" })
    .int({ error: "must be a whole number of days" })
    .min(1, { error: "must be at least 1 day" })
    .max(MAX_KEY_AGE_DAYS, {
      error: `must be at most ${MAX_KEY_AGE_DAYS} days (IAM's longest recommended key age)`,
    })
    .default(DEFAULT_KEY_MAX_AGE_DAYS),
  /**
   * A schedule runs `pulumi up --stack china` on the deploy keys only, with a
   * role that reads the China bootstrap keys; default false
   * (docs/operations.md says what that costs).
   */
  rotation: z.boolean({ error: "must be true or false" }).default(false),
  /** When the rotation runs; default rate(1 day). */
  rotationSchedule: scheduleExpression.default(DEFAULT_SCHEDULE),
});

const email = z.string().regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, { error: "must be an email address" });
const httpsEndpoint = z.string().refine(
  (u) => {
    try {
      return new URL(u).protocol === "https:";
    } catch {
      return false;
    }
  },
  { error: "must be an https:// URL" },
);

export const notificationsSchema = z.strictObject({
  /** Addresses subscribed to the notifications topic (each confirms by email); default none. */
  emails: z.array(email).default([]),
  /** HTTPS endpoints subscribed to the topic (each confirms the subscription); default none. */
  httpsEndpoints: z.array(httpsEndpoint).default([]),
});

export type OperationsConfig = z.output<typeof operationsSchema>;
export type NotificationsConfig = z.output<typeof notificationsSchema>;

/** Values the fix commands of these keys may set (stacks/config/fix.ts). */
export const OPERATIONS_EXAMPLES = {
  "operations.checks": true,
  "operations.schedule": DEFAULT_SCHEDULE,
  "operations.keyMaxAgeDays": DEFAULT_KEY_MAX_AGE_DAYS,
  "operations.rotation": false,
  "operations.rotationSchedule": DEFAULT_SCHEDULE,
  // Whom to tell is the user's to say: no address is safe to guess.
  "notifications.emails[]": { placeholder: "<email>", what: "the address to notify" },
  "notifications.httpsEndpoints[]": {
    placeholder: "<https-url>",
    what: "the HTTPS endpoint to notify",
  },
} as const;
