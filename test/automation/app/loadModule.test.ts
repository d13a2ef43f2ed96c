import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import { AppModuleError, loadAppModule } from "../../../automation/app/loadModule";
import { main } from "../../../automation/cli";
import { projectWith } from "../../helpers/appProjects";
import { tempDir } from "../../helpers/tempDir";

/** `silkroute plan` of a project: its exit code and stderr lines. */
async function planOf(projectDir: string): Promise<{ code: number; err: string[] }> {
  const err: string[] = [];
  const code = await main(["plan"], {
    io: { out: () => undefined, err: (t) => err.push(t) },
    projectDir,
  });
  return { code, err };
}

const dir = () => tempDir("module-");
const write = (folder: string, name: string, text: string) => {
  const file = path.join(folder, name);
  fs.writeFileSync(file, text);
  return file;
};

describe("loadAppModule", () => {
  it("loads a TypeScript module with its local imports, @pulumi/aws being silkroute's own", () => {
    const folder = dir();
    write(folder, "names.ts", `export const suffix: string = "orders";\n`);
    const file = write(
      folder,
      "app.ts",
      [
        `import * as aws from "@pulumi/aws";`,
        `import { suffix } from "./names";`,
        `export default function app(ctx: { name(s: string): string }) {`,
        `  return { name: ctx.name(suffix), Provider: aws.Provider };`,
        `}`,
      ].join("\n"),
    );
    const fn = loadAppModule(file);
    const out = fn({ name: (s: string) => `p-${s}` } as never) as Record<string, unknown>;
    expect(out.name).toBe("p-orders");
    expect(out.Provider).toBe(aws.Provider);
  });

  it("takes a CommonJS module's single exported function", () => {
    const file = write(dir(), "app.js", `exports.app = () => ({ version: "x" });\n`);
    expect((loadAppModule(file)({} as never) as Record<string, unknown>).version).toBe("x");
  });

  it("refuses a module that exports no single function, naming the exports", () => {
    const file = write(dir(), "app.ts", `export const a = () => 1;\nexport const b = () => 2;\n`);
    expect(() => loadAppModule(file)).toThrow(AppModuleError);
    expect(() => loadAppModule(file)).toThrow(/must export one function .* it exports a, b/);
  });

  it("refuses a module that does not compile, with its file and line", () => {
    const file = write(dir(), "app.ts", `export default function (ctx) {\n  return {;\n}\n`);
    expect(() => loadAppModule(file)).toThrow(/does not compile: .*app\.ts:2: /);
  });

  it("refuses a missing module with the config key to fix", () => {
    expect(() => loadAppModule(path.join(dir(), "nope.ts"))).toThrow(/silkroute:app\.program/);
  });
});

describe("an app module that cannot be loaded, through the CLI", () => {
  it("is a config error (exit 2) naming the file and the command that points at another", async () => {
    // given silkroute:app.program naming a file that is not there
    const project = projectWith(["  silkroute:app:", "    program: infra/missing.ts"]);
    // when
    const { code, err } = await planOf(project);
    // then
    expect(code).toBe(2);
    expect(err).toEqual([
      expect.stringMatching(
        /^silkroute: app module .*infra\/missing\.ts does not exist: set silkroute:app\.program to a \.ts, \.js or \.cjs file of the project, e\.g\.: pulumi config set --path 'silkroute:app\.program' \.\/infra\/app\.ts --stack global$/,
      ),
    ]);
  });
});
