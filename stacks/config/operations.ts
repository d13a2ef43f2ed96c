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
const CRON = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/;

/** A list of values, ranges and steps of one cron field, as EventBridge Scheduler reads it. */
function cronField(value: string | undefined, range: string, extra = ""): boolean {
  if (value === undefined) return false;
  const item = `(\\*|${range}(-${range})?)(/\\d+)?${extra}`;
  return new RegExp(`^${item}(,${item})*$`, "i").test(value);
}
const MONTHS = "([1-9]|1[0-2]|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)";
const DAYS = "([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)";

/**
 * Whether a cron expression is one EventBridge Scheduler accepts: six fields
 * (minutes, hours, day of month, month, day of week, year), each within its
 * values, and `?` in exactly one of the day-of-month and day-of-week fields.
 */
function validCron(expression: string): boolean {
  const m = CRON.exec(expression);
  if (m === null) return false;
  const [, minutes, hours, dayOfMonth, month, dayOfWeek, year] = m;
  if ((dayOfMonth === "?") === (dayOfWeek === "?")) return false;
  return (
    cronField(minutes, "([0-5]?\\d)") &&
    cronField(hours, "(1?\\d|2[0-3])") &&
    (dayOfMonth === "?" ||
      dayOfMonth === "L" ||
      cronField(dayOfMonth, "([1-9]|[12]\\d|3[01])", "W?")) &&
    cronField(month, MONTHS) &&
    (dayOfWeek === "?" || cronField(dayOfWeek, DAYS, "(L|#[1-5])?")) &&
    cronField(year, "(19[7-9]\\d|2[01]\\d\\d)")
  );
}

/**
 * An EventBridge Scheduler recurring expression: `rate(<n> <unit>)` (singular
 * unit for 1) or `cron(<6 fields>)` with `?` in exactly one of the day fields.
 * A one-time `at(...)` is refused: the checks recur.
 */
export const scheduleExpression = z.string().refine((s) => RATE.test(s) || validCron(s), {
  error:
    "must be an EventBridge Scheduler expression: rate(1 day), rate(12 hours) or cron(0 6 * * ? *) (six fields, ? in exactly one of day-of-month and day-of-week)",
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
      const url = new URL(u);
      return url.protocol === "https:" && url.username === "" && url.password === "";
    } catch {
      return false;
    }
  },
  {
    // The endpoint is kept in plain config and in state: no credentials in it.
    error: "must be an https:// URL without a user name or password",
  },
);

/**
 * A list whose entries are each subscribed once: a second entry of the same
 * endpoint (emails in any case) would be a second resource of the same name.
 */
const subscriptions = (entry: z.ZodType<string>, fold: (v: string) => string) =>
  z
    .array(entry)
    .default([])
    .superRefine((list, ctx) => {
      list.forEach((value, i) => {
        if (list.findIndex((other) => fold(other) === fold(value)) < i) {
          ctx.addIssue({
            code: "custom",
            path: [i],
            input: value,
            message: "is listed twice: each endpoint is subscribed once",
            params: { remove: true },
          });
        }
      });
    });

export const notificationsSchema = z.strictObject({
  /** Addresses subscribed to the notifications topic (each confirms by email); default none. */
  emails: subscriptions(email, (v) => v.toLowerCase()),
  /** HTTPS endpoints subscribed to the topic (each confirms the subscription); default none. */
  httpsEndpoints: subscriptions(httpsEndpoint, (v) => v),
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
