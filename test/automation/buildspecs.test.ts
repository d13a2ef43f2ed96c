import yargs, { type CommandModule } from "yargs";
import { commandsOf } from "../../automation/cli";
import { BUILDSPEC_KINDS, readBuildspec, silkrouteCommands } from "../../components/buildspecs";
import { Redactor } from "../../automation/redact";
import type { DriverContext } from "../../automation/driver/context";

/** Sample values for the variables the buildspecs pass (CodeBuild sets them). */
const SAMPLE: Record<string, string> = {
  SILKROUTE_ENV: "dev",
  AWS_REGION: "us-east-1",
  SILKROUTE_PREVIEW_TARGET: "global",
  SILKROUTE_PR: "7",
  env: "dev",
  target: "all",
  SILKROUTE_KEY_MAX_AGE_DAYS: "23",
};

/** A buildspec command line as bash would pass it: words, quotes removed, variables expanded. */
function words(line: string): string[] {
  const tokens = line.match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
  return tokens.map((t) =>
    t
      .replace(/^["']|["']$/g, "")
      .replace(/\$\{?(\w+)\}?/g, (_m, name: string) => SAMPLE[name] ?? "value"),
  );
}

/** The CLI's yargs layer with every handler replaced: parsing only, strict. */
async function parse(argv: string[]): Promise<string | undefined> {
  const ctx = {
    io: { out: () => undefined, err: () => undefined },
    projectDir: ".",
    setExitCode: () => undefined,
    printJson: () => undefined,
    redactor: new Redactor(),
    services: {},
    env: {},
  } as DriverContext;
  const commands = commandsOf(ctx).map(
    (c) => ({ ...c, handler: () => undefined }) as CommandModule,
  );
  try {
    await yargs(argv)
      .command(commands)
      .option("verbose", { type: "boolean" })
      .demandCommand(1)
      .strict()
      .exitProcess(false)
      .fail((message, error) => {
        throw error ?? new Error(message);
      })
      .parseAsync(argv, {}, () => undefined);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

const lines = BUILDSPEC_KINDS.flatMap((kind) =>
  silkrouteCommands(readBuildspec(kind)).map((line) => [kind, line]),
);

describe("the buildspecs' silkroute commands", () => {
  it("the deploy and preview buildspecs run silkroute at all", () => {
    // given / when
    const kinds = new Set(lines.map(([kind]) => kind));
    // then
    expect(kinds).toEqual(new Set(["deploy-global", "deploy-china", "pr-preview", "operations"]));
  });

  it.each(lines)("%s: `%s` parses with the CLI's commands and flags", async (_kind, line) => {
    // given
    const argv = words(line).slice(1);
    // when
    const problem = await parse(argv);
    // then
    expect(problem).toBeUndefined();
  });

  it("a renamed flag would fail the check", async () => {
    // given / when
    const problem = await parse(["deploy", "--environment", "dev", "--target", "china"]);
    // then
    expect(problem).toMatch(/Unknown argument|Missing required argument/);
  });

  it("an unknown command would fail the check", async () => {
    // given / when
    const problem = await parse(["ship", "--env", "dev"]);
    // then
    expect(problem).toMatch(/Unknown arguments?: .*ship/);
  });
});
