import { execFileSync } from "child_process";
import { readFileSync } from "fs";
import * as path from "path";
import { isChinaRegion, PARTITION_REGIONS, partitionOf } from "../../components/partition";

const ROOT = path.resolve(__dirname, "..", "..");

describe("components/regions.json", () => {
  it("is what scripts/sdk-regions.js makes of the installed SDK's partition data (npm run sdk-regions)", () => {
    // given the file as committed, and the script's output from the SDK installed now
    const committed = readFileSync(path.join(ROOT, "components", "regions.json"), "utf8");
    const generated = execFileSync(process.execPath, ["scripts/sdk-regions.js", "--print"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    // then
    expect(committed).toBe(generated);
  });

  it("holds Regions only, each in the partition partitionOf names", () => {
    for (const [partition, regions] of Object.entries(PARTITION_REGIONS)) {
      expect(regions).toContain(partition === "aws" ? "us-east-1" : "cn-north-1");
      expect(regions.filter((r) => partitionOf(r) !== partition)).toEqual([]);
      expect(regions.filter((r) => /global/.test(r))).toEqual([]);
    }
    expect(PARTITION_REGIONS["aws-cn"].every(isChinaRegion)).toBe(true);
    expect(PARTITION_REGIONS.aws.some(isChinaRegion)).toBe(false);
  });
});
