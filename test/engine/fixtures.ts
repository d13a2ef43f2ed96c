import { readStackConfig } from "../../automation/plan/stackConfig";
import { ChinaConfig, loadChinaConfig } from "../../stacks/config/china";
import { PIPELINE_ACCOUNT, Sandbox, TestKey } from "./sandbox";
import type { CallRecord } from "./awsDouble/store";

/** The china stack's config as shipped in the project copy. */
export function chinaConfigOf(projectDir: string): ChinaConfig {
  const flat = readStackConfig(projectDir, "china");
  return loadChinaConfig(flat);
}

/**
 * What an operator does once by hand before `pulumi up --stack china`
 * (docs/china.md, "One-time bootstrap"): an administrator key per China
 * environment, in that environment's China account, stored as SecureString
 * parameters in the global account under the names Pulumi.china.yaml gives.
 */
export function seedChinaBootstrap(sandbox: Sandbox, cfg: ChinaConfig): Map<string, TestKey> {
  const keys = new Map<string, TestKey>();
  const arnOf = (name: string) =>
    `arn:aws:ssm:${cfg.globalRegion}:${PIPELINE_ACCOUNT}:parameter${name}`;
  for (const env of cfg.environments) {
    const account = env.accountId ?? "210987654321";
    const key = sandbox.addKey(
      account,
      "aws-cn",
      `arn:aws-cn:iam::${account}:user/bootstrap-admin`,
    );
    keys.set(env.name, key);
    const put = (name: string, value: string) =>
      sandbox.store.putParameter(PIPELINE_ACCOUNT, cfg.globalRegion, {
        name,
        type: "SecureString",
        value,
        version: 1,
        arn: arnOf(name),
      });
    put(env.bootstrap.accessKeyIdParameter, key.accessKeyId);
    put(env.bootstrap.secretAccessKeyParameter, key.secretAccessKey);
  }
  return keys;
}

/** The calls of one labelled run that changed something in AWS. */
export function mutations(calls: readonly CallRecord[], run: string): CallRecord[] {
  return calls.filter(
    (c) => c.run === run && ["create", "update", "delete"].includes(c.call) && !c.error,
  );
}
