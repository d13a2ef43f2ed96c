import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { chinaKeyParameterNames } from "../components/naming";
import type { Environment } from "../stacks/config/global";
import type { StaticCredentials } from "./appProgram";
import {
  AwsClientOverrides,
  awsErrorName,
  chinaClientConfig,
  CREDENTIAL_SOURCES,
  credentialsProblem,
  firstLine,
  isAccessDenied,
  pipelineClientConfig,
} from "./awsClients";
import { CliError, ExitCode } from "./exitCodes";
import type { Redactor } from "./redact";

/** A parameter name and where it came from, for messages. */
export interface NamedParameter {
  readonly name: string;
  /** `--access-key-parameter`, `USER_ACCESS_KEY_SSM` or `default`. */
  readonly from: string;
  /** The flag naming it, for the fix. @default none */
  readonly flag?: string;
  /** What to do when it is missing. @default create it with the china stack or name another */
  readonly fix?: string;
}

export interface ResolvedChinaParameters {
  readonly accessKey: NamedParameter;
  readonly secretKey: NamedParameter;
  readonly bucket: NamedParameter;
}

export interface ChinaParameterFlags {
  readonly accessKeyParameter?: string;
  readonly secretKeyParameter?: string;
  readonly bucketParameter?: string;
}

/**
 * The SSM names of an environment's China deploy key and bucket: the flags,
 * else the seed's CodeBuild variables, else `<chinaParameterPrefix>/…`.
 */
export function resolveChinaParameters(
  env: Environment,
  flags: ChinaParameterFlags,
  environment: NodeJS.ProcessEnv,
): ResolvedChinaParameters {
  const defaults = chinaKeyParameterNames(env.chinaParameterPrefix);
  const pick = (
    flag: string,
    flagValue: string | undefined,
    variable: string,
    fallback: string,
  ): NamedParameter =>
    flagValue !== undefined && flagValue !== ""
      ? { name: flagValue, from: flag, flag }
      : environment[variable]
        ? { name: environment[variable] as string, from: variable, flag }
        : { name: fallback, from: "default", flag };
  return {
    accessKey: pick(
      "--access-key-parameter",
      flags.accessKeyParameter,
      "USER_ACCESS_KEY_SSM",
      defaults.accessKey,
    ),
    secretKey: pick(
      "--secret-key-parameter",
      flags.secretKeyParameter,
      "USER_SECRET_KEY_SSM",
      defaults.secretKey,
    ),
    bucket: pick("--bucket-parameter", flags.bucketParameter, "S3_BUCKET_SSM", defaults.bucket),
  };
}

/** The China deploy key (verified) and the China artifact bucket, in memory. */
export interface ChinaAccess {
  readonly credentials: StaticCredentials;
  /** Empty when read with `withBucket: false`. */
  readonly bucket: string;
  /** The China account and caller ARN STS reported. */
  readonly account: string;
  readonly arn: string;
}

export interface ReadChinaAccessOptions {
  readonly names: ResolvedChinaParameters;
  /** Read the China artifact bucket too. @default true */
  readonly withBucket?: boolean;
  /** Region of the SSM parameters (the pipeline Region). */
  readonly pipelineRegion: string;
  readonly chinaRegion: string;
  /** Secrets are registered here as soon as they are read. */
  readonly redactor: Redactor;
  readonly aws?: AwsClientOverrides;
}

/**
 * Reads the China deploy key and bucket from SSM (WithDecryption, default
 * credential chain, pipeline Region) and verifies the key with STS
 * GetCallerIdentity at the China Region's regional endpoint. Every failure is
 * a CliError (exit 3) naming the parameter; nothing else is started.
 */
export async function readChinaAccess(options: ReadChinaAccessOptions): Promise<ChinaAccess> {
  const { names, pipelineRegion, redactor } = options;
  const ssm = new SSMClient(pipelineClientConfig(pipelineRegion, options.aws));
  try {
    const [accessKeyId, secretAccessKey, bucket] = await Promise.all([
      readParameter(ssm, names.accessKey, pipelineRegion, redactor),
      readParameter(ssm, names.secretKey, pipelineRegion, redactor),
      options.withBucket === false ? "" : readParameter(ssm, names.bucket, pipelineRegion),
    ]);
    const credentials = { accessKeyId, secretAccessKey };
    const identity = await verifyChinaCredentials(credentials, options);
    return { credentials, bucket, ...identity };
  } finally {
    ssm.destroy();
  }
}

/** The value of one SSM parameter, or a CliError (exit 3) naming it. */
export async function readParameter(
  ssm: SSMClient,
  parameter: NamedParameter,
  region: string,
  redactor?: Redactor,
): Promise<string> {
  const source = parameter.from === "default" ? "" : ` (from ${parameter.from})`;
  let value: string | undefined;
  try {
    const out = await ssm.send(
      new GetParameterCommand({ Name: parameter.name, WithDecryption: true }),
    );
    value = out.Parameter?.Value;
  } catch (error) {
    const code = awsErrorName(error);
    if (code === "ParameterNotFound") {
      throw new CliError(
        `SSM parameter ${parameter.name}${source} not found in ${region}; ${parameter.fix ?? `create it with: pulumi up --stack china${parameter.flag ? `, or name another with ${parameter.flag}` : ""}`}`,
        ExitCode.Credentials,
      );
    }
    const problem = credentialsProblem(error);
    if (problem !== undefined) {
      throw new CliError(
        `cannot read SSM parameter ${parameter.name}${source} in ${region}: ${problem}; give the pipeline account's with ${CREDENTIAL_SOURCES}`,
        ExitCode.Credentials,
      );
    }
    if (isAccessDenied(error) || code.startsWith("KMS") || code === "InvalidKeyId") {
      throw new CliError(
        `access denied reading SSM parameter ${parameter.name}${source} in ${region} (${code}): the deploy role needs ssm:GetParameter on it and kms:Decrypt on its key`,
        ExitCode.Credentials,
      );
    }
    throw new CliError(
      `cannot read SSM parameter ${parameter.name}${source} in ${region}: ${code}: ${firstLine(error)}`,
      ExitCode.Credentials,
    );
  }
  if (value === undefined || value === "") {
    throw new CliError(
      `SSM parameter ${parameter.name}${source} in ${region} is empty`,
      ExitCode.Credentials,
    );
  }
  redactor?.register(value);
  return value;
}

const INVALID_KEY =
  /InvalidClientTokenId|SignatureDoesNotMatch|UnrecognizedClient|ExpiredToken|AccessDenied|InvalidAccessKeyId/;

/** STS GetCallerIdentity in the China Region with the key in memory. */
async function verifyChinaCredentials(
  credentials: StaticCredentials,
  options: ReadChinaAccessOptions,
): Promise<{ account: string; arn: string }> {
  const sts = new STSClient(chinaClientConfig(options.chinaRegion, credentials, options.aws));
  try {
    const out = await sts.send(new GetCallerIdentityCommand({}));
    return { account: out.Account ?? "", arn: out.Arn ?? "" };
  } catch (error) {
    const code = awsErrorName(error);
    const key = `${options.names.accessKey.name} / ${options.names.secretKey.name}`;
    if (INVALID_KEY.test(code)) {
      throw new CliError(
        `the China deploy key in ${key} was rejected by STS in ${options.chinaRegion} (${code}); rotate it with: pulumi up --stack china`,
        ExitCode.Credentials,
      );
    }
    throw new CliError(
      `cannot verify the China deploy key in ${key} with STS in ${options.chinaRegion}: ${code}: ${firstLine(error)}`,
      ExitCode.Credentials,
    );
  } finally {
    sts.destroy();
  }
}
