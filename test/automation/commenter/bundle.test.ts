import { builtinModules } from "node:module";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { projectRoot } from "../../../components/projectRoot";
import { resultDocument } from "../../../automation/comments/result";
import {
  buildCommenterBundle,
  commenterBundle,
  RUNTIME_PROVIDED,
} from "../../../components/commenterBundle";
import { creating, FakeGitHub, startFakeGitHub } from "../comments/fixtures";
import { buildEvent, BUCKET, PROJECT, serveResult } from "./events";

/**
 * The bundle the global stack deploys, loaded as Lambda loads index.js. Its
 * `require` is this test's, so the SDK clients it leaves to the runtime are
 * the ones the test doubles stand in for.
 */
function loadBundle(): { handler: (event: unknown) => Promise<unknown> } {
  const module = { exports: {} as Record<string, unknown> };
  new Function("require", "module", "exports", commenterBundle())(require, module, module.exports);
  return module.exports as { handler: (event: unknown) => Promise<unknown> };
}

/** The modules the bundle requires at run time. */
const requiredBy = (text: string) => [
  ...new Set([...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1])),
];

describe("the poster's bundle", () => {
  it("is the same text every time it is built, with no path of this machine in it", () => {
    // given / when
    const { text } = buildCommenterBundle();
    // then
    expect(buildCommenterBundle().text).toBe(text);
    expect(text).not.toContain(projectRoot());
  });

  it("needs nothing at run time but Node's built-ins and the SDK clients the runtime ships", () => {
    // given
    const allowed = (name: string) =>
      builtinModules.includes(name.replace(/^node:/, "")) ||
      RUNTIME_PROVIDED.some((p) =>
        p.endsWith("/*") ? name.startsWith(p.slice(0, -1)) : name === p,
      );
    // when
    const required = requiredBy(commenterBundle());
    // then
    expect(required.filter((name) => !allowed(name))).toEqual([]);
    expect(required).toContain("@aws-sdk/client-s3");
  });

  describe("run as Lambda runs it", () => {
    const s3 = mockClient(S3Client);
    const secrets = mockClient(SecretsManagerClient);
    let github: FakeGitHub;
    const saved = { ...process.env };

    beforeEach(async () => {
      s3.reset();
      secrets.reset();
      github = await startFakeGitHub();
      Object.assign(process.env, {
        SILKROUTE_COMMENT: "github",
        SILKROUTE_ENV: "dev",
        SILKROUTE_PREVIEW_PROJECT: PROJECT,
        SILKROUTE_RESULT_BUCKET: BUCKET,
        SILKROUTE_REPOSITORY: "octo/app",
        SILKROUTE_GITHUB_TOKEN_SECRET: "github-pr-token",
        GITHUB_API_URL: github.apiUrl,
      });
      jest.spyOn(console, "log").mockImplementation(() => undefined);
    });

    afterEach(async () => {
      await github.close();
      process.env = { ...saved };
      jest.restoreAllMocks();
    });

    it("comments a finished build's result on its pull request", async () => {
      // given
      secrets.on(GetSecretValueCommand).resolves({ SecretString: "ghp_bundleTestToken" });
      const served = serveResult(s3, resultDocument("dev", [creating("dev-us-east-1")]));
      // when
      const outcome = await loadBundle().handler(buildEvent({ sourceVersion: "pr/7", ...served }));
      // then
      expect(outcome).toEqual({ posted: "preview", action: "created", id: "1000" });
      expect(s3.commandCalls(GetObjectCommand)).toHaveLength(1);
      expect(github.comments[0].body).toContain("| `dev-us-east-1` | ✅ |");
    });
  });
});
