import * as fs from "fs";
import * as path from "path";
import { load } from "js-yaml";
import * as ts from "typescript";

const root = path.resolve(__dirname, "../..");

interface ProjectFile {
  main: string;
  runtime: { name: string; options: { typescript?: boolean; tsconfig?: string } };
}

describe("Pulumi.yaml", () => {
  const project = load(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as ProjectFile;

  it("points ts-node at the project's tsconfig.json, under which the entry's lazy loads stay require()", () => {
    // given: the engine runs a file `main` from that file's folder, and the Node.js SDK looks for
    // runtime.options.tsconfig (default tsconfig.json) there; ts-node registers a require() hook,
    // so an import() left in the entry (an ECMAScript import) would not load stacks/*.ts
    const programDir = path.dirname(path.join(root, project.main));
    // when
    const tsconfig = path.resolve(programDir, project.runtime.options.tsconfig ?? "tsconfig.json");
    // then it is the project's, which compiles the entry to CommonJS that requires each program
    expect(tsconfig).toBe(path.join(root, "tsconfig.json"));
    const { config } = ts.readConfigFile(tsconfig, (f) => fs.readFileSync(f, "utf8"));
    const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root);
    const entry = path.join(root, project.main);
    const js = ts.transpileModule(fs.readFileSync(entry, "utf8"), {
      compilerOptions: { ...options, removeComments: true },
      fileName: entry,
    }).outputText;
    expect(js).toContain('require("./global")');
    expect(js).toContain('require("./china")');
    expect(js).not.toMatch(/\bimport\(/);
  });
});
