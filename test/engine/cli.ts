import * as fs from "fs";
import * as path from "path";
import { findOnPath } from "../../automation/pulumi/findCli";

/** The repository root. */
export const REPO = path.resolve(__dirname, "..", "..");
/** Where scripts/pulumi-cli.sh builds the CLI and the Node.js language host. */
export const TOOLS_BIN = path.join(REPO, ".tools", "bin");

export interface PulumiCli {
  /** The `pulumi` executable. */
  readonly pulumi: string;
  /** Its folder: put first on PATH so the engine finds the language host beside it. */
  readonly binDir: string;
}

/**
 * The Pulumi CLI the engine suites run: `pulumi` on PATH, else the one
 * scripts/pulumi-cli.sh built into .tools/bin. Undefined when there is neither.
 */
export function findPulumiCli(
  searchPath = process.env.PATH,
  toolsBin = TOOLS_BIN,
): PulumiCli | undefined {
  const pulumi = findOnPath("pulumi", searchPath) ?? findOnPath("pulumi", toolsBin);
  if (pulumi === undefined) return undefined;
  // Resolve symlinks: the engine looks for its language plugins beside the real binary.
  return { pulumi, binDir: path.dirname(fs.realpathSync(pulumi)) };
}

/** True when a test run is CI's (`CI=true`), where a skipped engine suite is a failure. */
function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI === "true" || env.CI === "1";
}

/** What an engine suite does: run with the CLI found; without one, skip, or fail under CI. */
export function engineSuiteMode(cli: PulumiCli | undefined, env = process.env) {
  return cli ? "run" : isCi(env) ? "fail" : "skip";
}

/**
 * `describe` for a suite that needs the Pulumi CLI: it runs when the CLI is
 * found; otherwise it is skipped with a line on stderr saying so, except
 * under CI, where the missing CLI fails the run.
 */
export function describeWithCli(name: string, body: (cli: PulumiCli) => void): void {
  const cli = findPulumiCli();
  const mode = engineSuiteMode(cli);
  if (cli && mode === "run") {
    describe(name, () => body(cli));
    return;
  }
  const why = `no \`pulumi\` on PATH or in .tools/bin (build it with scripts/pulumi-cli.sh)`;
  if (mode === "fail") {
    describe(name, () => {
      it("has a Pulumi CLI to run against (CI=true: a skipped engine suite is a failure)", () => {
        throw new Error(`${name}: ${why}`);
      });
    });
    return;
  }
  // Straight to stderr: jest prints no console output for a file whose tests are all skipped.
  process.stderr.write(`SKIPPED ${name}: ${why}\n`);
  describe.skip(name, () => body({ pulumi: "pulumi", binDir: TOOLS_BIN }));
}
