import { spawnSync } from "child_process";
import * as fs from "fs";
import { load } from "js-yaml";
import * as os from "os";
import * as path from "path";
import { readBuildspec } from "../../components/buildspecs";

/*
 * Runs the operations buildspec's build phase in bash, as CodeBuild would,
 * with test doubles of `aws` (the state's checkpoints), `git`, `npm` and the
 * driver (bin/silkroute.js in the checkout): which commit each environment's
 * checks run with, and how a failing check ends the build.
 */

const COMMITS = { dev: "1111111aaaaaaa", prod: "2222222bbbbbbb" };

/** A DIY backend checkpoint whose stack outputs name `version`. */
const checkpoint = (version: string) =>
  JSON.stringify({
    checkpoint: {
      latest: {
        resources: [
          { type: "pulumi:providers:aws", outputs: {} },
          { type: "pulumi:pulumi:Stack", outputs: { version, functionName: "f" } },
        ],
      },
    },
  });

interface Result {
  readonly status: number | null;
  readonly output: string;
  /** What the doubles saw, one line per call: `git checkout <v>`, `npm ci @<head>`, `silkroute <args> @<head>`. */
  readonly calls: string[];
}

function runChecks(
  checks: string,
  checkpoints: Record<string, string>,
  failing: string[] = [],
): Result {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "silkroute-ops-"));
  const bin = path.join(dir, "fakes");
  const work = path.join(dir, "checkout");
  const states = path.join(dir, "states");
  for (const d of [bin, path.join(work, "bin"), states]) fs.mkdirSync(d, { recursive: true });
  for (const [stack, text] of Object.entries(checkpoints)) {
    fs.writeFileSync(path.join(states, `${stack}.json`), text);
  }
  const log = path.join(dir, "calls.log");
  const head = path.join(dir, "HEAD");
  fs.writeFileSync(head, "branch-head");
  const script = (name: string, body: string) =>
    fs.writeFileSync(path.join(bin, name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
  // aws s3 cp s3://state/.pulumi/stacks/silkroute/<stack>.json -
  script(
    "aws",
    `f="${states}/$(basename "$3")"; [ -f "$f" ] || { echo "404" >&2; exit 1; }; cat "$f"`,
  );
  script(
    "git",
    `case " ${Object.values(COMMITS).join(" ")} " in *" $4 "*) echo "$4" > "${head}"; echo "git checkout $4" >> "${log}";; *) echo "error: pathspec '$4' did not match" >&2; exit 1;; esac`,
  );
  script("npm", `echo "npm $* @$(cat "${head}")" >> "${log}"`);
  fs.writeFileSync(
    path.join(work, "bin", "silkroute.js"),
    `const fs = require("fs");
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(log)}, "silkroute " + args.join(" ") + " @" + fs.readFileSync(${JSON.stringify(head)}, "utf8").trim() + "\\n");
const env = args[args.indexOf("--env") + 1];
process.exit(${JSON.stringify(failing)}.includes(args[0] + ":" + env) ? 1 : 0);
`,
  );
  const spec = load(readBuildspec("operations")) as { phases: { build: { commands: string[] } } };
  const result = spawnSync("bash", ["-c", spec.phases.build.commands.join("\n")], {
    cwd: work,
    encoding: "utf8",
    env: {
      PATH: `${bin}:${process.env.PATH}`,
      PULUMI_BACKEND_URL: "s3://silkroute-state?region=us-east-1",
      SILKROUTE_CHECKS: checks,
      SILKROUTE_KEY_MAX_AGE_DAYS: "23",
    },
  });
  const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [];
  fs.rmSync(dir, { recursive: true, force: true });
  return { status: result.status, output: result.stdout + result.stderr, calls };
}

describe("the operations buildspec's checks", () => {
  it("checks each environment with the commit it runs, installed before the driver runs", () => {
    // given dev and prod on different commits
    const result = runChecks("dev,all,dev-us-east-1,keys prod,china,prod-us-east-1,keys", {
      "dev-us-east-1": checkpoint(COMMITS.dev),
      "prod-us-east-1": checkpoint(COMMITS.prod),
    });
    // then
    expect(result.status).toBe(0);
    expect(result.calls).toEqual([
      `git checkout ${COMMITS.dev}`,
      `npm ci @${COMMITS.dev}`,
      `silkroute status --env dev @${COMMITS.dev}`,
      `silkroute drift --env dev --target all @${COMMITS.dev}`,
      `silkroute keys --env dev --max-age-days 23 @${COMMITS.dev}`,
      `git checkout ${COMMITS.prod}`,
      `npm ci @${COMMITS.prod}`,
      `silkroute status --env prod @${COMMITS.prod}`,
      `silkroute drift --env prod --target china @${COMMITS.prod}`,
      `silkroute keys --env prod --max-age-days 23 @${COMMITS.prod}`,
    ]);
    expect(result.output).toContain("every check passed");
  });

  it("installs once for environments on the same commit; no drift or keys where the entry says -", () => {
    // given
    const result = runChecks("dev,all,dev-us-east-1,keys lab,-,lab-us-east-1,-", {
      "dev-us-east-1": checkpoint(COMMITS.dev),
      "lab-us-east-1": checkpoint(COMMITS.dev),
    });
    // then
    expect(result.status).toBe(0);
    expect(result.calls.filter((c) => c.startsWith("npm"))).toHaveLength(1);
    expect(result.calls.filter((c) => c.includes("--env lab"))).toEqual([
      `silkroute status --env lab @${COMMITS.dev}`,
    ]);
  });

  it("a failing check fails the build after every check ran, naming it", () => {
    // given prod's China function drifted
    const result = runChecks(
      "dev,all,dev-us-east-1,keys prod,china,prod-us-east-1,keys",
      { "dev-us-east-1": checkpoint(COMMITS.dev), "prod-us-east-1": checkpoint(COMMITS.prod) },
      ["drift:prod"],
    );
    // then
    expect(result.status).toBe(1);
    expect(result.output).toContain("checks failed: prod:drift");
    expect(result.calls).toContain(`silkroute keys --env prod --max-age-days 23 @${COMMITS.prod}`);
  });

  it("an environment never deployed is skipped; one running no commit of the repository fails", () => {
    // given stage not deployed, prod deployed from a local version string
    const result = runChecks("stage,all,stage-us-east-1,keys prod,china,prod-us-east-1,keys", {
      "prod-us-east-1": checkpoint("1.2.3"),
    });
    // then nothing of the repository ran at all
    expect(result.status).toBe(1);
    expect(result.output).toContain("stage has not been deployed");
    expect(result.output).toContain("prod runs 1.2.3, which is not a commit of this repository");
    expect(result.calls).toEqual([]);
  });
});
