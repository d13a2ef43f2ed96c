import type { SSMClientConfig } from "@aws-sdk/client-ssm";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { StaticCredentials } from "./appProgram";

/** How the driver's AWS SDK clients are built; tests swap the transport. */
export interface AwsClientOverrides {
  /** Transport for every client (tests serve canned HTTP responses). @default the SDK's */
  readonly requestHandler?: SSMClientConfig["requestHandler"];
  /** Credentials for the default-chain clients (SSM in the pipeline Region). @default the chain */
  readonly defaultCredentials?: StaticCredentials;
}

/** Attempts for clients in the pipeline Region (SDK default: 3). */
export const PIPELINE_MAX_ATTEMPTS = 5;
/** Attempts for clients calling into China: cross-border calls are slow and flaky. */
export const CHINA_MAX_ATTEMPTS = 10;
/** Milliseconds to establish a connection to a China endpoint. */
export const CHINA_CONNECTION_TIMEOUT_MS = 10_000;
/** Milliseconds a China request may take once connected. */
export const CHINA_REQUEST_TIMEOUT_MS = 60_000;

/** Config of a client in the pipeline Region, on the default credential chain. */
export function pipelineClientConfig(region: string, overrides: AwsClientOverrides = {}) {
  return {
    region,
    maxAttempts: PIPELINE_MAX_ATTEMPTS,
    retryMode: "standard",
    ...(overrides.requestHandler && { requestHandler: overrides.requestHandler }),
    ...(overrides.defaultCredentials && { credentials: overrides.defaultCredentials }),
  } as const;
}

/**
 * Config of a client calling a China Region with the China deploy key: the
 * key in memory (never the default chain), the Region always set (STS in
 * China is regional only), more attempts and longer timeouts.
 */
export function chinaClientConfig(
  region: string,
  credentials: StaticCredentials,
  overrides: AwsClientOverrides = {},
) {
  return {
    region,
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
    },
    maxAttempts: CHINA_MAX_ATTEMPTS,
    retryMode: "adaptive",
    requestHandler:
      overrides.requestHandler ??
      new NodeHttpHandler({
        connectionTimeout: CHINA_CONNECTION_TIMEOUT_MS,
        requestTimeout: CHINA_REQUEST_TIMEOUT_MS,
      }),
  } as const;
}

/** The AWS error code of an SDK error (`ParameterNotFound`, `AccessDeniedException`, …). */
export function awsErrorName(error: unknown): string {
  const e = error as { name?: unknown; Code?: unknown } | undefined;
  return typeof e?.name === "string" ? e.name : typeof e?.Code === "string" ? e.Code : "Error";
}

/** The first line of an error's message. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n").find((l) => l.trim() !== "") ?? message;
}

const ACCESS_DENIED = /AccessDenied|UnauthorizedOperation|NotAuthorized/;

/** The standard ways to give the AWS SDK (and the Pulumi CLI) credentials. */
export const CREDENTIAL_SOURCES =
  "AWS_PROFILE (a profile of ~/.aws/config, after aws configure or aws sso login), AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (with AWS_SESSION_TOKEN for temporary ones), or the role of where it runs (CodeBuild's service role, an EC2 instance profile)";

const REJECTED =
  /InvalidClientTokenId|UnrecognizedClient|SignatureDoesNotMatch|InvalidAccessKeyId|InvalidSignature/;

/**
 * What is wrong with the credentials of the default chain, when that is why
 * an AWS call failed: none found, expired or rejected; else undefined.
 */
export function credentialsProblem(error: unknown): string | undefined {
  const code = awsErrorName(error);
  const detail = `${code}: ${firstLine(error)}`;
  if (code === "CredentialsProviderError") return `no AWS credentials (${detail})`;
  if (/ExpiredToken/.test(code)) return `the AWS credentials have expired (${detail})`;
  if (REJECTED.test(code)) return `the AWS credentials were rejected (${detail})`;
  return undefined;
}

export function isAccessDenied(error: unknown): boolean {
  return ACCESS_DENIED.test(awsErrorName(error));
}
