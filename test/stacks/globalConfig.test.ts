import { DEFAULT_ACCESS_LOG_RETENTION_DAYS } from "../../components/accessLogBucket";
import { ARTIFACT_BUCKET_FOLDERS } from "../../components/naming";
import * as os from "os";
import { appPermissionNeeds } from "../../stacks/config/app";
import { deployRegions, loadGlobalConfig, PULUMI_SHA256 } from "../../stacks/config/global";
import { ConfigError } from "../../stacks/config/read";
import { stackKind } from "../../stacks/select";

/** The global config of `values`, keyed without the namespace, structured ones as JSON. */
const load = (values: Record<string, unknown>) =>
  loadGlobalConfig(
    Object.fromEntries(
      Object.entries(values).map(([k, v]) => [
        `silkroute:${k}`,
        typeof v === "string" ? v : JSON.stringify(v),
      ]),
    ),
  );

describe("global config", () => {
  it("defaults to the seed: us-east-1, cn-north-1, dev → stage → prod with approval before prod", () => {
    const cfg = load({});
    expect(cfg.pipelineRegion).toBe("us-east-1");
    expect(cfg.chinaRegion).toBe("cn-north-1");
    expect(cfg.environments.map((e) => [e.name, e.approval, e.china])).toEqual([
      ["dev", false, true],
      ["stage", false, true],
      ["prod", true, true],
    ]);
    expect(cfg.environments[0].chinaParameterPrefix).toBe("/China/Dev");
    expect(cfg.ssmParameters.codeBuildRole).toBe("/US/Dev/CodeBuildRole");
    expect(cfg.source).toEqual({
      type: "codecommit",
      repositoryName: "silkroute-app",
      branch: "main",
    });
  });

  it("accepts one role name in two accounts, and a prefix and name of 40 characters together", () => {
    const cfg = load({
      prefix: "a".repeat(24),
      environments: [
        { name: "b".repeat(15) },
        { name: "stage", crossAccount: { accountId: "222222222222", roleName: "Deployer" } },
        { name: "prod", crossAccount: { accountId: "333333333333", roleName: "Deployer" } },
      ],
    });
    expect(cfg.environments).toHaveLength(3);
  });

  it("accepts environment names that share a beginning but not a word", () => {
    const names = ["dev", "devops", "pre-prod", "prod", "prod2"];
    expect(load({ environments: names.map((name) => ({ name })) }).environments).toHaveLength(5);
  });

  it.each(ARTIFACT_BUCKET_FOLDERS.map((f) => [f.folder, f.holds]))(
    "refuses the prefix that would make the pipeline's artifact folder %s (%s)",
    (folder, holds) => {
      // given the prefix whose first 20 characters are that folder's name
      const prefix = folder.replace(/\/$/, "");
      // when / then: one line naming the key, the folder and what it holds
      expect(() => load({ prefix })).toThrow(
        `silkroute:prefix would make the pipeline keep its artifacts in ${folder} of the artifact buckets (the first 20 characters of the prefix), where silkroute keeps ${holds}: choose another prefix, got "${prefix}". Run: pulumi config set silkroute:prefix silkroute --stack global`,
      );
    },
  );

  it("accepts a prefix whose first 20 characters name no folder of silkroute's", () => {
    for (const prefix of ["apps", "app-x", "pr-preview-results-x", "codebuild-cache2"]) {
      expect(load({ prefix }).prefix).toBe(prefix);
    }
  });

  it("resolves cross-account parameter names the seed's way and lists deploy Regions once", () => {
    const cfg = load({
      environments: [
        { name: "dev", globalRegions: ["us-east-1", "eu-west-1"] },
        {
          name: "stage",
          globalRegions: ["eu-west-1"],
          crossAccount: { accountId: "222222222222", roleName: "r" },
        },
      ],
    });
    expect(cfg.environments[1].crossAccount?.parameterName).toBe("/US/Stage/CrossAccountStageRole");
    expect(deployRegions(cfg)).toEqual(["us-east-1", "eu-west-1"]);
  });

  // given a bad value, when loading, then one line names key, value and the fix
  it.each<[string, Record<string, unknown>, string]>([
    [
      "a China pipeline Region",
      { pipelineRegion: "cn-north-1" },
      'silkroute:pipelineRegion must be a Region of the aws partition (China\'s is silkroute:chinaRegion), got "cn-north-1". Run: pulumi config set silkroute:pipelineRegion us-east-1 --stack global',
    ],
    [
      "a global China Region",
      { chinaRegion: "us-east-1" },
      'silkroute:chinaRegion must be a Region of the aws-cn partition: cn-north-1 or cn-northwest-1, got "us-east-1". Run: pulumi config set silkroute:chinaRegion cn-north-1',
    ],
    [
      "a Region that is no Region",
      { pipelineRegion: "virginia" },
      'silkroute:pipelineRegion must be a Region of the aws partition (China\'s is silkroute:chinaRegion), got "virginia". Run: pulumi config set silkroute:pipelineRegion us-east-1 --stack global',
    ],
    [
      "a Region misspelt",
      { pipelineRegion: "eu-wset-1" },
      'silkroute:pipelineRegion must be a Region of the aws partition (China\'s is silkroute:chinaRegion), got "eu-wset-1". Run: pulumi config set silkroute:pipelineRegion eu-west-1 --stack global',
    ],
    [
      "a Region that does not exist",
      { environments: [{ name: "dev", globalRegions: ["us-east-9"] }] },
      `silkroute:environments[0].globalRegions[0] must be a Region of the aws partition (China's is silkroute:chinaRegion), got "us-east-9". Run: pulumi config set --path 'silkroute:environments[0].globalRegions[0]' us-east-1 --stack global`,
    ],
    [
      "an upper-case environment",
      { environments: [{ name: "Dev" }] },
      "silkroute:environments[0].name must be at most 16 lower-case letters and digits",
    ],
    [
      "an environment whose name starts with another's and a '-' (their app names overlap)",
      { environments: [{ name: "dev" }, { name: "dev-eu" }] },
      `silkroute:environments[1].name starts with dev-, the name of environment dev and a '-': the app resources of dev are named <prefix>-dev-*, so each environment's deploy identity could change the other's app. Rename one of dev and dev-eu so that neither starts with the other's name and a '-', got "dev-eu". Run: pulumi config set --path 'silkroute:environments[1].name' eu-dev --stack global`,
    ],
    [
      "the longer name first",
      { environments: [{ name: "pre-prod" }, { name: "pre" }] },
      "silkroute:environments[0].name starts with pre-, the name of environment pre",
    ],
    [
      "an environment name ending in '-' (dev- and dev are both /China/Dev)",
      { environments: [{ name: "dev-" }] },
      `silkroute:environments[0].name must be at most 16 lower-case letters and digits, starting with a letter, in words joined by single '-' (dev, pre-prod), got "dev-"`,
    ],
    [
      "a doubled '-' (pre--prod and pre-prod are both /China/PreProd)",
      { environments: [{ name: "pre--prod" }] },
      "silkroute:environments[0].name must be at most 16 lower-case letters and digits",
    ],
    [
      "an environment name of 17 characters",
      { environments: [{ name: "a".repeat(17) }] },
      "silkroute:environments[0].name must be at most 16 lower-case letters and digits",
    ],
    [
      "two environments whose China key names meet (dev-1 and dev1 are both /China/Dev1)",
      { environments: [{ name: "dev-1" }, { name: "dev1" }] },
      "silkroute:environments[1].chinaParameterPrefix is missing (must differ from environment dev-1's, /China/Dev1: each environment's deploy identity reads SSM names of its own). Run: pulumi config set --path 'silkroute:environments[1].chinaParameterPrefix' /China/dev1 --stack global",
    ],
    [
      "two environments configured with one China key prefix",
      {
        environments: [
          { name: "dev", chinaParameterPrefix: "/China/Keys" },
          { name: "qa", chinaParameterPrefix: "/China/Keys" },
        ],
      },
      `silkroute:environments[1].chinaParameterPrefix must differ from environment dev's, /China/Keys: each environment's deploy identity reads SSM names of its own, got "/China/Keys"`,
    ],
    [
      "two environments assuming one cross-account role (stage would hold prod's)",
      {
        environments: [
          { name: "dev" },
          { name: "stage", crossAccount: { accountId: "222222222222", roleName: "Deployer" } },
          { name: "prod", crossAccount: { accountId: "222222222222", roleName: "Deployer" } },
        ],
      },
      `silkroute:environments[2].crossAccount.roleName is the role environment stage assumes in account 222222222222 too: each environment's deploy identity must assume a role of its own, or stage's deploy holds prod's role before prod's approval; create a role for prod there, got "Deployer". Run: pulumi config set --path 'silkroute:environments[2].crossAccount.roleName' Deployer-prod --stack global`,
    ],
    [
      "a prefix and an environment name too long together (ChinaDeployer's 40-character app prefix)",
      { prefix: "a".repeat(24), environments: [{ name: "b".repeat(16) }] },
      `silkroute:environments[0].name makes with silkroute:prefix ${"a".repeat(24)} the app prefix ${"a".repeat(24)}-${"b".repeat(16)}, 41 characters, more than the 40 the app's resource names allow: shorten silkroute:prefix or this name to at most 15 characters, got "${"b".repeat(16)}". Run: pulumi config set --path 'silkroute:environments[0].name' ${"b".repeat(15)} --stack global`,
    ],
    [
      "an environment defined twice",
      { environments: [{ name: "dev" }, { name: "dev" }] },
      'silkroute:environments[1].name is defined twice, got "dev"',
    ],
    [
      "no environments",
      { environments: [] },
      "silkroute:environments must list at least one environment",
    ],
    [
      "a China Region as a deploy Region",
      { environments: [{ name: "dev", globalRegions: ["cn-north-1"] }] },
      `silkroute:environments[0].globalRegions[0] must be a Region of the aws partition (China's is silkroute:chinaRegion), got "cn-north-1". Run: pulumi config set --path 'silkroute:environments[0].globalRegions[0]' us-east-1 --stack global`,
    ],
    [
      "an account id that is not 12 digits",
      { environments: [{ name: "prod", crossAccount: { accountId: "1234", roleName: "r" } }] },
      `silkroute:environments[0].crossAccount.accountId must be a 12-digit AWS account id (quote it in YAML), got "1234". Set the 12-digit id of that account with: pulumi config set --path --type string 'silkroute:environments[0].crossAccount.accountId' <account-id> --stack global`,
    ],
    [
      "an unknown source type",
      { source: { type: "svn" } },
      'silkroute:source.type must have type codecommit or github, got "svn". Run: pulumi config set --path silkroute:source.type codecommit --stack global',
    ],
    [
      "a source type misspelt",
      { source: { type: "gitub", repository: "acme/app" } },
      'silkroute:source.type must have type codecommit or github, got "gitub". Run: pulumi config set --path silkroute:source.type github --stack global',
    ],
    [
      "a GitHub repository without owner",
      { source: { type: "github", repository: "app" } },
      'silkroute:source.repository must be owner/repo, got "app". Set the GitHub repository with: pulumi config set --path silkroute:source.repository <owner>/<repo> --stack global',
    ],
    [
      "an SSM name without leading slash",
      { ssmParameters: { codeBuildRole: "US/Dev/CodeBuildRole" } },
      `silkroute:ssmParameters.codeBuildRole must be an SSM parameter name: '/' and up to 15 levels of letters, digits, '_', '.' or '-' (no trailing '/'), got "US/Dev/CodeBuildRole". Run: pulumi config set --path silkroute:ssmParameters.codeBuildRole /US/Dev/CodeBuildRole --stack global`,
    ],
    [
      "an SSM name under the names AWS reserves",
      { ssmParameters: { codeBuildRole: "/aws/CodeBuildRole" } },
      "silkroute:ssmParameters.codeBuildRole must not start with /aws or /ssm, which AWS reserves",
    ],
    [
      "a Pulumi version that is not x.y.z",
      { pulumiVersion: "latest" },
      'silkroute:pulumiVersion must be a version such as 3.248.0, got "latest". Run: pulumi config set silkroute:pulumiVersion 3.248.0',
    ],
    ["a retention of zero days", { noncurrentVersionDays: "0" }, "silkroute:noncurrentVersionDays"],
    [
      "a Pulumi CLI checksum that is no SHA-256",
      { pulumiSha256: "abc123" },
      'silkroute:pulumiSha256 must be a SHA-256: 64 hexadecimal characters, got "abc123". Run: pulumi config set silkroute:pulumiSha256 a13732d8921f99d70b9ae270d79c3b575bb37707fce7486e64fef333afc11ae0 --stack global',
    ],
    [
      "another Pulumi version without its checksum",
      { pulumiVersion: "3.250.0" },
      "silkroute:pulumiSha256 is missing (needed with pulumiVersion 3.250.0: silkroute knows the SHA-256 of 3.248.0 only). Set the SHA-256 of pulumi-v3.250.0-linux-x64.tar.gz, as pulumi-3.250.0-checksums.txt of the Pulumi release lists it, with: pulumi config set silkroute:pulumiSha256 <sha256> --stack global",
    ],
    [
      "pipeline artifacts kept zero days",
      { artifactRetentionDays: "0" },
      'silkroute:artifactRetentionDays must be at least 1 day, got "0". Run: pulumi config set silkroute:artifactRetentionDays 30 --stack global',
    ],
    [
      "a fractional artifact retention",
      { artifactRetentionDays: "1.5" },
      'silkroute:artifactRetentionDays must be a whole number of days, got "1.5"',
    ],
    [
      "no app version kept",
      { appVersionsKept: "0" },
      'silkroute:appVersionsKept must keep at least 1 version (the deployed one), got "0". Run: pulumi config set silkroute:appVersionsKept 10 --stack global',
    ],
    [
      "app versions kept that are no number",
      { appVersionsKept: "ten" },
      'silkroute:appVersionsKept must be a whole number of versions, got "ten"',
    ],
    [
      "access logs kept zero days",
      { accessLogRetentionDays: "0" },
      'silkroute:accessLogRetentionDays must be at least 1 day, got "0". Run: pulumi config set silkroute:accessLogRetentionDays 365 --stack global',
    ],
    [
      "access logs kept longer than ten years",
      { accessLogRetentionDays: "3651" },
      'silkroute:accessLogRetentionDays must be at most 3650 days, got "3651"',
    ],
    [
      "a preview switch that is not a boolean",
      { previewChina: "yes please" },
      'silkroute:previewChina must be true or false, got "yes please". Run: pulumi config set silkroute:previewChina false',
    ],
    [
      "a schedule that is no EventBridge Scheduler expression",
      { operations: { checks: true, schedule: "daily" } },
      `silkroute:operations.schedule must be an EventBridge Scheduler expression: rate(1 day), rate(12 hours) or cron(0 6 * * ? *) (six fields, ? in exactly one of day-of-month and day-of-week), got "daily". Run: pulumi config set --path silkroute:operations.schedule 'rate(1 day)' --stack global`,
    ],
    [
      "a one-time schedule",
      { operations: { rotation: true, rotationSchedule: "at(2026-12-01T00:00:00)" } },
      "silkroute:operations.rotationSchedule must be an EventBridge Scheduler expression",
    ],
    [
      "a plural unit for one (rate(1 days))",
      { operations: { schedule: "rate(1 days)" } },
      "silkroute:operations.schedule must be an EventBridge Scheduler expression",
    ],
    [
      "a key age past IAM's 90 days",
      { operations: { keyMaxAgeDays: 120 } },
      `silkroute:operations.keyMaxAgeDays must be at most 90 days (IAM's longest recommended key age), got 120. Run: pulumi config set --path silkroute:operations.keyMaxAgeDays 23 --stack global`,
    ],
    [
      "a key age that is no whole number",
      { operations: { keyMaxAgeDays: "soon" } },
      "silkroute:operations.keyMaxAgeDays must be a whole number of days",
    ],
    [
      "a switch that is not a boolean",
      { operations: { checks: "yes" } },
      `silkroute:operations.checks must be true or false, got "yes". Run: pulumi config rm --path silkroute:operations.checks --stack global && pulumi config set --path silkroute:operations.checks true --stack global`,
    ],
    [
      "scheduled rotation with no China environment",
      { operations: { rotation: true }, environments: [{ name: "dev", china: false }] },
      "silkroute:operations.rotation needs an environment that deploys to China",
    ],
    [
      "a subscriber that is no email address",
      { notifications: { emails: ["ops at example"] } },
      `silkroute:notifications.emails[0] must be an email address, got "ops at example". Set the address to notify with: pulumi config set --path 'silkroute:notifications.emails[0]' <email> --stack global`,
    ],
    [
      "an endpoint over plain HTTP",
      { notifications: { httpsEndpoints: ["http://hooks.example.com/x"] } },
      `silkroute:notifications.httpsEndpoints[0] must be an https:// URL without a user name or password, got "http://hooks.example.com/x"`,
    ],
    [
      "an endpoint with credentials in it, which config and state keep in plain text",
      { notifications: { httpsEndpoints: ["https://user:secret@hooks.example.com/x"] } },
      `silkroute:notifications.httpsEndpoints[0] must be an https:// URL without a user name or password`,
    ],
    [
      "an address subscribed twice (in another case), a second resource of the same name",
      { notifications: { emails: ["ops@example.com", "dev@example.com", "Ops@Example.com"] } },
      `silkroute:notifications.emails[2] is listed twice: each endpoint is subscribed once, got "Ops@Example.com". Run: pulumi config rm --path 'silkroute:notifications.emails[2]'`,
    ],
    [
      "an endpoint subscribed twice",
      { notifications: { httpsEndpoints: ["https://h.example.com/a", "https://h.example.com/a"] } },
      `silkroute:notifications.httpsEndpoints[1] is listed twice: each endpoint is subscribed once, got "https://h.example.com/a". Run: pulumi config rm --path 'silkroute:notifications.httpsEndpoints[1]'`,
    ],
    [
      "a prefix with capitals",
      { prefix: "Silk" },
      "silkroute:prefix must be 2-24 lower-case letters, digits or '-', starting with a letter, got \"Silk\"",
    ],
  ])("rejects %s", (_what, values, message) => {
    let error: Error | undefined;
    try {
      load(values);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe("ConfigError");
    expect(error?.message).toContain(message);
    expect(error?.message.split("\n")).toHaveLength(1);
    // a command to paste, or one with a placeholder where no value is safe to suggest
    expect(error?.message).toMatch(
      /(Run: pulumi config (set|rm) .*|with: pulumi config set .* <.+>) --stack global$/,
    );
  });

  it("pins the Pulumi CLI it knows the checksum of, keeps artifacts 30 days and 10 app versions", () => {
    // given / when
    const cfg = load({});
    // then
    expect(cfg.pulumiVersion).toBe("3.248.0");
    expect(cfg.pulumiSha256).toBe(PULUMI_SHA256["3.248.0"]);
    expect(cfg.pulumiSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(cfg.artifactRetentionDays).toBe(30);
    expect(cfg.appVersionsKept).toBe(10);
  });

  it("turns the scheduled builds off, checks daily and warns of a key 7 days before a 30-day window ends, by default", () => {
    const cfg = load({});
    expect(cfg.operations).toEqual({
      checks: false,
      schedule: "rate(1 day)",
      keyMaxAgeDays: 23,
      rotation: false,
      rotationSchedule: "rate(1 day)",
    });
    expect(cfg.notifications).toEqual({ emails: [], httpsEndpoints: [] });
  });

  it.each([
    "rate(1 day)",
    "rate(12 hours)",
    "rate(30 minutes)",
    "cron(0 6 * * ? *)",
    "cron(0/15 8-18 ? * MON-FRI *)",
    "cron(30 2 L * ? 2027)",
    "cron(0 9 ? JAN,JUL 2#1 *)",
    "cron(0 6 15W * ? *)",
  ])("takes the schedule %s", (schedule) => {
    expect(load({ operations: { checks: true, schedule } }).operations.schedule).toBe(schedule);
  });

  // EventBridge Scheduler's CreateSchedule refuses each with a ValidationException.
  it.each([
    ["both day fields given", "cron(0 6 * * * *)"],
    ["both day fields ?", "cron(0 6 ? * ? *)"],
    ["words for numbers", "cron(a b c d e f)"],
    ["a minute out of range", "cron(60 6 * * ? *)"],
    ["an hour out of range", "cron(0 24 * * ? *)"],
    ["five fields, as Unix cron has", "cron(0 6 * * ?)"],
    ["a day of week out of range", "cron(0 6 ? * 8 *)"],
  ])("refuses a schedule with %s: %s", (_what, schedule) => {
    expect(() => load({ operations: { checks: true, schedule } })).toThrow(
      `silkroute:operations.schedule must be an EventBridge Scheduler expression`,
    );
  });

  it.each(["rate(1 day)"])("takes the rotation schedule %s", (rotationSchedule) => {
    const cfg = load({ operations: { rotation: true, rotationSchedule } });
    expect(cfg.operations.rotationSchedule).toBe(rotationSchedule);
  });

  it("keeps access logs as long as the log bucket does by default, or as configured", () => {
    expect(load({}).accessLogRetentionDays).toBe(DEFAULT_ACCESS_LOG_RETENTION_DAYS);
    expect(load({ accessLogRetentionDays: "90" }).accessLogRetentionDays).toBe(90);
  });

  it("takes a configured checksum for another Pulumi version, in lower case", () => {
    // given
    const sha = "AB".repeat(32);
    // when
    const cfg = load({ pulumiVersion: "3.250.0", pulumiSha256: sha });
    // then
    expect(cfg.pulumiSha256).toBe("ab".repeat(32));
  });
});

describe("stack selection", () => {
  it.each(["global", "acme/global", "acme/silkroute/global"])(
    "runs the global program for %s",
    (s) => {
      expect(stackKind(s)).toBe("global");
    },
  );

  it("names the stack and the fix for any other stack", () => {
    expect(() => stackKind("dev")).toThrow(
      'stack "dev" is not a silkroute stack: use global or china (org-qualified names such as acme/global work too). Run: pulumi stack select global',
    );
  });
});

describe("silkroute:app", () => {
  const load = (app: unknown) => () => loadGlobalConfig({ "silkroute:app": JSON.stringify(app) });

  it("is the sample when absent", () => {
    expect(loadGlobalConfig({}).app.source).toEqual({ kind: "sample" });
  });

  it("takes a program or a template, with the kinds it manages and its functions use", () => {
    const cfg = load({ program: "infra/app.ts", manages: ["queue", "scheduler:schedule"] })();
    expect(cfg.app).toEqual({
      source: { kind: "program", program: "infra/app.ts" },
      manages: ["queue", "scheduler:schedule"],
      functionsUse: [],
    });
    const cfn = load({ cloudformation: { template: "t.yaml", parameters: { Size: 3 } } })();
    expect(cfn.app.source).toEqual({
      kind: "cloudformation",
      template: "t.yaml",
      parameters: { Size: "3" },
    });
  });

  it.each([
    [
      { program: "a.ts", cloudformation: { template: "t.yaml" } },
      /names both a program and a cloudformation template/,
    ],
    [
      { program: "../outside.ts" },
      /silkroute:app\.program must be a path inside the project folder/,
    ],
    [
      { cloudformation: { template: "t.yaml", capabilities: ["IAM"] } },
      /must be one of CAPABILITY_AUTO_EXPAND, CAPABILITY_IAM, CAPABILITY_NAMED_IAM/,
    ],
    [
      { manages: ["queues"] },
      /silkroute:app\.manages\[0\] must be a kind: "queues" is neither a kind silkroute knows/,
    ],
    [{ functionsUse: ["iam:policy"] }, /IAM's own excepted/],
    [
      { programme: "a.ts" },
      /^silkroute:app\.programme is not a key of silkroute:app; did you mean silkroute:app\.program\? Run: /,
    ],
  ])("refuses %j with one line", (app, message) => {
    expect(load(app)).toThrow(message);
  });

  it("names a template it cannot read, and the command that points at one", () => {
    const app = load({ cloudformation: { template: "app/missing.yaml" } })().app;
    expect(() => appPermissionNeeds(app, os.tmpdir())).toThrow(ConfigError);
    expect(() => appPermissionNeeds(app, os.tmpdir())).toThrow(
      /^silkroute:app\.cloudformation\.template: .*missing\.yaml.*\. Point it at the template, a path in the project, e\.g\.: pulumi config set --path silkroute:app\.cloudformation\.template app\/template\.yaml --stack global$/,
    );
  });

  it("names a parameter's fix with a value for it, and a bad parameter name's with its removal", () => {
    // given a parameter whose value is a map, and a name no template can declare
    const attempt = load({
      cloudformation: { template: "t.yaml", parameters: { Stage: { a: 1 }, "my-size": 3 } },
    });
    // then each line ends in a command that fixes it (the engine suite runs them)
    expect(attempt).toThrow(
      `silkroute:app.cloudformation.parameters.Stage must be a string, a number or true/false, got {"a":1}. Run: pulumi config set --path silkroute:app.cloudformation.parameters.Stage prod --stack global`,
    );
    expect(attempt).toThrow(
      `silkroute:app.cloudformation.parameters.my-size: the name "my-size" is no template parameter name (1-255 letters and digits); set its value under such a name instead. Run: pulumi config rm --path silkroute:app.cloudformation.parameters.my-size --stack global`,
    );
  });
});
