import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import { AppModuleError, loadAppModule } from "../../../automation/app/loadModule";
import { tempDir } from "../../helpers/tempDir";

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
