import { main } from "../../automation/cli";
import { detachDriverOnlyVariables, DRIVER_ONLY_VARIABLES } from "../../automation/commands/run";
import type { LineSink, PreviewOutcome, StackSpec } from "../../automation/pulumi/runner";
import { mockAws } from "../helpers/awsMocks";
import { fixtureProject, PASSPHRASE } from "../helpers/driver";
import { FakePulumi } from "../helpers/fakePulumi";

const TOKEN = "ghp_exampleTokenForTheCommentOnly0123456";
const GH = "gho_exampleGhCliToken0123456789abcdef";

describe("detachDriverOnlyVariables", () => {
  it("returns every variable and deletes GITHUB_TOKEN and GH_TOKEN from the environment given", () => {
    // given
    const environment: NodeJS.ProcessEnv = { GITHUB_TOKEN: TOKEN, GH_TOKEN: GH, PATH: "/bin" };
    // when
    const snapshot = detachDriverOnlyVariables(environment);
    // then
    expect(snapshot).toEqual({ GITHUB_TOKEN: TOKEN, GH_TOKEN: GH, PATH: "/bin" });
    expect(environment).toEqual({ PATH: "/bin" });
  });
});

/** A fake runner noting which tokens the process environment still has when Pulumi would run. */
class EnvRecordingPulumi extends FakePulumi {
  readonly seen: (string | undefined)[] = [];
  override async preview(spec: StackSpec, onLine: LineSink): Promise<PreviewOutcome> {
    for (const name of DRIVER_ONLY_VARIABLES) this.seen.push(process.env[name]);
    return super.preview(spec, onLine);
  }
}

describe("main() on the real process.env", () => {
  const touched = [
    ...DRIVER_ONLY_VARIABLES,
    "PULUMI_CONFIG_PASSPHRASE",
    "GITHUB_REPOSITORY",
  ] as const;
  let saved: Record<string, string | undefined>;
  let aws: ReturnType<typeof mockAws>;
  beforeEach(() => {
    aws = mockAws();
    saved = Object.fromEntries(touched.map((name) => [name, process.env[name]]));
  });
  afterEach(() => {
    aws.restore();
    for (const name of touched) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it("keeps GITHUB_TOKEN and GH_TOKEN away from the Pulumi CLI's environment, but posts with GITHUB_TOKEN", async () => {
    // given: the tokens in the environment the CLI would inherit
    process.env.GITHUB_TOKEN = TOKEN;
    process.env.GH_TOKEN = GH;
    process.env.PULUMI_CONFIG_PASSPHRASE = PASSPHRASE;
    process.env.GITHUB_REPOSITORY = "acme/app";
    const fake = new EnvRecordingPulumi({ "dev-us-east-1": { lines: [`echo ${TOKEN} ${GH}`] } });
    const publishComment = jest.fn().mockResolvedValue({ action: "created", id: "1" });
    const err: string[] = [];
    // when: no env handed in, so main() runs on process.env
    const code = await main(
      ["preview", "--env", "dev", "--target", "us-east-1", "--artifact-bucket", "bucket-a"].concat([
        "--comment",
        "github",
        "--pr",
        "7",
      ]),
      {
        io: { out: () => undefined, err: (t) => err.push(t) },
        projectDir: fixtureProject(),
        services: { pulumi: fake.factory, publishComment, sleep: async () => undefined },
      },
    );
    // then
    expect(code).toBe(0);
    expect(fake.seen).toEqual([undefined, undefined]);
    expect(process.env.GITHUB_TOKEN).toBeUndefined();
    expect(process.env.GH_TOKEN).toBeUndefined();
    expect(publishComment.mock.calls[0][0].environment.GITHUB_TOKEN).toBe(TOKEN);
    expect(err).toContain("echo [redacted] [redacted]");
  });
});
