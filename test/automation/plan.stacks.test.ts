import * as fs from "fs";
import * as path from "path";
import { main } from "../../automation/cli";
import { CliError } from "../../automation/exitCodes";
import { evaluateStack } from "../../automation/plan/evaluate";
import { AppStack, stacksToEvaluate } from "../../automation/plan/plan";
import { PlanDocument } from "../../automation/plan/types";
import { loadProjectConfig, isChinaTarget, targetsOf } from "../../automation/targets";
import { GOLDEN_PLAN } from "../helpers/golden";

// The real evaluateStack, recorded: which stacks a plan evaluates is what --stack is about.
jest.mock("../../automation/plan/evaluate", () => {
  const actual = jest.requireActual("../../automation/plan/evaluate");
  return { ...actual, evaluateStack: jest.fn(actual.evaluateStack) };
});
const evaluated = () =>
  (evaluateStack as jest.Mock).mock.calls.map(([options]) => (options as { stack: string }).stack);

const root = path.resolve(__dirname, "../..");
const golden = JSON.parse(fs.readFileSync(GOLDEN_PLAN, "utf8")) as PlanDocument;

/** The app stacks of the shipped config. */
function shippedApps(): AppStack[] {
  const cfg = loadProjectConfig(root);
  return cfg.environments.flatMap((env) =>
    targetsOf(cfg, env).map((target) => ({
      name: `app-${target.stackName}`,
      env,
      target,
      inChina: isChinaTarget(target),
    })),
  );
}

/** Which stacks a stack reads outputs of (the china stack and app stacks' artifact buckets). */
function readsFrom(name: string, apps: readonly AppStack[]): string[] {
  if (name === "china") return ["global"];
  const app = apps.find((a) => a.name === name);
  if (app === undefined) return [];
  return app.inChina ? ["global", "china"] : ["global"];
}

describe("stacksToEvaluate", () => {
  const apps = shippedApps();
  const all = ["global", "china", ...apps.map((a) => a.name)];

  it("evaluates every stack when none is asked for, global first and china second", () => {
    expect(stacksToEvaluate(undefined, apps)).toEqual(all);
  });

  it.each(all)("evaluates %s and only the stacks it reads outputs of, each before it", (name) => {
    // when
    const order = stacksToEvaluate([name], apps);
    // then
    expect([...order].sort()).toEqual([name, ...readsFrom(name, apps)].sort());
    for (const needed of readsFrom(name, apps)) {
      expect(order.indexOf(needed)).toBeLessThan(order.indexOf(name));
    }
  });

  it("evaluates no China stack for an app stack in a global Region", () => {
    expect(stacksToEvaluate(["app-prod-us-east-1"], apps)).not.toContain("china");
  });

  it("takes app for every app stack", () => {
    expect(stacksToEvaluate(["app"], apps)).toEqual(all);
  });

  it("names an unknown stack and every stack of the config, exit 2", () => {
    const attempt = () => stacksToEvaluate(["global", "app-dev-mars-1"], apps);
    expect(attempt).toThrow(CliError);
    expect(attempt).toThrow(
      `unknown stack app-dev-mars-1; this config plans: ${all.join(", ")} (or app for every app stack)`,
    );
    expect(() => attempt()).toThrow(expect.objectContaining({ exitCode: 2 }));
  });
});

describe("plan --stack", () => {
  beforeEach(() => (evaluateStack as jest.Mock).mockClear());

  async function planJson(argv: string[]): Promise<PlanDocument> {
    const out: string[] = [];
    const code = await main(["plan", "--json", ...argv], {
      io: { out: (t) => out.push(t), err: () => undefined },
      projectDir: root,
    });
    expect(code).toBe(0);
    return JSON.parse(out.join(""));
  }

  // One stack of each kind: global, china, an app stack in a global Region and one in China.
  it.each(["global", "china", "app-dev-us-east-1", "app-prod-china"])(
    "--stack %s evaluates only what it needs and plans that stack as the full plan does",
    async (name) => {
      // when
      const doc = await planJson(["--stack", name]);
      // then
      expect(doc.stacks).toEqual(golden.stacks.filter((s) => s.name === name));
      expect([...evaluated()].sort()).toEqual([name, ...readsFrom(name, shippedApps())].sort());
    },
  );
});
