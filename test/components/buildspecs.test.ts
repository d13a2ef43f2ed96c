import { readFileSync } from "fs";
import { load } from "js-yaml";
import * as path from "path";
import {
  BUILDSPEC_KINDS,
  BuildspecKind,
  DRIVER_COMMAND,
  readBuildspec,
  silkrouteCommands,
} from "../../components/buildspecs";
import { PR_RESULT_FILE } from "../../components/naming";
import { APP_RUNTIME } from "../../stacks/app";

interface Buildspec {
  version: number;
  artifacts?: Record<string, unknown>;
  phases: Record<string, { "runtime-versions"?: Record<string, unknown>; commands?: string[] }>;
  cache?: { paths?: string[] };
  env?: { variables?: Record<string, string> } & Record<string, unknown>;
}

const parse = (kind: BuildspecKind) => load(readBuildspec(kind)) as Buildspec;
const allCommands = (spec: Buildspec) =>
  Object.values(spec.phases).flatMap((phase) => phase.commands ?? []);

describe("buildspecs", () => {
  it.each(BUILDSPEC_KINDS)("%s is a version 0.2 buildspec on the Node.js 22 runtime", (kind) => {
    // given / when
    const spec = parse(kind);
    // then
    expect(spec.version).toBe(0.2);
    expect(spec.phases.install["runtime-versions"]).toEqual({ nodejs: 22 });
  });

  it("agrees with the app's Lambda runtime and package.json's engines on Node.js", () => {
    // given
    const engines = JSON.parse(
      readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8"),
    ).engines.node as string;
    // then
    expect(APP_RUNTIME).toBe("nodejs22.x");
    expect(Number(/\d+/.exec(engines)?.[0])).toBeLessThanOrEqual(22);
  });

  it.each(BUILDSPEC_KINDS.filter((k) => k !== "pr-preview" && k !== "rotation"))(
    "%s caches the npm cache, the Pulumi CLI archives and Pulumi's plugins",
    (kind) => {
      // given
      const spec = parse(kind);
      const covers = (dir: string) =>
        (spec.cache?.paths ?? []).some(
          (p) => p === `${dir}/**/*` || dir.startsWith(p.slice(0, -4)),
        );
      // then
      expect(spec.cache?.paths).toEqual([
        "/root/.npm/**/*",
        "/root/.cache/silkroute/**/*",
        "/root/.pulumi/plugins/**/*",
      ]);
      expect(covers(spec.env?.variables?.PULUMI_ARCHIVES ?? "")).toBe(true);
      // The unpacked CLI is not cached: only the archive, which is checked.
      expect(covers(spec.env?.variables?.PULUMI_CLI ?? "")).toBe(false);
    },
  );

  it("pr-preview caches nothing another pull request's preview would run", () => {
    expect(parse("pr-preview").cache).toBeUndefined();
  });

  it("rotation caches nothing a later run would take with the bootstrap keys", () => {
    expect(parse("rotation").cache).toBeUndefined();
  });

  it("installs the Pulumi CLI the same way in every buildspec, then npm ci but in operations", () => {
    // given
    const installs = BUILDSPEC_KINDS.map((kind) => parse(kind).phases.install.commands ?? []);
    const cli = installs[0].slice(0, -1);
    // then
    for (const [i, install] of installs.entries()) {
      expect(install.slice(0, cli.length)).toEqual(cli);
      expect(install.slice(cli.length)).toEqual(
        BUILDSPEC_KINDS[i] === "operations" ? [] : ["npm ci"],
      );
    }
    expect(installs[0].join("\n")).toContain(
      "https://get.pulumi.com/releases/sdk/pulumi-v$PULUMI_VERSION-linux-x64.tar.gz",
    );
    expect(installs[0].join("\n")).not.toMatch(/\|\s*(ba)?sh\b/);
  });

  it.each(BUILDSPEC_KINDS)("%s starts the driver from the checkout, never through npx", (kind) => {
    // given
    const commands = allCommands(parse(kind));
    // then
    expect(commands.join("\n")).not.toMatch(/\bnpx\b/);
    for (const c of commands.filter((c) => /silkroute\s/.test(c) && !c.includes("\n"))) {
      expect(c.startsWith(`${DRIVER_COMMAND} `)).toBe(true);
    }
  });

  it.each(BUILDSPEC_KINDS)("%s puts no credentials or secret stores in its environment", (kind) => {
    // given
    const text = readBuildspec(kind);
    const spec = parse(kind);
    // then
    expect(spec.env ?? {}).not.toHaveProperty("parameter-store");
    expect(spec.env ?? {}).not.toHaveProperty("secrets-manager");
    expect(text).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN/);
  });

  it("build runs the unit tests, then the engine suites against the CLI it installed, and hands nothing on: the deploys take the source artifact", () => {
    // given
    const spec = parse("build") as Buildspec & { artifacts?: unknown };
    // then
    expect(spec.phases.build.commands).toEqual(["npm test", "npm run test:engine"]);
    expect(spec.artifacts).toBeUndefined();
    expect(silkrouteCommands(readBuildspec("build"))).toEqual([]);
  });

  it("operations installs and runs no code of the branch: each environment's deployed commit, checked out first", () => {
    // given
    const build = parse("operations").phases.build.commands!.join("\n");
    // then the version is read before the checkout, the checkout before npm ci and the driver
    const at = (text: string) => build.indexOf(text);
    expect(at("aws s3 cp")).toBeGreaterThan(-1);
    expect(at("aws s3 cp")).toBeLessThan(at("git checkout"));
    expect(at("git checkout")).toBeLessThan(at("npm ci"));
    expect(at("npm ci")).toBeLessThan(at("node bin/silkroute.js"));
    expect(silkrouteCommands(readBuildspec("operations"))).toEqual([
      'silkroute status --env "$env"',
      'silkroute drift --env "$env" --target "$target"',
      'silkroute keys --env "$env" --max-age-days "$SILKROUTE_KEY_MAX_AGE_DAYS"',
    ]);
  });

  it("rotation updates the china stack's deploy keys and nothing else of it", () => {
    // given / when
    const build = parse("rotation").phases.build.commands!;
    // then
    expect(build).toEqual([
      "pulumi up --stack china --yes --non-interactive --skip-preview --target 'urn:pulumi:china::silkroute::silkroute:china:DeployKey$**'",
    ]);
  });

  it("deploy-global deploys the action's environment to the project's own Region", () => {
    expect(silkrouteCommands(readBuildspec("deploy-global"))).toEqual([
      'silkroute deploy --env "$SILKROUTE_ENV" --target "$AWS_REGION"',
    ]);
  });

  it("deploy-china deploys the action's environment to China", () => {
    expect(silkrouteCommands(readBuildspec("deploy-china"))).toEqual([
      'silkroute deploy --env "$SILKROUTE_ENV" --target china',
    ]);
  });

  it("deploy-china reads only the SSM parameter names, never their values", () => {
    // given
    const commands = allCommands(parse("deploy-china")).join("\n");
    // then
    expect(commands).not.toMatch(/aws ssm|get-parameter|USER_ACCESS_KEY_SSM|USER_SECRET_KEY_SSM/);
  });

  it("pr-preview previews as data and posts nothing: no --comment, the poster comments", () => {
    // given / when
    const commands = silkrouteCommands(readBuildspec("pr-preview"));
    // then
    expect(commands).toEqual([
      `silkroute preview --env "$SILKROUTE_ENV" --target "$SILKROUTE_PREVIEW_TARGET" --fresh-china --result-file ${PR_RESULT_FILE}`,
    ]);
    expect(readBuildspec("pr-preview")).not.toMatch(/--comment|GITHUB_TOKEN|SILKROUTE_COMMENT/);
  });

  it("pr-preview uploads exactly the result file the poster reads", () => {
    // given / when
    const spec = parse("pr-preview");
    // then
    expect(spec.artifacts).toEqual({ files: [PR_RESULT_FILE] });
  });

  it("pr-preview leaves the pull request and repository to the driver: no parsing of its own", () => {
    // given
    const spec = parse("pr-preview");
    // when
    const others = allCommands(spec).filter((c) => !c.startsWith(`${DRIVER_COMMAND} `));
    // then
    expect(spec.phases.pre_build).toBeUndefined();
    for (const c of others) {
      expect(c).not.toMatch(/SILKROUTE_PR|CODEBUILD_WEBHOOK_TRIGGER|SOURCE_REPO_URL|REPOSITORY/);
    }
  });

  it("lists silkroute command lines however they start the driver and skips the others", () => {
    // given
    const text = [
      "version: 0.2",
      "phases:",
      "  install:",
      "    commands: [npm ci]",
      "  build:",
      "    commands:",
      "      - npx silkroute status --env dev",
      "      - silkroute keys --check",
      "      - node bin/silkroute.js outputs --env dev",
      "      - echo silkroute done",
    ].join("\n");
    // when / then
    expect(silkrouteCommands(text)).toEqual([
      "silkroute status --env dev",
      "silkroute keys --check",
      "silkroute outputs --env dev",
    ]);
  });
});
