import {
  appBoundaryPolicyName,
  appCodeKey,
  appFunctionName,
  appPrefixOf,
  appRoleName,
  ARTIFACT_BUCKET_FOLDERS,
  chinaKeyParameterNames,
  codeBuildCacheFolder,
  defaultChinaParameterPrefix,
  defaultCrossAccountParameter,
  deployProjectName,
  deployRoleName,
  codeBuildLogGroup,
  pipelineArtifactFolder,
  PR_RESULT_FOLDER,
  reservedArtifactFolder,
} from "../../components/naming";
import { resolveChinaParameters } from "../../automation/credentials";
import { loadGlobalConfig } from "../../stacks/config/global";
import { loadChinaConfig } from "../../stacks/config/china";

/** The global config of `values`, keyed without the namespace. */
const globalConfig = (values: Record<string, string>) =>
  loadGlobalConfig(
    Object.fromEntries(Object.entries(values).map(([k, v]) => [`silkroute:${k}`, v])),
  );

describe("naming: the seed's names", () => {
  it("spells environments title-cased in SSM paths, as the walkthrough does", () => {
    // given / when / then
    expect(defaultChinaParameterPrefix("dev")).toBe("/China/Dev");
    expect(defaultChinaParameterPrefix("pre-prod")).toBe("/China/PreProd");
    expect(defaultCrossAccountParameter("stage")).toBe("/US/Stage/CrossAccountStageRole");
  });

  it("names the China deploy key parameters as the deploy-china project reads them", () => {
    expect(chinaKeyParameterNames("/China/Dev")).toEqual({
      accessKey: "/China/Dev/UserAccessKey",
      secretKey: "/China/Dev/UserSecretKey",
      bucket: "/China/Dev/DeploymentS3Bucket",
    });
  });

  it("never doubles the slash when a prefix ends in one", () => {
    expect(chinaKeyParameterNames("/China/Dev/").accessKey).toBe("/China/Dev/UserAccessKey");
  });
});

describe("naming: writer, grant and reader agree", () => {
  const cases = [
    { env: "dev", prefix: undefined },
    { env: "prod", prefix: "/Custom/Prod" },
  ];

  it.each(cases)(
    "the china stack writes, the pipeline grants and the driver reads one set of names ($env)",
    ({ env, prefix }) => {
      // given: an environment as both stacks resolve it
      const environments = JSON.stringify([
        { name: env, ...(prefix && { chinaParameterPrefix: prefix }) },
      ]);
      const global = globalConfig({ environments });
      const globalEnv = global.environments[0];
      const china = loadChinaConfig({
        "silkroute:environments": JSON.stringify([
          {
            name: env,
            bootstrap: { accessKeyIdParameter: "/B/Id", secretAccessKeyParameter: "/B/Key" },
            ...(prefix && { parameterPrefix: prefix }),
          },
        ]),
      });

      // when
      const written = chinaKeyParameterNames(china.environments[0].parameterPrefix);
      // the global stack grants each deploy role, and gives each China project, these names
      const granted = chinaKeyParameterNames(globalEnv.chinaParameterPrefix);
      const read = resolveChinaParameters(globalEnv, {}, {});

      // then
      expect(granted).toEqual(written);
      expect({
        accessKey: read.accessKey.name,
        secretKey: read.secretKey.name,
        bucket: read.bucket.name,
      }).toEqual(written);
    },
  );
});

describe("naming: app names stay inside the deploy scope", () => {
  it("derives every app name from the environment's prefix", () => {
    // given
    const appPrefix = appPrefixOf("acme", "dev");

    // then: every name the deploy identities may touch starts with `<prefix>-<env>-`
    expect(appPrefix).toBe("acme-dev");
    for (const name of [appFunctionName(appPrefix), appRoleName(appPrefix, "eu-west-1")]) {
      expect(name.startsWith(`${appPrefix}-`)).toBe(true);
    }
    expect(appCodeKey(appPrefix, "abc123")).toBe("app/acme-dev/abc123.zip");
  });

  it("names one boundary policy per prefix", () => {
    expect(appBoundaryPolicyName("acme")).toBe("acme-app-boundary");
  });

  it("names each environment's deploy role and projects from the prefix and the environment", () => {
    expect(deployRoleName("acme", "dev")).toBe("acme-deploy-dev");
    expect(deployProjectName("acme", "dev", "eu-west-1")).toBe("acme-deploy-dev-eu-west-1");
    expect(codeBuildLogGroup(deployProjectName("acme", "dev", "china"))).toBe(
      "/silkroute/codebuild/acme-deploy-dev-china",
    );
  });
});

describe("naming: the artifact buckets' folders", () => {
  it("lists every top-level folder silkroute writes beside the pipeline's own", () => {
    const written = [
      appCodeKey("silkroute-dev", "1.0.0"),
      codeBuildCacheFolder("silkroute-build"),
      PR_RESULT_FOLDER,
    ];
    const top = (key: string) => `${key.split("/")[0]}/`;
    const known = ARTIFACT_BUCKET_FOLDERS.map((f) => f.folder);
    for (const key of written) expect(known).toContain(top(key));
  });

  it("finds a pipeline whose artifact folder (first 20 characters) is one of them", () => {
    for (const { folder } of ARTIFACT_BUCKET_FOLDERS) {
      const name = folder.slice(0, -1);
      expect(pipelineArtifactFolder(name)).toBe(folder);
      expect(reservedArtifactFolder(name)?.folder).toBe(folder);
    }
    expect(reservedArtifactFolder("silkroute")).toBeUndefined();
    expect(reservedArtifactFolder("pr-preview-results-and-more")).toBeUndefined();
  });
});
