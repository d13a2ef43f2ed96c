import type { AccessLogTarget } from "../../components/secureBucket";

/**
 * A log bucket a component test's buckets log to: a name only, as a test
 * double for an AccessLogBucket target (the stacks' tests use real ones).
 */
export const TEST_ACCESS_LOGS: AccessLogTarget = {
  bucket: "silkroute-access-logs-test",
  prefix: "test/",
};
