import { deployRegions, loadGlobalConfig, PULUMI_SHA256 } from "../../stacks/config/global";
import { stackKind } from "../../stacks/select";

const load = (values: Record<string, unknown>) =>
  loadGlobalConfig((key) => {
    const v = values[key];
    return v === undefined ? undefined : typeof v === "string" ? v : JSON.stringify(v);
  });

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
      'silkroute:pipelineRegion must be a global Region (the China Regions are configured as chinaRegion), got "cn-north-1". Run: pulumi config set silkroute:pipelineRegion us-east-1',
    ],
    [
      "a global China Region",
      { chinaRegion: "us-east-1" },
      'silkroute:chinaRegion must be cn-north-1 or cn-northwest-1, got "us-east-1". Run: pulumi config set silkroute:chinaRegion cn-north-1',
    ],
    [
      "a Region that is no Region",
      { pipelineRegion: "virginia" },
      'silkroute:pipelineRegion must be an AWS Region such as us-east-1, got "virginia"',
    ],
    [
      "an upper-case environment",
      { environments: [{ name: "Dev" }] },
      "silkroute:environments[0].name must be lower-case letters",
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
      "silkroute:environments[0].globalRegions[0] must be a global Region",
    ],
    [
      "an account id that is not 12 digits",
      { environments: [{ name: "prod", crossAccount: { accountId: "1234", roleName: "r" } }] },
      "silkroute:environments[0].crossAccount.accountId must be a 12-digit AWS account id",
    ],
    [
      "an unknown source type",
      { source: { type: "svn" } },
      "silkroute:source.type must have type codecommit or github",
    ],
    [
      "a GitHub repository without owner",
      { source: { type: "github", repository: "app" } },
      'silkroute:source.repository must be owner/repo, got "app"',
    ],
    [
      "an SSM name without leading slash",
      { ssmParameters: { codeBuildRole: "US/Dev/CodeBuildRole" } },
      "silkroute:ssmParameters.codeBuildRole must be an SSM parameter name starting with /",
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
      'silkroute:pulumiSha256 must be a SHA-256: 64 hexadecimal characters, got "abc123". Run: pulumi config set silkroute:pulumiSha256 <sha256> --stack global',
    ],
    [
      "another Pulumi version without its checksum",
      { pulumiVersion: "3.250.0" },
      "silkroute:pulumiSha256 is missing (needed with pulumiVersion 3.250.0: the SHA-256 of pulumi-v3.250.0-linux-x64.tar.gz, as pulumi-3.250.0-checksums.txt of the Pulumi release lists it). Run: pulumi config set silkroute:pulumiSha256 <sha256> --stack global",
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
      "a preview switch that is not a boolean",
      { previewChina: "yes please" },
      'silkroute:previewChina must be true or false, got "yes please". Run: pulumi config set silkroute:previewChina false',
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
    expect(error?.message).toMatch(/Run: pulumi config set .* --stack global$/);
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
  const load = (app: unknown) => () =>
    loadGlobalConfig((key) => (key === "app" ? JSON.stringify(app) : undefined));

  it("is the sample when absent", () => {
    expect(loadGlobalConfig(() => undefined).app.source).toEqual({ kind: "sample" });
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
    [{ programme: "a.ts" }, /silkroute:app/],
  ])("refuses %j with one line", (app, message) => {
    expect(load(app)).toThrow(message);
  });
});
