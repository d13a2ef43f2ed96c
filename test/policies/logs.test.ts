import { LOGS_POLICIES } from "../../automation/policies/logs";
import { messages, planned } from "../helpers/planned";

const [retention] = LOGS_POLICIES;
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

describe("logs-retention", () => {
  it("passes a log group with a retention", () => {
    expect(messages(retention, planned(LOG_GROUP, { retentionInDays: 90 }))).toEqual([]);
  });

  it("flags a log group kept forever", () => {
    expect(messages(retention, planned(LOG_GROUP, { name: "/aws/lambda/x" }))).toEqual([
      expect.stringContaining("retentionInDays is not set"),
    ]);
  });
});
