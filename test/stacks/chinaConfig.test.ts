import { DEFAULT_ACCESS_LOG_RETENTION_DAYS } from "../../components/accessLogBucket";
import { ConfigError } from "../../stacks/config/read";
import {
  assertAgreesWithGlobal,
  checkAgainstGlobal,
  loadChinaConfig,
} from "../../stacks/config/china";
import { CHINA_CONFIG, GLOBAL_OUTPUTS } from "../helpers/globalOutputs";

const DEV = JSON.parse(CHINA_CONFIG["silkroute:environments"])[0];

function withConfig(overrides: Record<string, string | undefined>) {
  const config: Record<string, string> = { ...CHINA_CONFIG };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete config[key];
    else config[key] = value;
  }
  return config;
}

function withDev(dev: Record<string, unknown>) {
  return withConfig({ "silkroute:environments": JSON.stringify([dev]) });
}

/** The ConfigError message of a failing load, as one string. */
function errorOf(load: () => unknown): string {
  try {
    load();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("china config", () => {
  it("reads the shipped sample with the seed defaults", () => {
    // when
    const cfg = loadChinaConfig(CHINA_CONFIG);
    // then
    expect(cfg).toEqual({
      globalStack: "global",
      globalRegion: "us-east-1",
      chinaRegion: "cn-north-1",
      noncurrentVersionDays: 90,
      accessLogRetentionDays: 365,
      environments: [
        {
          name: "dev",
          bootstrap: {
            accessKeyIdParameter: "/China/Dev/Bootstrap/AccessKeyId",
            secretAccessKeyParameter: "/China/Dev/Bootstrap/SecretAccessKey",
          },
          parameterPrefix: "/China/Dev",
          keyRotationDays: 30,
        },
      ],
    });
  });

  it("defaults the parameter prefix to /China/<Env> and rotation to 30 days", () => {
    // given an environment with only its name and bootstrap names
    const source = withDev({ name: "stage", bootstrap: DEV.bootstrap });
    // when
    const [env] = loadChinaConfig(source).environments;
    // then
    expect(env.parameterPrefix).toBe("/China/Stage");
    expect(env.keyRotationDays).toBe(30);
  });

  it("asks which account each environment is in when there is more than one", () => {
    // given dev and stage without account ids
    const dev = { ...DEV, accountId: undefined };
    const environments = JSON.stringify([
      dev,
      { ...dev, name: "stage", parameterPrefix: undefined },
    ]);
    // when
    const message = errorOf(() =>
      loadChinaConfig(withConfig({ "silkroute:environments": environments })),
    );
    // then
    expect(message.split("\n")[0]).toBe(
      // no account id is safe to suggest: the line says what to set, with a placeholder
      `silkroute:environments[0].accountId is missing (needed with more than one China environment, to tell which share an account). Set the 12-digit id of that account with: pulumi config set --path --type string 'silkroute:environments[0].accountId' <account-id> --stack china`,
    );
  });

  it("rejects a China Region that is not in China, in one line with the fix", () => {
    const message = errorOf(() =>
      loadChinaConfig(withConfig({ "silkroute:chinaRegion": "us-east-1" })),
    );
    expect(message).toBe(
      'silkroute:chinaRegion must be a Region of the aws-cn partition: cn-north-1 or cn-northwest-1, got "us-east-1". Run: pulumi config set silkroute:chinaRegion cn-north-1 --stack china',
    );
  });

  it("accepts cn-northwest-1", () => {
    const cfg = loadChinaConfig(withConfig({ "silkroute:chinaRegion": "cn-northwest-1" }));
    expect(cfg.chinaRegion).toBe("cn-northwest-1");
  });

  it("rejects a missing bootstrap parameter name, in one line with the fix", () => {
    // given a dev entry without the secret's parameter name
    const source = withDev({
      ...DEV,
      bootstrap: { accessKeyIdParameter: "/China/Dev/Bootstrap/AccessKeyId" },
    });
    // then
    expect(errorOf(() => loadChinaConfig(source))).toBe(
      "silkroute:environments[0].bootstrap.secretAccessKeyParameter is missing. Run: pulumi config set --path --plaintext 'silkroute:environments[0].bootstrap.secretAccessKeyParameter' /China/Dev/Bootstrap/SecretAccessKey --stack china",
    );
  });

  it.each([0, 45])("rejects %d rotation days in one line", (days) => {
    const message = errorOf(() => loadChinaConfig(withDev({ ...DEV, keyRotationDays: days })));
    expect(message.split("\n")).toHaveLength(1);
    expect(message).toBe(
      `silkroute:environments[0].keyRotationDays must be a whole number of days from 1 to 30, got ${days}. Run: pulumi config set --path 'silkroute:environments[0].keyRotationDays' 30 --stack china`,
    );
  });

  it.each([
    ["0", "must be at least 1 day"],
    ["a year", "must be a whole number of days"],
  ])("rejects an access log retention of %s in one line with the fix", (days, why) => {
    const message = errorOf(() =>
      loadChinaConfig(withConfig({ "silkroute:accessLogRetentionDays": days })),
    );
    expect(message).toBe(
      `silkroute:accessLogRetentionDays ${why}, got "${days}". Run: pulumi config set silkroute:accessLogRetentionDays 365 --stack china`,
    );
  });

  it("keeps access logs as long as the log bucket does by default, or as configured", () => {
    expect(loadChinaConfig(CHINA_CONFIG).accessLogRetentionDays).toBe(
      DEFAULT_ACCESS_LOG_RETENTION_DAYS,
    );
    expect(
      loadChinaConfig(withConfig({ "silkroute:accessLogRetentionDays": "30" }))
        .accessLogRetentionDays,
    ).toBe(30);
  });

  it("rejects a global Region in China", () => {
    const message = errorOf(() =>
      loadChinaConfig(withConfig({ "silkroute:globalRegion": "cn-north-1" })),
    );
    expect(message).toBe(
      `silkroute:globalRegion must be a Region of the aws partition (China's is silkroute:chinaRegion), got "cn-north-1". Run: pulumi config set silkroute:globalRegion us-east-1 --stack china`,
    );
  });

  it("requires at least one environment", () => {
    const message = errorOf(() =>
      loadChinaConfig(withConfig({ "silkroute:environments": undefined })),
    );
    // one command per value, the secret-named key's with --plaintext (it holds a name, not a secret)
    expect(message).toBe(
      [
        "silkroute:environments is missing. Run: pulumi config set --path 'silkroute:environments[0].name' dev --stack china",
        "pulumi config set --path 'silkroute:environments[0].bootstrap.accessKeyIdParameter' /China/Dev/Bootstrap/AccessKeyId --stack china",
        "pulumi config set --path --plaintext 'silkroute:environments[0].bootstrap.secretAccessKeyParameter' /China/Dev/Bootstrap/SecretAccessKey --stack china",
      ].join(" && "),
    );
  });

  it("rejects an environment defined twice", () => {
    const source = withConfig({ "silkroute:environments": JSON.stringify([DEV, DEV]) });
    expect(errorOf(() => loadChinaConfig(source))).toMatch(
      /^silkroute:environments\[1\]\.name is defined twice, got "dev"/,
    );
  });

  it("rejects environments whose names overlap: dev's deploy user would manage dev-eu's app", () => {
    const devEu = {
      ...DEV,
      name: "dev-eu",
      accountId: "210987654321",
      parameterPrefix: "/China/DevEu",
    };
    const source = withConfig({
      "silkroute:environments": JSON.stringify([{ ...DEV, accountId: "210987654321" }, devEu]),
    });
    const message = errorOf(() => loadChinaConfig(source));
    expect(message).toMatch(
      /^silkroute:environments\[1\]\.name starts with dev-, the name of environment dev and a '-': .*Rename one of dev and dev-eu .*, got "dev-eu"\. Run: pulumi config set --path 'silkroute:environments\[1\]\.name' eu-dev --stack china$/,
    );
  });

  it.each(["dev-", "pre--prod"])("rejects the environment name %s", (name) => {
    expect(errorOf(() => loadChinaConfig(withDev({ ...DEV, name })))).toMatch(
      /^silkroute:environments\[0\]\.name must be at most 16 lower-case letters and digits, starting with a letter, in words joined by single '-'/,
    );
  });

  it("rejects an account id that lost its leading zero to YAML", () => {
    const source = withDev({ ...DEV, accountId: 12345678901 });
    expect(errorOf(() => loadChinaConfig(source))).toMatch(
      /^silkroute:environments\[0\]\.accountId must be a 12-digit AWS account id \(quote it in YAML\), got 12345678901\./,
    );
  });

  it("reads an account id given as a number", () => {
    const [env] = loadChinaConfig(withDev({ ...DEV, accountId: 210987654321 })).environments;
    expect(env.accountId).toBe("210987654321");
  });

  it("rejects a parameter prefix ending in /", () => {
    const source = withDev({ ...DEV, parameterPrefix: "/China/Dev/" });
    expect(errorOf(() => loadChinaConfig(source))).toBe(
      `silkroute:environments[0].parameterPrefix must be an SSM parameter name: '/' and up to 15 levels of letters, digits, '_', '.' or '-' (no trailing '/'), got "/China/Dev/". Run: pulumi config set --path 'silkroute:environments[0].parameterPrefix' /China/Dev --stack china`,
    );
  });

  it("rejects two environments writing their keys under one prefix, suggesting the other's own", () => {
    // given stage configured with dev's prefix
    const dev = { ...DEV, accountId: "210987654321" };
    const stage = { ...dev, name: "stage" };
    const source = withConfig({ "silkroute:environments": JSON.stringify([dev, stage]) });
    // then: stage's own default, never dev's
    expect(errorOf(() => loadChinaConfig(source))).toBe(
      `silkroute:environments[1].parameterPrefix must differ from environment dev's, /China/Dev: each environment's deploy key is written under a prefix of its own, got "/China/Dev". Run: pulumi config set --path 'silkroute:environments[1].parameterPrefix' /China/Stage --stack china`,
    );
  });
});

describe("checkAgainstGlobal", () => {
  const cfg = loadChinaConfig(CHINA_CONFIG);

  it("finds nothing wrong with the seed config and global stack", () => {
    expect(checkAgainstGlobal(cfg, GLOBAL_OUTPUTS)).toEqual([]);
  });

  it("rejects an environment the global stack does not define, in one line", () => {
    // given a china config with an environment `qa` that the global stack lacks
    const qa = loadChinaConfig(withDev({ ...DEV, name: "qa", parameterPrefix: undefined }));
    // then
    expect(checkAgainstGlobal(qa, GLOBAL_OUTPUTS)).toEqual([
      "silkroute:environments[0].name qa is not a China environment of the stack global (China environments there: dev, stage, prod). Add it there with china: true and run pulumi up --stack global, or remove it from Pulumi.china.yaml",
    ]);
  });

  it("rejects an environment the global stack does not deploy to China", () => {
    // given a global stack whose prod does not deploy to China
    const globalOutputs = {
      ...GLOBAL_OUTPUTS,
      environments: GLOBAL_OUTPUTS.environments.map((e) =>
        e.name === "prod" ? { ...e, china: false } : e,
      ),
    };
    const prod = loadChinaConfig(withDev({ ...DEV, name: "prod", parameterPrefix: undefined }));
    // then
    expect(checkAgainstGlobal(prod, globalOutputs)).toEqual([
      expect.stringMatching(/^silkroute:environments\[0\]\.name prod is not a China environment/),
    ]);
  });

  it("with the scheduled rotation on, rejects a bootstrap key where the rotation role may not read it", () => {
    // given the seed config, and dev's bootstrap key id under a name of its own
    const moved = loadChinaConfig(
      withDev({ ...DEV, bootstrap: { ...DEV.bootstrap, accessKeyIdParameter: "/Keys/Dev/Id" } }),
    );
    const rotating = { ...GLOBAL_OUTPUTS, scheduledRotation: true };
    // then: the seed's names pass; the moved one is named with where the role reads it
    expect(checkAgainstGlobal(cfg, rotating)).toEqual([]);
    expect(checkAgainstGlobal(moved, { ...GLOBAL_OUTPUTS, scheduledRotation: false })).toEqual([]);
    expect(checkAgainstGlobal(moved, rotating)).toEqual([
      "silkroute:environments[0].bootstrap.accessKeyIdParameter /Keys/Dev/Id is not where the stack global's scheduled rotation may read the bootstrap key (/China/Dev/Bootstrap/AccessKeyId). Move the parameter there and run: pulumi config set --path 'silkroute:environments[0].bootstrap.accessKeyIdParameter' /China/Dev/Bootstrap/AccessKeyId --stack china",
    ]);
  });

  it("rejects a China Region other than the global stack's", () => {
    const north = { ...GLOBAL_OUTPUTS, chinaRegion: "cn-northwest-1" };
    expect(checkAgainstGlobal(cfg, north)).toEqual([
      "silkroute:chinaRegion is cn-north-1 but the stack global deploys China to cn-northwest-1. Run: pulumi config set silkroute:chinaRegion cn-northwest-1 --stack china",
    ]);
  });

  it("rejects a global Region other than the pipeline Region", () => {
    const west = { ...GLOBAL_OUTPUTS, pipelineRegion: "us-west-2" };
    expect(checkAgainstGlobal(cfg, west)).toEqual([
      expect.stringMatching(/^silkroute:globalRegion is us-east-1 but .* in us-west-2\./),
    ]);
  });

  it("rejects a parameter prefix other than the one the pipeline reads", () => {
    const elsewhere = loadChinaConfig(withDev({ ...DEV, parameterPrefix: "/Cn/Dev" }));
    expect(checkAgainstGlobal(elsewhere, GLOBAL_OUTPUTS)).toEqual([
      expect.stringMatching(
        /^silkroute:environments\[0\]\.parameterPrefix \/Cn\/Dev differs from .*\(\/China\/Dev\)/,
      ),
    ]);
  });

  it("asks for the global stack first when its outputs are missing", () => {
    const older = { ...GLOBAL_OUTPUTS, parameterKeyArn: undefined };
    expect(checkAgainstGlobal(cfg, older)).toEqual([
      "The stack global has no output parameterKeyArn. Run: pulumi up --stack global (the global stack goes first)",
    ]);
  });

  it("throws a ConfigError with one line per problem", () => {
    const both = { ...GLOBAL_OUTPUTS, chinaRegion: "cn-northwest-1", pipelineRegion: "us-west-2" };
    expect(() => assertAgreesWithGlobal(cfg, both)).toThrow(ConfigError);
    expect(checkAgainstGlobal(cfg, both)).toHaveLength(2);
  });
});
