import * as fs from "fs";
import * as path from "path";
import { DRIVER_ONLY_VARIABLES } from "../../automation/commands/run";
import { DEFAULT_LOCK_RETRY } from "../../automation/driver/context";

/** A doc with its line breaks and runs of blanks folded, so sentences can be matched whole. */
function doc(name: string): string {
  return fs.readFileSync(path.join(__dirname, "../../docs", name), "utf8").replace(/\s+/g, " ");
}

describe("docs/driver.md says what the driver does", () => {
  it("states the lock retry as the code runs it: attempts in all and the waits", () => {
    // given
    const { attempts, baseDelayMs, maxDelayMs } = DEFAULT_LOCK_RETRY;
    const waits = Array.from(
      { length: attempts - 1 },
      (_, i) => Math.min(baseDelayMs * 2 ** i, maxDelayMs) / 1000,
    );
    // when
    const text = doc("driver.md");
    // then
    expect(text).toContain(
      `gets ${attempts} attempts in all (the first one and ${attempts - 1} retries), waiting ${waits.join(", ")} s before the retries`,
    );
    expect(text).not.toMatch(/retried \d+ times/);
  });

  it("says GITHUB_TOKEN and GH_TOKEN are removed before Pulumi runs, not only redacted", () => {
    // given / when
    const text = doc("driver.md");
    // then
    expect(text).not.toContain("read only to be redacted");
    expect(text).toContain(
      `${DRIVER_ONLY_VARIABLES.map((v) => `\`${v}\``).join(" and ")} are read once, at start-up, into the driver's own copy of the environment`,
    );
    expect(text).toContain(
      "then deleted from the process environment before any Pulumi workspace is created",
    );
    expect(text).toContain(
      "the build's own shell, and every other command of the buildspec, still has them",
    );
  });
});

describe("docs/pr-comments.md recommends the least token", () => {
  it("a fine-grained token for the one repository with Pull requests read and write, no classic scope", () => {
    // given / when
    const text = doc("pr-comments.md");
    // then
    expect(text).toContain("**Only select repositories**, this one repository");
    expect(text).toContain("**Pull requests: Read and write**, and nothing else");
    expect(text).not.toMatch(/classic personal access token: `repo`|`public_repo` \(public ones\)/);
  });

  it("says plainly that pr-preview runs pull-request code with the token in its environment", () => {
    // given / when
    const text = doc("pr-comments.md");
    // then
    expect(text).toContain(
      "**pr-preview runs pull-request code with this token in its environment.**",
    );
    expect(text).toContain("a token able to push is a risk");
  });
});
