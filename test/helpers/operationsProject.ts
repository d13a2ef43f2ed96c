import * as fs from "fs";
import * as path from "path";
import { tempDir } from "./tempDir";

const ROOT = path.resolve(__dirname, "../..");

/**
 * A copy of the project's stack files whose Pulumi.global.yaml also turns on
 * the scheduled checks and rotation and subscribes an address and an
 * endpoint: the shipped sample with the day-2 keys set.
 */
export function operationsProject(): string {
  const dir = tempDir("silkroute-ops-project-");
  for (const file of ["Pulumi.yaml", "Pulumi.global.yaml", "Pulumi.china.yaml"]) {
    fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
  }
  fs.appendFileSync(
    path.join(dir, "Pulumi.global.yaml"),
    [
      "  silkroute:operations:",
      "    checks: true",
      "    rotation: true",
      "    keyMaxAgeDays: 20",
      "  silkroute:notifications:",
      "    emails: [ops@example.com]",
      "    httpsEndpoints: [https://hooks.example.com/silkroute]",
      "",
    ].join("\n"),
  );
  return dir;
}
