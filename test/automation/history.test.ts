import {
  deployedVersions,
  deployMessage,
  previousVersion,
  rollbackMessage,
  versionOf,
} from "../../automation/driver/history";

const update = (message: string, endTime: string, result = "succeeded") => ({
  kind: "update",
  result,
  message,
  endTime,
});

describe("versions in the stacks' history", () => {
  it("reads the version back from the driver's own messages only", () => {
    expect(versionOf(deployMessage("4f2c1e9"))).toBe("4f2c1e9");
    expect(versionOf(rollbackMessage("1.2.3"))).toBe("1.2.3");
    expect(versionOf("manual fix")).toBeUndefined();
    expect(versionOf("silkroute deploy ../etc")).toBeUndefined();
  });

  it("previous is the newest other version across the targets, failed updates left out", () => {
    // given: v3 reached the global Region but failed in China
    const deployed = deployedVersions({
      "prod-us-east-1": [
        update(deployMessage("v3"), "2026-11-03T00:00:00.000Z"),
        update(deployMessage("v2"), "2026-11-02T00:00:00.000Z"),
      ],
      "prod-china": [
        update(deployMessage("v3"), "2026-11-03T00:01:00.000Z", "failed"),
        update(deployMessage("v2"), "2026-11-02T00:01:00.000Z"),
        { kind: "refresh", result: "succeeded", message: "", endTime: "2026-11-02T10:00:00.000Z" },
      ],
    });
    // when / then
    expect(previousVersion(deployed)).toEqual({ current: "v3", previous: "v2" });
  });

  it("after a rollback, previous is the version rolled back from", () => {
    // given
    const deployed = deployedVersions({
      "prod-china": [
        update(rollbackMessage("v2"), "2026-11-04T00:00:00.000Z"),
        update(deployMessage("v3"), "2026-11-03T00:00:00.000Z"),
        update(deployMessage("v2"), "2026-11-02T00:00:00.000Z"),
      ],
    });
    // when / then
    expect(previousVersion(deployed)).toEqual({ current: "v2", previous: "v3" });
  });

  it("knows no previous version when every recorded update deployed the same one", () => {
    const deployed = deployedVersions({
      "dev-china": [
        update(deployMessage("v1"), "2026-11-02T00:00:00.000Z"),
        update("", "2026-11-01T00:00:00.000Z"),
      ],
    });
    expect(previousVersion(deployed)).toEqual({ current: "v1" });
  });
});
