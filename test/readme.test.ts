import * as fs from "fs";
import * as path from "path";

const root = path.resolve(__dirname, "..");
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");

/** The shell commands of the first `sh` block after `heading`, comments and `&&` chains split. */
function commandsUnder(heading: string): string[] {
  const section = readme.split(heading)[1] ?? "";
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
  return block
    .split("\n")
    .map((line) => line.replace(/#.*/, "").trim())
    .filter((line) => line !== "")
    .flatMap((line) => line.split("&&").map((c) => c.trim()));
}

/** The commands .ci/run runs, comments left out. */
const ciLines = fs
  .readFileSync(path.join(root, ".ci", "run"), "utf8")
  .split("\n")
  .filter((l) => !l.startsWith("#"));

/** Where each command first starts a line of .ci/run (-1 when none does). */
const ciIndex = (commands: string[]) =>
  commands.map((c) => ciLines.findIndex((l) => l.startsWith(c)));

const scripts = (
  JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  }
).scripts;

describe("README", () => {
  it("gives the commands CI runs, in the same order", () => {
    // given
    const commands = commandsUnder("## Two commands");
    // then
    expect(commands).toEqual(["npm ci", "node bin/silkroute.js plan", "npm test"]);
    const at = ciIndex(commands);
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it("gives the engine suites' commands, which CI runs after npm test with CI=true (a skipped suite fails)", () => {
    // given
    const commands = commandsUnder("### The real engine in tests");
    // then
    expect(commands).toEqual(["scripts/pulumi-cli.sh", "npm run test:engine"]);
    const [unit, ci, build, engine] = ciIndex(["npm test", "export CI=true", ...commands]);
    expect(unit).toBeGreaterThanOrEqual(0);
    expect(ci).toBeGreaterThanOrEqual(0);
    expect(ci).toBeLessThan(engine);
    expect(unit).toBeLessThan(build);
    expect(build).toBeLessThan(engine);
  });

  it("runs each jest project in one of npm test and npm run test:engine, the engine suites in the latter", () => {
    // given the projects jest.config.js names and those each script selects
    const config = fs.readFileSync(path.join(root, "jest.config.js"), "utf8");
    const projects = [...config.matchAll(/displayName: "(\w+)"/g)].map((m) => m[1]);
    const selected = (script: string) =>
      [...script.matchAll(/jest(?:\/bin\/jest\.js)? --selectProjects ([\w ]+)/g)].flatMap((m) =>
        m[1].trim().split(" "),
      );
    const [unit, engine] = [selected(scripts.test), selected(scripts["test:engine"])];
    // then
    expect(projects).toEqual(["unit", "engine"]);
    for (const name of projects) {
      expect([name, unit.includes(name) !== engine.includes(name)]).toEqual([name, true]);
    }
    expect(engine).toEqual(["engine"]);
  });

  it("runs the CLI from its build in every command, never through npx (which installs and compiles the checkout again)", () => {
    const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks.filter((b) => /npx\s+silkroute/.test(b))).toEqual([]);
  });
});
