import { commandError } from "../helpers/fakePulumi";
import * as fs from "fs";
import * as path from "path";
import { GetParameterCommand } from "@aws-sdk/client-ssm";
import { parseResult } from "../../automation/comments/result";
import { ExitCode } from "../../automation/exitCodes";
import { mockAws } from "../helpers/awsMocks";
import {
  EU_BUCKET,
  GITHUB_COMMENT_ENV,
  PASSPHRASE,
  fixtureProject,
  pipelineEnv,
  run,
  previewAll,
} from "../helpers/driver";
import { tempDir } from "../helpers/tempDir";

/** The fixture project with both stacks of the repository's Pulumi project. */
function projectWithStacks(): string {
  const dir = fixtureProject();
  fs.writeFileSync(path.join(dir, "Pulumi.china.yaml"), "config: {}\n");
  return dir;
}

describe("silkroute preview of a target never deployed", () => {
  let aws: ReturnType<typeof mockAws>;
  beforeEach(() => (aws = mockAws()));
  afterEach(() => aws.restore());

  const stacks = {
    "dev-china": { preview: { changeSummary: { create: 6 }, notDeployed: true } },
  };

  it("says so in the text output and succeeds", async () => {
    // given / when
    const { code, out } = await run(["preview", "--env", "dev", "--target", "china"], { stacks });
    // then
    expect(code).toBe(0);
    expect(out).toEqual([
      "dev-china: 6 create, 0 update, 0 replace, 0 delete, 0 same (not deployed yet: previewed against an empty stack)",
    ]);
  });

  it("marks it in the previews handed to the PR comment", async () => {
    // given
    const publishComment = jest.fn().mockResolvedValue({ action: "created", id: "1" });
    // when
    await run(previewAll("--comment", "github"), {
      stacks,
      env: pipelineEnv({ ...GITHUB_COMMENT_ENV, CODEBUILD_WEBHOOK_TRIGGER: "pr/3" }),
      services: { publishComment },
    });
    // then
    const previews = publishComment.mock.calls[0][0].previews as {
      name: string;
      notDeployed?: boolean;
    }[];
    expect(previews.map((p) => [p.name, p.notDeployed ?? false])).toEqual([
      ["dev-us-east-1", false],
      ["dev-eu-west-1", false],
      ["dev-china", true],
    ]);
  });
});

describe("silkroute preview --fresh-china (what pr-preview runs with previewChina)", () => {
  let aws: ReturnType<typeof mockAws>;
  beforeEach(() => (aws = mockAws()));
  afterEach(() => aws.restore());

  it("previews the China target against an empty stack and the global targets against their state", async () => {
    // given a result file, as the pr-preview buildspec writes
    const file = path.join(tempDir("silkroute-result-"), "r.json");
    // when
    const { code, fake, out } = await run(previewAll("--fresh-china", "--result-file", file));
    // then: only dev-china is previewed fresh, and the comment data says so
    expect(code).toBe(0);
    expect(fake.freshPreviews).toEqual(["dev-china"]);
    expect(out).toContain(
      "dev-china: 5 create, 0 update, 0 replace, 0 delete, 0 same (previewed against an empty stack, its state not read: what a fresh deploy would create)",
    );
    const parsed = parseResult(fs.readFileSync(file, "utf8"));
    expect(parsed.ok && parsed.result.previews.map((p) => [p.name, p.fresh ?? false])).toEqual([
      ["dev-us-east-1", false],
      ["dev-eu-west-1", false],
      ["dev-china", true],
    ]);
  });

  it("changes nothing when the China target is not previewed", async () => {
    // given / when
    const { code, fake } = await run([
      "preview",
      "--env",
      "dev",
      "--target",
      "global",
      ...EU_BUCKET,
      "--fresh-china",
    ]);
    // then
    expect(code).toBe(0);
    expect(fake.freshPreviews).toEqual([]);
  });
});

