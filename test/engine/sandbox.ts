import { spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { transformFileSync } from "@swc/core";
import type { PulumiCli } from "./cli";
import { REPO } from "./cli";
import { DOUBLE_DIR_VARIABLE, DoubleStore, RUN_LABEL_VARIABLE, sha256 } from "./awsDouble/store";
import { iamId } from "./awsDouble/resources";

/** What `run` returns. */
export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A key of the double's IAM, with its secret (tests only). */
export interface TestKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly account: string;
}

/** The account the ambient credentials (AWS_ACCESS_KEY_ID) of every run belong to. */
export const PIPELINE_ACCOUNT = "123456789012";

/** The project files a copy needs to run `pulumi up --stack global|china` and the driver. */
const PROJECT_FILES = [
  "Pulumi.yaml",
  "Pulumi.global.yaml",
  "Pulumi.china.yaml",
  "package.json",
  "tsconfig.json",
  "tsconfig.build.json",
  "stacks",
  "components",
  "automation",
  "app",
  "policy-pack",
];

/**
 * One engine test's world in a temporary folder: a Pulumi home with the AWS
 * provider double installed as the `aws` plugin, a `file://` backend with a
 * passphrase, the double's store (its AWS), and a copy of the project (so the
 * CLI's writes to Pulumi.<stack>.yaml stay out of the repository).
 */
export class Sandbox {
  readonly root: string;
  readonly home: string;
  readonly backend: string;
  readonly project: string;
  readonly store: DoubleStore;
  readonly passphrase = crypto.randomBytes(24).toString("base64url");
  readonly ambient: TestKey;
  /** Everything every command run here printed, for leak checks. */
  readonly transcript: string[] = [];

  constructor(readonly cli: PulumiCli) {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), "silkroute-engine-"));
    this.home = path.join(this.root, "pulumi-home");
    this.backend = path.join(this.root, "state");
    this.project = path.join(this.root, "project");
    for (const dir of [this.home, this.backend, this.project]) fs.mkdirSync(dir);
    this.store = new DoubleStore(path.join(this.root, "aws"));
    this.ambient = this.addKey(PIPELINE_ACCOUNT, "aws", `arn:aws:iam::${PIPELINE_ACCOUNT}:user/ci`);
  }

  /** Variables of every `pulumi` process (and so of the plugins it starts). */
  env(run?: string): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: `${this.cli.binDir}${path.delimiter}${process.env.PATH ?? ""}`,
      PULUMI_HOME: this.home,
      PULUMI_BACKEND_URL: `file://${this.backend}`,
      PULUMI_CONFIG_PASSPHRASE: this.passphrase,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      // The engine would otherwise try to download the real aws plugin.
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      // Only the plugin installed in PULUMI_HOME (the double) may answer as `aws`.
      PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
      PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
      [DOUBLE_DIR_VARIABLE]: this.store.dir,
      AWS_ACCESS_KEY_ID: this.ambient.accessKeyId,
      AWS_SECRET_ACCESS_KEY: this.ambient.secretAccessKey,
      AWS_REGION: "us-east-1",
      // ts-node's compile cache (a shared folder under the system tmp otherwise): cold, as in CI.
      TS_NODE_CACHE_DIRECTORY: path.join(this.root, "ts-node-cache"),
    };
    for (const name of ["AWS_PROFILE", "AWS_SESSION_TOKEN", "PULUMI_ACCESS_TOKEN", "CI"]) {
      delete env[name];
    }
    if (run !== undefined) env[RUN_LABEL_VARIABLE] = run;
    else delete env[RUN_LABEL_VARIABLE];
    return env;
  }

  /** An access key in the double's IAM. */
  addKey(account: string, partition: string, arn: string): TestKey {
    const key = {
      accessKeyId: iamId("AKIA", 16),
      secretAccessKey: crypto.randomBytes(30).toString("base64"),
      account,
    };
    this.store.putAccessKey({
      accessKeyId: key.accessKeyId,
      secretSha256: sha256(key.secretAccessKey),
      account,
      partition,
      arn,
      status: "Active",
    });
    return key;
  }

  /** Runs `pulumi <args>` in the project copy; never throws on a non-zero exit. */
  pulumi(args: readonly string[], options: { run?: string; cwd?: string } = {}) {
    return this.exec(this.cli.pulumi, args, options);
  }

  exec(
    command: string,
    args: readonly string[],
    options: { run?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {},
  ): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(command, [...args], {
        cwd: options.cwd ?? this.project,
        env: options.env ?? this.env(options.run),
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => {
        this.transcript.push(stdout, stderr);
        resolve({ code: code ?? 1, stdout, stderr });
      });
    });
  }

  /** Like pulumi(), but a non-zero exit fails with the CLI's output. */
  async pulumiOk(args: readonly string[], options: { run?: string; cwd?: string } = {}) {
    const result = await this.pulumi(args, options);
    if (result.code !== 0) {
      throw new Error(
        `pulumi ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`,
      );
    }
    return result;
  }

  /**
   * Compiles the double (test/engine/awsDouble) and installs it as the `aws`
   * resource plugin at @pulumi/aws's version: a folder holding an executable
   * `pulumi-resource-aws`, which `pulumi plugin install --file` accepts.
   */
  async installAwsDouble(): Promise<void> {
    const dir = path.join(this.root, "pulumi-resource-aws");
    fs.mkdirSync(dir);
    const src = path.join(__dirname, "awsDouble");
    for (const file of fs.readdirSync(src).filter((f) => f.endsWith(".ts"))) {
      const { code } = transformFileSync(path.join(src, file), {
        jsc: { target: "es2022", parser: { syntax: "typescript" } },
        module: { type: "commonjs" },
      });
      fs.writeFileSync(path.join(dir, file.replace(/\.ts$/, ".js")), code);
    }
    const launcher = path.join(dir, "pulumi-resource-aws");
    // NODE_PATH: the installed copy lives under PULUMI_HOME, outside the repository's node_modules.
    fs.writeFileSync(
      launcher,
      `#!/bin/sh\nNODE_PATH='${path.join(REPO, "node_modules")}' exec node "$(dirname "$0")/main.js" "$@"\n`,
      { mode: 0o755 },
    );
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const version = (require("@pulumi/aws/package.json") as { version: string }).version;
    const args = ["plugin", "install", "resource", "aws", version, "--file", dir];
    const result = await this.exec(this.cli.pulumi, args, { cwd: this.root });
    if (result.code !== 0) throw new Error(`installing the AWS double failed: ${result.stderr}`);
  }

  /** Copies the project (node_modules linked) into the sandbox. */
  copyProject(): string {
    for (const entry of PROJECT_FILES) {
      fs.cpSync(path.join(REPO, entry), path.join(this.project, entry), { recursive: true });
    }
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(this.project, "node_modules"));
    return this.project;
  }

  /** Every file under the Pulumi state, home and the driver's workspaces, with its text. */
  stateFiles(): { file: string; text: string }[] {
    const walk = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) return e.name === "plugins" ? [] : walk(p);
        return e.isFile() ? [p] : [];
      });
    const workspaces = path.join(this.project, ".pulumi-state");
    const dirs = [this.backend, this.home, ...(fs.existsSync(workspaces) ? [workspaces] : [])];
    return dirs.flatMap(walk).map((file) => ({
      file,
      text: fs.readFileSync(file, "utf8"),
    }));
  }

  cleanup(): void {
    if (process.env.SILKROUTE_KEEP_ENGINE_SANDBOX) {
      process.stderr.write(`engine sandbox kept: ${this.root}\n`);
      return;
    }
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
