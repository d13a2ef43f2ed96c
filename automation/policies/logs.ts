import { Policy, resourcePolicy } from "./types";

export const LOGS_POLICIES: readonly Policy[] = [
  resourcePolicy({
    name: "logs-retention",
    description: "Every CloudWatch log group has a retention period (none keeps logs forever).",
    controls: ["CloudWatch.16 (NIST 800-53)"],
    types: ["aws:cloudwatch/logGroup:LogGroup"],
    check: (r) => {
      const days = r.inputs.retentionInDays;
      return days === "[unknown]" || (typeof days === "number" && days > 0)
        ? []
        : ["retentionInDays is not set: give a retention (e.g. 90 or 365 days)"];
    },
  }),
];