describe("silkroute preview --stacks (the infrastructure stacks)", () => {
  let aws: ReturnType<typeof mockAws>;
  beforeEach(() => (aws = mockAws()));
  afterEach(() => aws.restore());

  it("previews the project's stacks alone, from the project folder, with no AWS call of its own", async () => {
    // given
    const projectDir = projectWithStacks();
    // when
    const { code, fake, out } = await run(
      ["preview", "--env", "dev", "--stacks", "global,china", "--json"],
      { projectDir },
    );
    // then
    expect(code).toBe(0);
    expect(fake.projectStacks).toEqual([
      { stackName: "global", workDir: projectDir },
      { stackName: "china", workDir: projectDir },
    ]);
    expect(fake.ran("preview")).toEqual([]);
    expect(aws.ssm.commandCalls(GetParameterCommand)).toHaveLength(0);
    const names = JSON.parse(out.join("\n")).previews.map((p: { name: string }) => p.name);
    expect(names).toEqual(["global", "china"]);
  });

  it("puts the targets and the stacks in the same comment, stack results named after the stack", async () => {
    // given
    const publishComment = jest.fn().mockResolvedValue({ action: "updated", id: "c-1" });
    // when
    const { code } = await run(
      [
        "preview",
        "--env",
        "dev",
        "--target",
        "china",
        "--stacks",
        "acme/global",
        "--comment",
        "codecommit",
        "--pr",
        "3",
      ],
      { projectDir: projectWithStacks(), services: { publishComment } },
    );
    // then
    expect(code).toBe(0);
    expect(publishComment).toHaveBeenCalledTimes(1);
    const names = publishComment.mock.calls[0][0].previews.map((p: { name: string }) => p.name);
    expect(names).toEqual(["dev-china", "acme/global"]);
  });

  it.each([
    [
      "--stacks-backend",
      ["--stacks-backend", "s3://platform", "--backend", "s3://app"],
      {},
      "s3://platform",
    ],
    [
      "SILKROUTE_STACKS_BACKEND_URL",
      ["--backend", "s3://app"],
      { SILKROUTE_STACKS_BACKEND_URL: "s3://platform-env" },
      "s3://platform-env",
    ],
    ["--backend", ["--backend", "s3://app"], { PULUMI_BACKEND_URL: "s3://env" }, "s3://app"],
    ["PULUMI_BACKEND_URL", [], { PULUMI_BACKEND_URL: "s3://env" }, "s3://env"],
  ])("takes the stacks' backend from %s first", async (_name, flags, vars, expected) => {
    // given / when
    const { fake } = await run(["preview", "--env", "dev", "--stacks", "global", ...flags], {
      projectDir: projectWithStacks(),
      env: pipelineEnv(vars),
    });
    // then
    expect(fake.projectStacks.map((s) => s.backendUrl)).toEqual([expected]);
  });

  it("a failing stack preview fails the command but the comment is still posted", async () => {
    // given
    const publishComment = jest.fn().mockResolvedValue({ action: "created", id: "9" });
    // when
    const { code } = await run(
      ["preview", "--env", "dev", "--stacks", "global,china", "--comment", "github", "--pr", "5"],
      {
        projectDir: projectWithStacks(),
        stacks: { china: { fail: commandError("error: cannot read /China/Dev/Bootstrap") } },
        env: pipelineEnv(GITHUB_COMMENT_ENV),
        services: { publishComment },
      },
    );
    // then
    expect(code).toBe(ExitCode.Failed);
    const china = publishComment.mock.calls[0][0].previews.find(
      (p: { name: string }) => p.name === "china",
    );
    expect(china).toMatchObject({ status: "failed" });
  });

  it("a stack the project does not have is a usage error listing its stacks", async () => {
    // given / when
    const { code, err, fake } = await run(["preview", "--env", "dev", "--stacks", "staging"], {
      projectDir: projectWithStacks(),
    });
    // then
    expect(code).toBe(ExitCode.Usage);
    expect(err.join("\n")).toMatch(
      /--stacks staging: the project has no stack staging .*china, global/,
    );
    expect(fake.calls).toHaveLength(0);
  });

  it("a malformed stack name is a usage error", async () => {
    // given / when
    const { code, err } = await run(["preview", "--env", "dev", "--stacks", "a/b/c/global"], {
      projectDir: projectWithStacks(),
    });
    // then
    expect(code).toBe(ExitCode.Usage);
    expect(err.join("\n")).toMatch(/not a stack name/);
  });

  it("preview with neither --target nor --stacks is a usage error", async () => {
    // given / when
    const { code, err, fake } = await run(["preview", "--env", "dev"]);
    // then
    expect(code).toBe(ExitCode.Usage);
    expect(err.join("\n")).toMatch(/name what to preview: --target .*--stacks global,china/);
    expect(fake.calls).toHaveLength(0);
  });

  it("the other commands still demand --target", async () => {
    // given / when
    const { code, err } = await run(["deploy", "--env", "dev"]);
    // then
    expect(code).toBe(ExitCode.Usage);
    expect(err.join("\n")).toMatch(/--target is required/);
  });
});

describe("silkroute preview --result-file (the previews as data for the comment poster)", () => {
  let aws: ReturnType<typeof mockAws>;
  beforeEach(() => (aws = mockAws()));
  afterEach(() => aws.restore());

  const resultPath = () => path.join(tempDir("silkroute-result-"), "result.json");

  it("writes every preview, a failed one too, as a result document, and posts nothing", async () => {
    // given
    const file = resultPath();
    const publishComment = jest.fn();
    // when
    const { code } = await run(previewAll("--result-file", file), {
      stacks: { "dev-china": { fail: commandError("error: preview of dev-china failed") } },
      services: { publishComment },
    });
    // then
    expect(code).toBe(ExitCode.Failed);
    expect(publishComment).not.toHaveBeenCalled();
    const parsed = parseResult(fs.readFileSync(file, "utf8"));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.result.previews.map((p) => [p.name, p.status])).toEqual([
      ["dev-us-east-1", "succeeded"],
      ["dev-eu-west-1", "succeeded"],
      ["dev-china", "failed"],
    ]);
  });

  it("keeps the passphrase out of the file", async () => {
    // given
    const file = resultPath();
    // when
    await run(["preview", "--env", "dev", "--target", "us-east-1", "--result-file", file], {
      stacks: { "dev-us-east-1": { lines: [`using ${PASSPHRASE}`] } },
    });
    // then
    const text = fs.readFileSync(file, "utf8");
    expect(text).toContain("using [redacted]");
    expect(text).not.toContain(PASSPHRASE);
  });

  it("a path it cannot write is exit 2 naming the path, before any preview runs", async () => {
    // given
    const file = path.join(resultPath(), "missing-folder", "result.json");
    // when
    const { code, err, fake } = await run(
      ["preview", "--env", "dev", "--target", "us-east-1", "--result-file", file],
      {},
    );
    // then
    expect(code).toBe(ExitCode.Usage);
    expect(err).toEqual([
      `silkroute: --result-file ${file} cannot be written (ENOENT): give it a path in a writable folder`,
    ]);
    expect(fake.calls).toEqual([]);
  });
});
