import * as fs from "fs";
import * as path from "path";

const root = path.resolve(__dirname, "..");
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");

/** The shell commands of the README's "Two commands" block, comments and `&&` chains split. */
function twoCommands(): string[] {
  const section = readme.split("## Two commands")[1] ?? "";
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
  return block
    .split("\n")
    .map((line) => line.replace(/#.*/, "").trim())
    .filter((line) => line !== "")
    .flatMap((line) => line.split("&&").map((c) => c.trim()));
}

describe("README", () => {
  it("gives the commands CI runs, in the same order", () => {
    // given
    const commands = twoCommands();
    const ci = fs.readFileSync(path.join(root, ".ci", "run"), "utf8");
    const ciLines = ci.split("\n").filter((l) => !l.startsWith("#"));
    // then
    expect(commands).toEqual(["npm ci", "node bin/silkroute.js plan", "npm test"]);
    const at = commands.map((c) => ciLines.findIndex((l) => l.startsWith(c)));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it("runs the CLI from its build in every command, never through npx (which installs and compiles the checkout again)", () => {
    const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks.filter((b) => /npx\s+silkroute/.test(b))).toEqual([]);
  });
});
