import { IAMClient, ListAccessKeysCommand } from "@aws-sdk/client-iam";
import type { ChinaParameterArgs, JsonArgs } from "../commands/options";
import { awsErrorName, chinaClientConfig, firstLine, isAccessDenied } from "../awsClients";
import { resolveChinaParameters, readChinaAccess } from "../credentials";
import { CliError, ExitCode } from "../exitCodes";
import { findEnvironment, loadProjectConfig } from "../targets";
import type { DriverContext } from "./context";

/** `silkroute keys`'s arguments, as its command (commands/driverCommands.ts) parses them. */
export interface KeysArgs extends ChinaParameterArgs, JsonArgs {
  env: string;
  "max-age-days": number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export interface KeyAge {
  /** The key id with all but the last 4 characters hidden. */
  readonly id: string;
  readonly status: string;
  readonly ageDays: number;
  /** The key the SSM parameters hold. */
  readonly inUse: boolean;
}

/** `…WXYZ`: enough to tell keys apart without printing the id. */
export function maskKeyId(id: string): string {
  return `…${id.slice(-4)}`;
}

/**
 * `silkroute keys`: the age of the China deploy user's access keys, listed
 * with that user's own key (IAM in the China Region). Exit 4 when an active
 * key is older than --max-age-days.
 */
export async function keys(ctx: DriverContext, args: KeysArgs): Promise<void> {
  const maxAgeDays = args["max-age-days"];
  const cfg = loadProjectConfig(ctx.projectDir);
  const env = findEnvironment(cfg, args.env);
  if (!env.china) {
    throw new CliError(
      `environment ${env.name} has china: false, so it has no China deploy key`,
      ExitCode.Usage,
    );
  }
  const access = await readChinaAccess({
    names: resolveChinaParameters(env, args, ctx.env),
    withBucket: false,
    pipelineRegion: cfg.pipelineRegion,
    chinaRegion: cfg.chinaRegion,
    redactor: ctx.redactor,
    aws: ctx.services.aws,
  });
  const iam = new IAMClient(
    chinaClientConfig(cfg.chinaRegion, access.credentials, ctx.services.aws),
  );
  let metadata;
  try {
    metadata = (await iam.send(new ListAccessKeysCommand({}))).AccessKeyMetadata ?? [];
  } catch (error) {
    const code = awsErrorName(error);
    throw new CliError(
      isAccessDenied(error)
        ? `the China deploy user (${access.arn}) may not list its own access keys (${code}): allow iam:ListAccessKeys on itself`
        : `cannot list the China deploy user's access keys in ${cfg.chinaRegion}: ${code}: ${firstLine(error)}`,
      ExitCode.Credentials,
    );
  } finally {
    iam.destroy();
  }
  const now = (ctx.services.now ?? (() => new Date()))().getTime();
  const ages: KeyAge[] = metadata.map((k) => ({
    id: maskKeyId(k.AccessKeyId ?? ""),
    status: k.Status ?? "Unknown",
    ageDays: k.CreateDate ? Math.floor((now - k.CreateDate.getTime()) / DAY_MS) : Number.NaN,
    inUse: k.AccessKeyId === access.credentials.accessKeyId,
  }));
  const tooOld = ages.filter((k) => k.status === "Active" && !(k.ageDays <= maxAgeDays));
  if (args.json) {
    ctx.printJson({
      env: env.name,
      user: access.arn,
      maxAgeDays: maxAgeDays,
      keys: ages,
      tooOld: tooOld.length > 0,
    });
  } else {
    ctx.io.out(`China deploy user ${access.arn}:`);
    for (const k of ages) {
      ctx.io.out(
        `  ${k.id}  ${k.status}  ${k.ageDays} days${k.inUse ? "  (in SSM, used by the pipeline)" : ""}`,
      );
    }
  }
  if (tooOld.length > 0) {
    const message = `China deploy key ${tooOld.map((k) => `${k.id} is ${k.ageDays} days old`).join(", ")} (max ${maxAgeDays}); rotate it with: pulumi up --stack china`;
    ctx.io.err(message);
    ctx.setExitCode(ExitCode.Policy, message);
  } else {
    ctx.io.err(`China deploy key age within ${maxAgeDays} days`);
  }
}
