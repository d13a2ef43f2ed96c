import * as fs from "fs";
import * as path from "path";
import { dump, load } from "js-yaml";
import { describeWithCli, REPO } from "./cli";
import { Sandbox } from "./sandbox";

const DISABLE = "pulumi:disable-default-providers";

/** A program that creates a bucket and reads the caller, with or without an explicit provider. */
const PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const aws = require("@pulumi/aws");
const forget = new pulumi.Config().get("forget");
const provider = new aws.Provider("explicit", { region: "us-east-1" });
new aws.s3.Bucket("bucket", {}, forget === "resource" ? {} : { provider });
const me = aws.getCallerIdentityOutput({}, forget === "invoke" ? {} : { provider });
exports.account = me.accountId;
`;

// The shipped stacks' `pulumi:disable-default-providers` under the real
// engine: a resource or invoke that names no provider fails instead of using
// whatever account and Region the shell points at.
describeWithCli("default providers disabled (shipped config)", (cli) => {
  jest.setTimeout(120_000);
  let sandbox: Sandbox;
  let dir: string;

  beforeAll(async () => {
    sandbox = new Sandbox(cli);
    await sandbox.installAwsDouble();
    dir = path.join(sandbox.root, "forgetful");
    fs.mkdirSync(dir);
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"));
    fs.writeFileSync(path.join(dir, "index.js"), PROGRAM);
    fs.writeFileSync(
      path.join(dir, "Pulumi.yaml"),
      dump({ name: "forgetful", runtime: { name: "nodejs", options: { typescript: false } } }),
    );
    // The setting exactly as each shipped stack has it.
    for (const stack of ["global", "china"]) {
      const shipped = load(fs.readFileSync(path.join(REPO, `Pulumi.${stack}.yaml`), "utf8")) as {
        config: Record<string, unknown>;
      };
      fs.writeFileSync(
        path.join(dir, `Pulumi.${stack}.yaml`),
        dump({ config: { [DISABLE]: shipped.config[DISABLE] } }),
      );
      await sandbox.pulumiOk(["stack", "init", stack], { cwd: dir });
    }
  });
  afterAll(() => sandbox?.cleanup());

  it.each(["global", "china"])(
    "lets a program with explicit providers deploy (%s)",
    async (stack) => {
      // given every resource and invoke on an explicit provider / when
      const up = await sandbox.pulumi(["up", "--stack", stack, "--yes", "--skip-preview"], {
        cwd: dir,
      });
      // then
      expect(up.code).toBe(0);
    },
  );

  it.each([
    ["global", "resource"],
    ["china", "invoke"],
  ])("fails the %s stack's program when a %s names no provider", async (stack, what) => {
    // given
    await sandbox.pulumiOk(["config", "set", "forget", what, "--stack", stack], { cwd: dir });
    const before = sandbox.store.calls().filter((c) => c.call === "create").length;
    // when
    const up = await sandbox.pulumi(["up", "--stack", stack, "--yes", "--skip-preview"], {
      cwd: dir,
    });
    // then
    expect(up.code).not.toBe(0);
    expect(up.stdout + up.stderr).toMatch(/Default provider for 'aws' disabled/);
    expect(sandbox.store.calls().filter((c) => c.call === "create").length).toBe(before);
  });
});
