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
 * through the workspace's variables. The passphrase (or the file's contents)
 * is registered with the redactor, whatever its length. A missing passphrase
 * or an unreadable file is exit 2, before anything is created.
 */
export function resolveWorkspaceSettings(
  flags: BackendFlags,
  environment: NodeJS.ProcessEnv,
  projectDir: string,
  redactor: Redactor,
): WorkspaceSettings {
  const secretsProvider =
    nonEmpty(flags.secretsProvider) ??
    nonEmpty(environment.SILKROUTE_SECRETS_PROVIDER) ??
    "passphrase";
  const envVars =
    secretsProvider === "passphrase" ? passphraseVariables(environment, redactor) : {};
  const stateDir = path.join(projectDir, LOCAL_STATE_DIR);
  let backendUrl = nonEmpty(flags.backend) ?? nonEmpty(environment.PULUMI_BACKEND_URL);
  if (backendUrl === undefined) {
    fs.mkdirSync(stateDir, { recursive: true });
    backendUrl = `file://${stateDir}`;
  }
  return {
    projectDir,
    backendUrl,
    secretsProvider,
    workspacesDir: path.join(stateDir, "workspaces"),
    envVars,
  };
}

/** The CLI's variables for the passphrase provider; its value is registered with the redactor. */
function passphraseVariables(
  environment: NodeJS.ProcessEnv,
  redactor: Redactor,
): Record<string, string> {
  const passphrase = environment.PULUMI_CONFIG_PASSPHRASE;
  if (passphrase !== undefined) {
    redactor.registerSecret(passphrase);
    return { PULUMI_CONFIG_PASSPHRASE: passphrase };
  }
  const passphraseFile = nonEmpty(environment.PULUMI_CONFIG_PASSPHRASE_FILE);
  if (passphraseFile === undefined) {
    throw new CliError(
      "the passphrase secrets provider needs PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE); set it, or choose another with --secrets-provider / SILKROUTE_SECRETS_PROVIDER (e.g. awskms://alias/silkroute-pulumi-state?region=us-east-1)",
      ExitCode.Usage,
    );
  }
  // The CLI runs in the stack's workspace folder: a relative path must not be resolved from there.
  const file = path.resolve(passphraseFile);
  let contents: string;
  try {
    contents = fs.readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new CliError(
      `cannot read PULUMI_CONFIG_PASSPHRASE_FILE ${file} (${code}): point it at a readable file holding the passphrase, or set PULUMI_CONFIG_PASSPHRASE`,
      ExitCode.Usage,
    );
  }
  // Pulumi uses the file's contents trimmed; registerSecret hides both spellings.
  redactor.registerSecret(contents);
  return { PULUMI_CONFIG_PASSPHRASE_FILE: file };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
