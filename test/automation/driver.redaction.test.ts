import { commandError } from "../helpers/fakePulumi";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { Redactor } from "../../automation/redact";
import { awsError, mockAws } from "../helpers/awsMocks";
import * as fs from "fs";
import * as path from "path";
import {
  EU_BUCKET,
  fixtureProject,
  KEY_ID,
  PASSPHRASE,
  pipelineEnv,
  run,
  SECRET_KEY,
  previewAll,
} from "../helpers/driver";

const TOKEN = "ghp_exampleGitHubToken0123456789abcdef";
const SECRETS = [KEY_ID, SECRET_KEY, encodeURIComponent(SECRET_KEY), TOKEN, PASSPHRASE];
const env = pipelineEnv({ GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: "acme/app" });

function expectNoSecret(text: string) {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe("redaction of the China key and tokens on every output path", () => {
  let aws: ReturnType<typeof mockAws>;
  beforeEach(() => (aws = mockAws()));
  afterEach(() => aws.restore());

  const leakyLine = `provider config accessKey=${KEY_ID} secretKey=${SECRET_KEY} url=${encodeURIComponent(SECRET_KEY)} token=${TOKEN} pass=${PASSPHRASE}`;

  it("stdout: outputs that carry a key value", async () => {
    // given
    const stacks = { "dev-china": { outputs: { leak: SECRET_KEY, id: KEY_ID } } };
    // when
    const text = await run(["deploy", "--env", "dev", "--target", "china"], { env, stacks });
    const json = await run(["deploy", "--env", "dev", "--target", "china", "--json"], {
      env,
      stacks,
    });
    // then
    expect(text.out.join("\n")).toContain("leak: [redacted]");
    expectNoSecret(text.all);
    expect(JSON.parse(json.out.join("\n")).targets["dev-china"].outputs).toEqual({
      leak: "[redacted]",
      id: "[redacted]",
    });
  });

  it("stderr: Pulumi's streamed lines, on every target", async () => {
    // given
    const stacks = { "dev-china": { lines: [leakyLine] }, "dev-us-east-1": { lines: [leakyLine] } };
    // when
    const { all, err } = await run(["deploy", "--env", "dev", "--target", "all", ...EU_BUCKET], {
      env,
      stacks,
    });
    // then
    expect(err).toContain(
      "[dev-china] provider config accessKey=[redacted] secretKey=[redacted] url=[redacted] token=[redacted] pass=[redacted]",
    );
    expectNoSecret(all);
  });

  it("error text of a failed Pulumi operation and the summary", async () => {
    // given
    const fail = commandError(`error: ${leakyLine}\n`);
    // when
    const { all, code } = await run(["deploy", "--env", "dev", "--target", "all", ...EU_BUCKET], {
      env,
      stacks: { "dev-china": { fail } },
    });
    // then
    expect(code).toBe(1);
    expect(all).toContain("dev-china: failed: provider config accessKey=[redacted]");
    expectNoSecret(all);
  });

  it("error messages of the driver, with the --verbose stack trace", async () => {
    // given: an STS failure whose message quotes the key id
    aws.sts
      .on(GetCallerIdentityCommand)
      .rejects(awsError("NetworkingError", `socket hang up signing with ${KEY_ID}`));
    // when
    const { all, code } = await run(["deploy", "--env", "dev", "--target", "china", "--verbose"], {
      env,
    });
    // then
    expect(code).toBe(3);
    expect(all).toContain("NetworkingError: socket hang up signing with [redacted]");
    expectNoSecret(all);
  });

  it("the preview handed to the PR comment", async () => {
    // given
    const publishComment = jest.fn().mockResolvedValue({ action: "created", id: "1" });
    const fail = commandError(`error: ${leakyLine}`);
    // when
    const { all } = await run(previewAll("--comment", "codecommit", "--pr", "7"), {
      env,
      stacks: { "dev-china": { lines: [leakyLine] }, "dev-us-east-1": { fail } },
      services: { publishComment },
    });
    // then
    const previews = JSON.stringify(publishComment.mock.calls[0][0].previews);
    expect(previews).toContain("[redacted]");
    expectNoSecret(previews);
    expectNoSecret(all);
  });

  it("the infrastructure stacks' previews (--stacks), on stderr and in the PR comment", async () => {
    // given
    const publishComment = jest.fn().mockResolvedValue({ action: "created", id: "1" });
    const projectDir = fixtureProject();
    fs.writeFileSync(path.join(projectDir, "Pulumi.china.yaml"), "config: {}\n");
    const fail = commandError(`error: ${leakyLine}`);
    // when
    const { all } = await run(
      [
        "preview",
        "--env",
        "dev",
        "--target",
        "china",
        "--stacks",
        "global,china",
        "--comment",
        "github",
        "--pr",
        "7",
      ],
      {
        env,
        projectDir,
        stacks: { global: { lines: [leakyLine] }, china: { fail } },
        services: { publishComment },
      },
    );
    // then
    const previews = JSON.stringify(publishComment.mock.calls[0][0].previews);
    expect(previews).toContain("[redacted]");
    expectNoSecret(previews);
    expectNoSecret(all);
  });

  it("the preview printed as JSON", async () => {
    // given / when
    const { out } = await run(["preview", "--env", "dev", "--target", "china", "--json"], {
      env,
      stacks: { "dev-china": { lines: [leakyLine] } },
    });
    // then
    expectNoSecret(out.join("\n"));
  });
});

describe("Redactor", () => {
  it("hides the longer of two overlapping values whole", () => {
    // given
    const r = new Redactor();
    r.register("abcdef");
    r.register("abcdefghij");
    // when / then
    expect(r.redact("x abcdefghij y abcdef")).toBe("x [redacted] y [redacted]");
  });

  it("ignores values too short to be secrets", () => {
    // given
    const r = new Redactor();
    r.register("dev");
    // when / then
    expect(r.redact("dev-china")).toBe("dev-china");
  });
});
