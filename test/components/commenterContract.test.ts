import { StatusType } from "@aws-sdk/client-codebuild";
import { BUILD_END_STATUSES } from "../../components/commenterContract";

describe("BUILD_END_STATUSES", () => {
  it("is every status the SDK knows but IN_PROGRESS", () => {
    expect([...BUILD_END_STATUSES].sort()).toEqual(
      Object.values(StatusType)
        .filter((s) => s !== StatusType.IN_PROGRESS)
        .sort(),
    );
    expect(BUILD_END_STATUSES).toEqual(
      expect.arrayContaining(["SUCCEEDED", "FAILED", "FAULT", "STOPPED", "TIMED_OUT"]),
    );
  });
});
