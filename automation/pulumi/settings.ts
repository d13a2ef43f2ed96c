import * as fs from "fs";
import * as path from "path";
import { SECRETS_CONTEXT_KEY } from "../../components/naming";
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
 * `.pulumi-state` under the project (created with the first workspace, once
 * every check has passed: nothing is written here). Secrets provider:
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
  const backendUrl =
    nonEmpty(flags.backend) ?? nonEmpty(environment.PULUMI_BACKEND_URL) ?? `file://${stateDir}`;
  return {
    projectDir,
    backendUrl,
    secretsProvider,
    workspacesDir: path.join(stateDir, "workspaces"),
    envVars,
  };
}

/** gocloud.dev's awskms URL opener turns each `context_<key>=<value>` parameter into encryption context. */
const CONTEXT_PARAMETER = `context_${SECRETS_CONTEXT_KEY}`;

/**
 * The secrets provider of one app stack. An `awskms://` URL gets the stack's
 * encryption context (`&context_silkroute-stack=<stack>`): Pulumi 3.248's
 * cloud secrets manager opens the URL with gocloud.dev v0.46, whose awskms
 * opener sends every `context_` parameter as KMS encryption context, so the
 * stack's data key can only be decrypted by an identity whose IAM policy
 * allows that stack (`kms:EncryptionContext:silkroute-stack`). Any context
 * for that key already in the URL is replaced; other providers are returned
 * as they are.
 */
export function stackSecretsProvider(secretsProvider: string, stackName: string): string {
  if (!secretsProvider.startsWith("awskms://")) return secretsProvider;
  const at = secretsProvider.indexOf("?");
  const base = at === -1 ? secretsProvider : secretsProvider.slice(0, at);
  const query = new URLSearchParams(at === -1 ? "" : secretsProvider.slice(at + 1));
  query.delete(CONTEXT_PARAMETER);
  query.append(CONTEXT_PARAMETER, stackName);
  return `${base}?${query.toString()}`;
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
