import * as fs from "fs";
import * as path from "path";
import { load } from "js-yaml";

const root = path.resolve(__dirname, "../..");

interface ProjectFile {
  main: string;
  runtime: { name: string; options: { typescript?: boolean; tsconfig?: string } };
}

describe("Pulumi.yaml", () => {
  const project = load(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as ProjectFile;

  it("points ts-node at the project's tsconfig.json from the folder the program runs in", () => {
    // given: the engine runs a file `main` from that file's folder, and the Node.js SDK looks for
    // runtime.options.tsconfig (default tsconfig.json) there; without one, ts-node compiles with
    // module nodenext, which rejects stacks/index.ts's dynamic imports (the real engine showed it)
    const programDir = path.dirname(path.join(root, project.main));
    // when
    const tsconfig = path.resolve(programDir, project.runtime.options.tsconfig ?? "tsconfig.json");
    // then it is the project's, which compiles to CommonJS
    expect(tsconfig).toBe(path.join(root, "tsconfig.json"));
    const options = JSON.parse(fs.readFileSync(tsconfig, "utf8")).compilerOptions;
    expect(options.module).toBe("commonjs");
  });
});
