import { partition } from "@aws-sdk/core/client";
import type { DoubleStore } from "./store";
import { isUnknown, reveal, Wire } from "./values";

/** A `pulumi:providers:aws` resource's configuration, as the double uses it. */
export interface ProviderConfig {
  readonly region?: string;
  readonly accessKey?: string;
  readonly secretKey?: string;
  readonly allowedAccountIds?: readonly string[];
  readonly forbiddenAccountIds?: readonly string[];
  readonly assumeRoleArn?: string;
  readonly defaultTags: Readonly<Record<string, string>>;
  /** Some value is not known yet (a preview): nothing can be checked. */
  readonly unknown: boolean;
}

/** Who a provider signs in as, and where. */
export interface Identity {
  readonly region: string;
  readonly account: string;
  readonly partition: string;
  readonly dnsSuffix: string;
  readonly arn: string;
  readonly userId: string;
}

function parseMaybeJson(value: Wire): Wire {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * The config from a Configure/CheckConfig request: `args` (structured, newer
 * engines) or else `variables` (`aws:config:<key>` → JSON-or-string).
 */
export function providerConfig(
  args: Record<string, Wire> | undefined,
  variables: Map<string, string>,
) {
  const raw: Record<string, Wire> = { ...args };
  if (args === undefined || Object.keys(args).length === 0) {
    for (const [k, v] of variables) raw[k.replace(/^aws:config:/, "")] = parseMaybeJson(v);
  }
  const value = (k: string) => reveal(parseMaybeJson(raw[k]));
  const unknown = Object.values(raw).some((v) => isUnknown(reveal(v)));
  const strings = (k: string) => {
    const v = value(k);
    return Array.isArray(v) ? v.map(String) : undefined;
  };
  const text = (k: string) => (typeof value(k) === "string" ? (value(k) as string) : undefined);
  const assumeRoles = value("assumeRoles") ?? value("assumeRole");
  const first = Array.isArray(assumeRoles) ? assumeRoles[0] : assumeRoles;
  const roleArn =
    typeof first === "object" && first !== null
      ? (first as Record<string, Wire>).roleArn
      : undefined;
  const defaultTags = value("defaultTags") as { tags?: Record<string, string> } | undefined;
  const config: ProviderConfig = {
    region: text("region"),
    accessKey: text("accessKey"),
    secretKey: text("secretKey"),
    allowedAccountIds: strings("allowedAccountIds"),
    forbiddenAccountIds: strings("forbiddenAccountIds"),
    assumeRoleArn: typeof roleArn === "string" ? roleArn : undefined,
    defaultTags: defaultTags?.tags ?? {},
    unknown,
  };
  return config;
}

/** AWS's partition data for a Region; an error for a Region AWS does not list. */
export function regionInfo(region: string): { partition: string; dnsSuffix: string } {
  const info = partition(region) as { name: string; dnsSuffix: string; description?: string };
  if (info.description === undefined) throw new Error(`invalid AWS Region: ${region}`);
  return { partition: info.name, dnsSuffix: info.dnsSuffix };
}

/**
 * Signs in as the real provider does before its first call: the explicit key,
 * else the environment's; the key must exist in the double's IAM and belong to
 * the Region's partition; an assumed role switches the account; allowed and
 * forbidden account lists are enforced.
 */
export function signIn(
  config: ProviderConfig,
  store: DoubleStore,
  env: NodeJS.ProcessEnv,
): Identity {
  const region = config.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new Error('missing required configuration key "aws:region": set it on the provider');
  }
  const where = regionInfo(region);
  const accessKeyId = config.accessKey ?? env.AWS_ACCESS_KEY_ID;
  const secretKey = config.secretKey ?? env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretKey) {
    throw new Error(
      "No valid credential sources found: set accessKey/secretKey or AWS_ACCESS_KEY_ID",
    );
  }
  const key = store.identify(accessKeyId, secretKey);
  if (!key || key.partition !== where.partition) {
    throw new Error(
      `validating provider credentials: retrieving caller identity from STS: operation error STS: GetCallerIdentity, InvalidClientTokenId: The security token included in the request is invalid (key ${accessKeyId.slice(0, 4)}… in ${region})`,
    );
  }
  let account = key.account;
  let arn = key.arn;
  if (config.assumeRoleArn) {
    const parts = config.assumeRoleArn.split(":");
    account = parts[4];
    arn = `arn:${where.partition}:sts::${account}:assumed-role/${parts[5].split("/").pop()}/session`;
  }
  if (config.allowedAccountIds && !config.allowedAccountIds.includes(account)) {
    throw new Error(`AWS account ID not allowed: ${account}`);
  }
  if (config.forbiddenAccountIds?.includes(account)) {
    throw new Error(`AWS account ID not allowed: ${account}`);
  }
  return { region, account, ...where, arn, userId: key.accessKeyId };
}
