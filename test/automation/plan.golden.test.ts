import * as fs from "fs";
import * as path from "path";
import { main } from "../../automation/cli";
import { firstDifference, GOLDEN_PLAN, REGENERATE } from "../helpers/golden";

const root = path.resolve(__dirname, "../..");

// The default plan, byte for byte: work that only makes the plan faster must not change it.
// `npm run golden` rewrites the file; a commit that does so says why the plan changed.
describe("golden plan", () => {
  it("`silkroute plan --json` prints exactly test/golden/plan.json for the shipped config", async () => {
    // given the shipped Pulumi.global.yaml and Pulumi.china.yaml, run from the project root
    // (asset paths in the plan are relative to the working folder)
    expect(process.cwd()).toBe(root);
    const out: string[] = [];
    // when
    const code = await main(["plan", "--json"], {
      io: { out: (t) => out.push(t.endsWith("\n") ? t : `${t}\n`), err: () => undefined },
      projectDir: root,
    });
    const actual = out.join("");
    if (process.env.SILKROUTE_UPDATE_GOLDEN === "1") {
      fs.mkdirSync(path.dirname(GOLDEN_PLAN), { recursive: true });
      fs.writeFileSync(GOLDEN_PLAN, actual);
    }
    // then
    expect(code).toBe(0);
    const golden = fs.readFileSync(GOLDEN_PLAN, "utf8");
    const difference = firstDifference(JSON.parse(golden), JSON.parse(actual));
    if (difference !== undefined || actual !== golden) {
      throw new Error(
        `the default plan differs from test/golden/plan.json${difference ? ` at ${difference}` : " (formatting)"}. ${REGENERATE}`,
      );
    }
  });
});

describe("firstDifference", () => {
  const doc = {
    stacks: [
      {
        name: "global",
        resources: [{ urn: "urn:a", inputs: { policy: "{}" } }],
        violations: [],
      },
    ],
  };

  it("finds nothing in equal documents", () => {
    expect(firstDifference(doc, structuredClone(doc))).toBeUndefined();
  });

  it("names the stack, the resource and the input that changed", () => {
    const changed = structuredClone(doc);
    changed.stacks[0].resources[0].inputs.policy = '{"x":1}';
    expect(firstDifference(doc, changed)).toBe(
      'plan.stacks[global].resources[urn:a].inputs.policy: expected "{}", got "{\\"x\\":1}"',
    );
  });

  it("names added and removed resources", () => {
    const added = structuredClone(doc);
    added.stacks[0].resources.push({ urn: "urn:b", inputs: { policy: "" } });
    expect(firstDifference(doc, added)).toBe("plan.stacks[global].resources[urn:b] (added)");
    expect(firstDifference(added, doc)).toBe("plan.stacks[global].resources[urn:b] (removed)");
  });
});
