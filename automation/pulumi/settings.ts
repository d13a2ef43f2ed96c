import * as fs from "fs";
import * as path from "path";
import { CliError, ExitCode } from "../exitCodes";
import type { Redactor } from "../redact";
import type { WorkspaceSettings } from "./runner";

/** The local state folder under the project (git-ignored). */
export const LOCAL_STATE_DIR = ".pulumi-state";

export interface BackendFlags {
  readonly backend?: string;
  readonly secretsProvider?: string;
}

/**
 * Backend: `--backend`, else PULUMI_BACKEND_URL, else a `file://` folder
 * `.pulumi-state` under the project (created). Secrets provider:
 * `--secrets-provider`, else SILKROUTE_SECRETS_PROVIDER, else `passphrase`,
 * which needs PULUMI_CONFIG_PASSPHRASE (or _FILE), handed to the CLI only
 * through the workspace's variables.
 */
export function resolveWorkspaceSettings(
  flags: BackendFlags,
  environment: NodeJS.ProcessEnv,
  projectDir: string,
  redactor: Redactor,
): WorkspaceSettings {
  const stateDir = path.join(projectDir, LOCAL_STATE_DIR);
  let backendUrl = nonEmpty(flags.backend) ?? nonEmpty(environment.PULUMI_BACKEND_URL);
  if (backendUrl === undefined) {
    fs.mkdirSync(stateDir, { recursive: true });
    backendUrl = `file://${stateDir}`;
  }
  const secretsProvider =
    nonEmpty(flags.secretsProvider) ??
    nonEmpty(environment.SILKROUTE_SECRETS_PROVIDER) ??
    "passphrase";
  const envVars: Record<string, string> = {};
  if (secretsProvider === "passphrase") {
    const passphrase = environment.PULUMI_CONFIG_PASSPHRASE;
    const passphraseFile = nonEmpty(environment.PULUMI_CONFIG_PASSPHRASE_FILE);
    if (passphrase !== undefined) {
      redactor.register(passphrase);
      envVars.PULUMI_CONFIG_PASSPHRASE = passphrase;
    } else if (passphraseFile !== undefined) {
      envVars.PULUMI_CONFIG_PASSPHRASE_FILE = passphraseFile;
    } else {
      throw new CliError(
        "the passphrase secrets provider needs PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE); set it, or choose another with --secrets-provider / SILKROUTE_SECRETS_PROVIDER (e.g. awskms://alias/silkroute-pulumi-state?region=us-east-1)",
        ExitCode.Usage,
      );
    }
  }
  return {
    projectDir,
    backendUrl,
    secretsProvider,
    workspacesDir: path.join(stateDir, "workspaces"),
    envVars,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
