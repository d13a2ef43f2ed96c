import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import Ajv2020 from "ajv/dist/2020";
import { main } from "../../automation/cli";
import { PLAN_SCHEMA_VERSION } from "../../automation/plan/types";
import { GOLDEN_PLAN } from "../helpers/golden";

const root = path.resolve(__dirname, "../..");
const schema = JSON.parse(fs.readFileSync(path.join(root, "docs", "plan.schema.json"), "utf8"));
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

/** The CLI's stdout for `argv`, parsed: the one JSON document. */
async function planJson(argv: string[], projectDir = root): Promise<unknown> {
  const out: string[] = [];
  await main(argv, { io: { out: (t) => out.push(t), err: () => undefined }, projectDir });
  expect(out).toHaveLength(1);
  return JSON.parse(out[0]);
}

/** The schema's complaints about `doc`, as readable lines (empty when it is valid). */
function problems(doc: unknown): string[] {
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe("docs/plan.schema.json", () => {
  it("holds for the golden plan of the shipped config", () => {
    expect(problems(JSON.parse(fs.readFileSync(GOLDEN_PLAN, "utf8")))).toEqual([]);
  });

  it("holds for a plan with violations, and for the document of a usage error", async () => {
    // given a config that breaks a rule: prod without its approval
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "silkroute-schema-"));
    try {
      for (const f of ["Pulumi.global.yaml", "Pulumi.china.yaml"]) {
        const text = fs.readFileSync(path.join(root, f), "utf8");
        fs.writeFileSync(
          path.join(dir, f),
          text.replace("      approval: true\n", "      approval: false\n"),
        );
      }
      // when
      const violated = (await planJson(["plan", "--json", "--stack", "global"], dir)) as {
        ok: boolean;
        summary: { violations: number };
        error: { exitCode: number };
      };
      const failed = await planJson(["plan", "--json", "--stack", "nope"]);
      // then
      expect(problems(violated)).toEqual([]);
      expect(violated.ok).toBe(false);
      expect(violated.summary.violations).toBeGreaterThan(0);
      expect(violated.error.exitCode).toBe(4);
      expect(problems(failed)).toEqual([]);
      expect(failed).toMatchObject({ ok: false, error: { exitCode: 2 } });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses what the contract does not allow: a missing summary, another version, an unknown field", () => {
    const golden = JSON.parse(fs.readFileSync(GOLDEN_PLAN, "utf8"));
    const withoutSummary = { ...golden };
    delete withoutSummary.summary;
    expect(problems(withoutSummary)).not.toEqual([]);
    expect(problems({ ...golden, schemaVersion: PLAN_SCHEMA_VERSION + 1 })).not.toEqual([]);
    expect(problems({ ...golden, extra: true })).not.toEqual([]);
    expect(problems({ ok: false })).not.toEqual([]);
  });

  it("states the version the plan prints, which docs/plan-json.md documents", () => {
    expect(schema.$defs.plan.properties.schemaVersion).toEqual({ const: PLAN_SCHEMA_VERSION });
    const doc = fs.readFileSync(path.join(root, "docs", "plan-json.md"), "utf8");
    expect(doc).toContain(`"schemaVersion": ${PLAN_SCHEMA_VERSION},`);
    expect(doc).toMatch(new RegExp(`^\\| ${PLAN_SCHEMA_VERSION} +\\|`, "m"));
  });
});
