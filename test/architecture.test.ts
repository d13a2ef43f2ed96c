import * as fs from "fs";
import * as path from "path";
import { folderArrows, folderOf, importCycles, importGraph, ROOT } from "./helpers/importGraph";

const DOC = "docs/architecture.md";
const doc = fs.readFileSync(path.join(ROOT, DOC), "utf8");

/** The source layers, top first: an import goes down, never up (docs/architecture.md#layers). */
const LAYERS = ["automation/", "stacks/", "components/"];

/** The first fenced block after a heading of the doc, one entry a line. */
function block(heading: string): string[] {
  const section = doc.split(`\n## ${heading}\n`)[1] ?? "";
  const body = /```text\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
  return body.split("\n").filter((line) => line.trim() !== "");
}

/** One cycle through the files of a strongly connected component, as `a → b → a`. */
function cycleThrough(graph: Map<string, string[]>, files: readonly string[]): string {
  const members = new Set(files);
  const start = files[0];
  const walk = (file: string, trail: string[]): string[] | undefined => {
    for (const next of graph.get(file) ?? []) {
      if (next === start) return [...trail, next];
      if (members.has(next) && !trail.includes(next)) {
        const found = walk(next, [...trail, next]);
        if (found) return found;
      }
    }
    return undefined;
  };
  return (walk(start, [start]) ?? files).join(" → ");
}

describe("the import graph", () => {
  const graph = importGraph();

  it("has no import cycle", () => {
    // given every file's imports, types included
    expect(graph.size).toBeGreaterThan(250);
    // when
    const cycles = importCycles(graph).map((c) => cycleThrough(graph, c));
    // then
    if (cycles.length > 0) {
      throw new Error(
        `import cycle(s) not allowed (move the shared types or functions into a module both import):\n${cycles.join("\n")}`,
      );
    }
  });

  it(`draws every arrow between folders that ${DOC} draws, and no other`, () => {
    // given the doc's arrows, `from/ → to/ to/`
    const drawn = block("Arrows").flatMap((line) => {
      const [from, to] = line.split("→").map((s) => s.trim());
      return to.split(/\s+/).map((target) => `${from} → ${target}`);
    });
    // then they are the imports between folders, as they are
    const actual = [...folderArrows(graph).keys()];
    expect({ missingFromDoc: actual.filter((a) => !drawn.includes(a)) }).toEqual({
      missingFromDoc: [],
    });
    expect({ notImported: drawn.filter((a) => !actual.includes(a)) }).toEqual({ notImported: [] });
  });

  it("imports only down the layers: automation/ → stacks/ → components/", () => {
    // given
    const layer = (file: string) => LAYERS.indexOf(folderOf(file));
    // when
    const upwards = [...graph].flatMap(([file, targets]) =>
      targets.filter((t) => layer(file) > layer(t) && layer(t) >= 0).map((t) => `${file} → ${t}`),
    );
    // then: what both layers need belongs in the lower one (${DOC}#layers)
    expect({ upwards }).toEqual({ upwards: [] });
  });
});

describe("the cycle finder", () => {
  it("finds a cycle through three files and none in a chain", () => {
    const graph = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts", "d.ts"]],
      ["d.ts", []],
    ]);
    expect(importCycles(graph)).toEqual([["a.ts", "b.ts", "c.ts"]]);
    expect(cycleThrough(graph, ["a.ts", "b.ts", "c.ts"])).toBe("a.ts → b.ts → c.ts → a.ts");
    graph.set("c.ts", ["d.ts"]);
    expect(importCycles(graph)).toEqual([]);
  });

  it("sees type-only imports, re-exports, dynamic imports and require()", () => {
    // given files of the project that import each way
    const graph = importGraph([
      "automation/driver/deploy.ts",
      "components/aws/index.ts",
      "automation/plan/plan.ts",
      "bench/targets.js",
    ]);
    // then
    expect(graph.get("automation/driver/deploy.ts")).toContain("automation/commands/options.ts");
    expect(graph.get("components/aws/index.ts")).toContain("components/aws/s3.ts");
    expect(graph.get("automation/plan/plan.ts")).toContain("stacks/global.ts");
    expect(graph.get("bench/targets.js")).toContain("automation/cli.ts");
  });
});
