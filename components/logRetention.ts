/** The values CloudWatch Logs accepts for a log group's `retentionInDays`. */
export const LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
];

/** The problem with a retention value, or undefined when CloudWatch Logs accepts it. */
export function logRetentionProblem(days: number | undefined): string | undefined {
  if (days === undefined || LOG_RETENTION_DAYS.includes(days)) return undefined;
  return `logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(", ")} (what CloudWatch Logs accepts), got ${days}`;
}
