import * as fs from "fs";
import * as path from "path";
import { DRIVER_ONLY_VARIABLES } from "../../automation/commands/run";
import { DEFAULT_LOCK_RETRY } from "../../automation/driver/context";
import { readBuildspec, silkrouteCommands } from "../../components/buildspecs";
import { BUILD_END_STATUSES } from "../../components/commenterContract";
import { archiveLimit } from "../../automation/commenter/resultArchive";
import { RESULT_LIMITS } from "../../automation/comments/result";
import {
  ACCESS_LOG_FOLDERS,
  chinaAccessLogFolder,
  PR_RESULT_ARCHIVE,
  PR_RESULT_FOLDER,
} from "../../components/naming";
import { S3_LOG_DELIVERY, servicePrincipal } from "../../components/partition";
import { loadGlobalConfig } from "../../stacks/config/global";
import { PR_RESULT_EXPIRY } from "../../components/prCommenter";
import { BUILD_EVENTS, PIPELINE_EVENTS } from "../../components/notifications";
import { isolationPolicies } from "../../automation/policies/isolation";
import { operationsPolicies } from "../../automation/policies/operations";
import { stackSecretsProvider } from "../../automation/pulumi/settings";
import {
  checksRoleName,
  deployProjectName,
  deployRoleName,
  operationsRolePath,
  rotationRoleName,
  SECRETS_CONTEXT_KEY,
} from "../../components/naming";

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

  it("says plainly that pull-request code never holds the token", () => {
    // given / when
    const text = doc("pr-comments.md");
    // then
    expect(text).toContain("**Pull-request code never holds this token.**");
    expect(text).not.toContain("with this token in its environment");
  });
});

describe("docs/pr-comments.md describes the two phases as the code runs them", () => {
  const text = doc("pr-comments.md");

  it("names the statuses that start the poster, as the SDK spells them", () => {
    expect(text).toContain(
      `build statuses that end a build: ${BUILD_END_STATUSES.map((s) => `\`${s}\``).join(", ")}`,
    );
  });

  it("states the result's size bound, its place and its expiry", () => {
    const bytes = RESULT_LIMITS.bytes.toLocaleString("en-US");
    expect(text).toContain(`| the whole document | ${bytes} bytes (the poster reads no more) |`);
    expect(text).toContain(`| targets | ${RESULT_LIMITS.targets} |`);
    expect(text).toContain(`\`${PR_RESULT_FOLDER}<build id>/${PR_RESULT_ARCHIVE}\``);
    expect(text).toContain(
      `at most ${archiveLimit(RESULT_LIMITS.bytes).toLocaleString("en-US")} bytes of the archive`,
    );
    expect(text).toContain(
      `expires everything under \`${PR_RESULT_EXPIRY.prefix}\` after ${PR_RESULT_EXPIRY.days} days`,
    );
  });

  it("quotes the pr-preview buildspec's command as it is", () => {
    const [command] = silkrouteCommands(readBuildspec("pr-preview"));
    expect(text).toContain(`node bin/${command.replace(/^silkroute/, "silkroute.js")}`);
  });
});

describe("docs/security.md states the design the code runs", () => {
  it("names the encryption context the driver sends and every trust-boundary rule", () => {
    // given / when
    const text = doc("security.md");
    // then
    // the migration command gives a stack exactly the provider the driver sets
    expect(text).toContain(
      stackSecretsProvider("awskms://alias/silkroute-pulumi-state?region=us-east-1", "dev-china"),
    );
    expect(text).toContain(`kms:EncryptionContext:${SECRETS_CONTEXT_KEY}`);
    for (const rule of isolationPolicies()) expect(text).toContain(`\`${rule.name}\``);
    for (const rule of operationsPolicies()) expect(text).toContain(`\`${rule.name}\``);
  });

  it("names the day-2 roles, their path and projects as naming.ts does", () => {
    const text = doc("security.md");
    expect(text).toContain(`\`${operationsRolePath("silkroute")}\``);
    expect(text).toContain(`\`${checksRoleName("silkroute", "<env>")}\``);
    expect(text).toContain(`\`${rotationRoleName("silkroute")}\``);
  });

  it("names each environment's deploy role and projects as naming.ts does", () => {
    const text = doc("security.md");
    expect(text).toContain(`\`${deployRoleName("silkroute", "<env>")}\``);
    expect(text).toContain(`\`${deployProjectName("silkroute", "<env>", "<region>")}\``);
    expect(text).toContain(`\`${deployProjectName("silkroute", "<env>", "china")}\``);
  });
});

describe("docs/audit.md says where the access logs are, as the code puts them", () => {
  const text = doc("audit.md");

  it("names each source's folder and the log delivery principal", () => {
    for (const folder of [...Object.values(ACCESS_LOG_FOLDERS), chinaAccessLogFolder("<env>")]) {
      expect(text).toContain(`\`${folder}\``);
    }
    expect(text).toContain(`(\`${servicePrincipal(S3_LOG_DELIVERY, "aws")}\`)`);
  });

  it("names the stack outputs that give the log buckets", () => {
    expect(text).toContain("`pulumi stack output accessLogBuckets --stack global`");
    expect(text).toContain("`<env>.accessLogBucket`");
  });

  it("states the retention key and its default as the config reads it", () => {
    const days = loadGlobalConfig({}).accessLogRetentionDays;
    expect(text).toContain(
      `\`silkroute:accessLogRetentionDays\` (default ${days}, in both stacks)`,
    );
  });
});

describe("docs/operations.md states the day-2 design the code runs", () => {
  const text = doc("operations.md");

  it("names the rotation's command as its buildspec runs it", () => {
    const spec = readBuildspec("rotation");
    const command = /^\s+- (pulumi up .*)$/m.exec(spec)![1];
    expect(text).toContain(`\`${command.replace(/ --yes --non-interactive --skip-preview/, "")}\``);
  });

  it("states the default key age and schedule as the config reads them", () => {
    const { operations } = loadGlobalConfig({});
    expect(text).toContain(
      `\`silkroute:operations.keyMaxAgeDays\`, default ${operations.keyMaxAgeDays}`,
    );
    expect(text).toContain(`default \`${operations.rotationSchedule}\``);
  });

  it("names the events the topic hears about", () => {
    for (const id of [...PIPELINE_EVENTS, ...BUILD_EVENTS]) expect(text).toContain(`\`${id}\``);
  });
});
