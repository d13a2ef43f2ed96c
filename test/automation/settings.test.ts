import * as fs from "fs";
import * as path from "path";
import { CliError, ExitCode } from "../../automation/exitCodes";
import {
  LOCAL_STATE_DIR,
  resolveWorkspaceSettings,
  stackSecretsProvider,
} from "../../automation/pulumi/settings";
import { Redactor } from "../../automation/redact";
import { tempDir as madeDir } from "../helpers/tempDir";

function tempDir(): string {
  return madeDir("silkroute-settings-");
}

function thrown(run: () => unknown): CliError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return error as CliError;
  }
  throw new Error("expected a CliError");
}

describe("resolveWorkspaceSettings", () => {
  it("without a passphrase: exit 2, and no .pulumi-state folder created", () => {
    // given
    const projectDir = tempDir();
    // when
    const error = thrown(() => resolveWorkspaceSettings({}, {}, projectDir, new Redactor()));
    // then
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(fs.existsSync(path.join(projectDir, LOCAL_STATE_DIR))).toBe(false);
  });

  it("with an unreadable passphrase file: exit 2 naming it, and no .pulumi-state folder", () => {
    // given
    const projectDir = tempDir();
    const missing = path.join(projectDir, "no-such-passphrase");
    // when
    const error = thrown(() =>
      resolveWorkspaceSettings(
        {},
        { PULUMI_CONFIG_PASSPHRASE_FILE: missing },
        projectDir,
        new Redactor(),
      ),
    );
    // then
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(error.message).toContain(`cannot read PULUMI_CONFIG_PASSPHRASE_FILE ${missing}`);
    expect(fs.existsSync(path.join(projectDir, LOCAL_STATE_DIR))).toBe(false);
  });

  it("registers the passphrase file's contents, as written and trimmed as Pulumi reads them", () => {
    // given
    const dir = tempDir();
    const file = path.join(dir, "passphrase");
    fs.writeFileSync(file, "file-held passphrase\n");
    const redactor = new Redactor();
    // when
    resolveWorkspaceSettings({}, { PULUMI_CONFIG_PASSPHRASE_FILE: file }, dir, redactor);
    // then
    expect(redactor.redact("pass=file-held passphrase;")).toBe("pass=[redacted];");
    expect(redactor.redact('"file-held passphrase\\n"')).toBe('"[redacted]"');
  });

  it("registers a passphrase file's contents shorter than the minimum for other values", () => {
    // given
    const dir = tempDir();
    const file = path.join(dir, "passphrase");
    fs.writeFileSync(file, "pw9");
    const redactor = new Redactor();
    // when
    resolveWorkspaceSettings({}, { PULUMI_CONFIG_PASSPHRASE_FILE: file }, dir, redactor);
    // then
    expect(redactor.redact("pass=pw9")).toBe("pass=[redacted]");
  });

  it("registers a short PULUMI_CONFIG_PASSPHRASE", () => {
    // given
    const redactor = new Redactor();
    // when
    resolveWorkspaceSettings({}, { PULUMI_CONFIG_PASSPHRASE: "abc" }, tempDir(), redactor);
    // then
    expect(redactor.redact("pass=abc")).toBe("pass=[redacted]");
  });

  it("hands the CLI the passphrase file as an absolute path (the CLI runs in another folder)", () => {
    // given: a relative path from the folder silkroute runs in
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "passphrase"), "relative passphrase");
    const relative = path.relative(process.cwd(), path.join(dir, "passphrase"));
    // when
    const settings = resolveWorkspaceSettings(
      {},
      { PULUMI_CONFIG_PASSPHRASE_FILE: relative },
      dir,
      new Redactor(),
    );
    // then
    expect(settings.envVars).toEqual({
      PULUMI_CONFIG_PASSPHRASE_FILE: path.join(dir, "passphrase"),
    });
  });

  it("writes nothing: the local state folder comes with the first workspace, once every check passed", () => {
    // given
    const projectDir = tempDir();
    // when
    const settings = resolveWorkspaceSettings(
      {},
      { PULUMI_CONFIG_PASSPHRASE: "local passphrase" },
      projectDir,
      new Redactor(),
    );
    // then
    expect(settings.backendUrl).toBe(`file://${path.join(projectDir, LOCAL_STATE_DIR)}`);
    expect(fs.existsSync(path.join(projectDir, LOCAL_STATE_DIR))).toBe(false);
  });
});

describe("stackSecretsProvider", () => {
  it("gives an awskms provider the stack's encryption context, as gocloud.dev's context_ parameter", () => {
    expect(
      stackSecretsProvider("awskms://alias/silkroute-pulumi-state?region=us-east-1", "dev-china"),
    ).toBe(
      "awskms://alias/silkroute-pulumi-state?region=us-east-1&context_silkroute-stack=dev-china",
    );
    expect(stackSecretsProvider("awskms:///arn:aws:kms:us-east-1:1:key/k", "prod-china")).toBe(
      "awskms:///arn:aws:kms:us-east-1:1:key/k?context_silkroute-stack=prod-china",
    );
  });

  it("replaces a context for the stack key already in the URL: each stack gets its own", () => {
    const given = "awskms://alias/k?context_silkroute-stack=prod-china&region=us-east-1";
    expect(stackSecretsProvider(given, "dev-china")).toBe(
      "awskms://alias/k?region=us-east-1&context_silkroute-stack=dev-china",
    );
  });

  it("leaves other providers as they are", () => {
    expect(stackSecretsProvider("passphrase", "dev-china")).toBe("passphrase");
  });
});
