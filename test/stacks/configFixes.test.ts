import { dump, load } from "js-yaml";
import { formatPath } from "../../stacks/config/edits";
import { Mistake, mistakesOf, problems, shippedYaml, STACKS } from "../helpers/configMistakes";
import { runConfigCommands, shellCommands } from "../helpers/pulumiConfigCli";

const RUN = " Run: ";
/** A line with no value safe to suggest: a command with a `<placeholder>` to replace. */
const TEMPLATE = / with: pulumi config set .* <[^>]+> --stack (global|china)$/;
/** A misspelt key holding more than a few commands could move: renamed in the file. */
const RENAME =
  /^silkroute:(\w+) is not a key .* Rename it to (\w+) in Pulumi\.(global|china)\.yaml\.$/;

/** Renames a top-level key in the YAML text, as a person following a RENAME line does. */
function rename(yaml: string, line: string): string {
  const [, from, to] = RENAME.exec(line)!;
  const doc = load(yaml) as { config: Record<string, unknown> };
  doc.config = Object.fromEntries(
    Object.entries(doc.config).map(([k, v]) => [
      k === `silkroute:${from}` ? `silkroute:${to}` : k,
      v,
    ]),
  );
  return dump(doc);
}

/** The command of a line that ends with one, else undefined. */
export function commandOf(line: string): string | undefined {
  const at = line.lastIndexOf(RUN);
  return at < 0 ? undefined : line.slice(at + RUN.length);
}

/**
 * Pastes every printed command, round after round (a fixed value may let a
 * check across keys run that could not before), until none is printed.
 * Returns the lines fixed and what is left.
 */
function pasteAll(m: Mistake): { fixed: string[]; left: string[] } {
  let yaml = m.yaml;
  const fixed: string[] = [];
  for (let round = 0; round < 4; round++) {
    const lines = problems(m.stack, yaml);
    const runnable = lines.filter((l) => commandOf(l) !== undefined || RENAME.test(l));
    if (runnable.length === 0) return { fixed, left: lines };
    for (const line of runnable) {
      const command = commandOf(line);
      yaml = command
        ? runConfigCommands(yaml, m.stack.stack, shellCommands(command))
        : rename(yaml, line);
      fixed.push(line);
    }
  }
  throw new Error(`still printing commands after 4 rounds: ${problems(m.stack, yaml).join("\n")}`);
}

const MISTAKES = STACKS.flatMap(mistakesOf);

describe("config mistakes", () => {
  it("cover every key of both stacks, a bad value and a misspelling each", () => {
    for (const key of ["pipelineRegion", "environments[0].crossAccount.accountId", "source.type"]) {
      expect(MISTAKES.map((m) => `${m.stack.stack} ${m.title}`)).toContainEqual(
        expect.stringMatching(new RegExp(`^global ${key.replace(/[[\].]/g, "\\$&")}: `)),
      );
    }
    expect(MISTAKES.filter((m) => m.title.includes("misspelt")).length).toBeGreaterThan(20);
    expect(MISTAKES.length).toBeGreaterThan(60);
  });
});

describe.each(MISTAKES.map((m) => [`${m.stack.stack} ${m.title}`, m] as const))(
  "%s",
  (_title, mistake) => {
    const lines = problems(mistake.stack, mistake.yaml);
    const key = `silkroute:${formatPath(mistake.path)}`;

    it("is one line per problem, naming the key, each with a command or what to set", () => {
      expect(lines.some((l) => l.startsWith(`${key} `))).toBe(true);
      for (const line of lines) {
        expect(line).toMatch(/^silkroute:\S+ /);
        const fixable = commandOf(line) !== undefined || RENAME.test(line);
        expect({ line, fixable: fixable || TEMPLATE.test(line) }).toEqual({ line, fixable: true });
      }
    });

    it("names the closest valid key of a misspelt one", () => {
      if (mistake.meant === undefined) return;
      const line = lines.find((l) => l.startsWith(`${key} `));
      expect(line).toContain(`is not a key`);
      expect(line).toContain(`; did you mean silkroute:${formatPath(mistake.meant)}?`);
    });

    it("is gone once the printed commands are pasted, leaving only lines with a placeholder", () => {
      // when every printed command is run as the Pulumi CLI runs it
      const { fixed, left } = pasteAll(mistake);
      // then nothing printed a command again, and no line it fixed is back
      for (const line of left) expect(line).toMatch(TEMPLATE);
      expect(left.filter((l) => fixed.includes(l))).toEqual([]);
      expect(left.some((l) => l.startsWith(`${key} `) && !TEMPLATE.test(l))).toBe(false);
    });
  },
);

describe("a misspelt key beside the key it meant, set already to another value", () => {
  it("offers to keep the set value or to use the misspelt key's, and either command fixes it", () => {
    // given pipelineRegion set, and pipelineRegon set to another Region
    const global = STACKS.find((s) => s.stack === "global")!;
    const yaml = `${shippedYaml("global")}  silkroute:pipelineRegon: eu-west-1\n`;
    const [line] = problems(global, yaml);
    // then both choices are printed
    const keep = / To keep it, run: (.*); to use /.exec(line)?.[1];
    const use = / instead, run: (.*)$/.exec(line)?.[1];
    expect(keep).toBe("pulumi config rm silkroute:pipelineRegon --stack global");
    expect(use).toBeDefined();
    // and each, run as printed, leaves nothing wrong; the second with the misspelt key's value
    expect(problems(global, runConfigCommands(yaml, "global", shellCommands(keep!)))).toEqual([]);
    const used = runConfigCommands(yaml, "global", shellCommands(use!));
    expect(problems(global, used)).toEqual([]);
    expect(used).toMatch(/silkroute:pipelineRegion: eu-west-1/);
  });
});
