import * as fs from "fs";
import * as path from "path";
import { main } from "../../automation/cli";
import { PlanDocument, PlannedStack } from "../../automation/plan/types";
import { tempDir } from "./tempDir";

/* The example apps (examples/) as Pulumi.global.yaml names them, in copies of the project. */

export const root = path.resolve(__dirname, "../..");

export const APPS: Record<string, string[]> = {
  sample: [],
  "queue-table": [
    "  silkroute:app:",
    "    program: examples/queue-table/index.ts",
    "    manages: [queue, table]",
    "    functionsUse: [queue, table]",
  ],
  "sam-hello": [
    "  silkroute:app:",
    "    cloudformation:",
    "      template: examples/sam-hello/template.yaml",
  ],
};

/** The shipped stack config with `lines` added to Pulumi.global.yaml, and the examples beside it. */
export function projectWith(lines: string[], dir = tempDir("app-")) {
  for (const f of fs.readdirSync(root).filter((f) => /^Pulumi\..*\.yaml$/.test(f))) {
    const text = fs.readFileSync(path.join(root, f), "utf8");
    fs.writeFileSync(
      path.join(dir, f),
      f === "Pulumi.global.yaml" ? `${text}${lines.join("\n")}\n` : text,
    );
  }
  fs.cpSync(path.join(root, "examples"), path.join(dir, "examples"), { recursive: true });
  return dir;
}

/** `silkroute plan --json` of a project: its exit code and document. */
export async function plan(projectDir: string): Promise<{ code: number; doc: PlanDocument }> {
  const out: string[] = [];
  const code = await main(["plan", "--json"], {
    io: { out: (t) => out.push(t), err: () => undefined },
    projectDir,
  });
  return { code, doc: JSON.parse(out.join("")) };
}

export const stack = (doc: PlanDocument, name: string): PlannedStack =>
  doc.stacks.find((s) => s.name === name)!;
