import type { CodeCommitClient } from "@aws-sdk/client-codecommit";
import type { AwsClientOverrides } from "../awsClients";
import type { CommandContext } from "../commands/context";
import type { publishPreviewComment } from "../comments/publish";
import type { RunnerFactory } from "../pulumi/runner";
import type { Redactor } from "../redact";

/** Bounded retry of a locked stack (ConcurrentUpdateError). */
export interface LockRetry {
  /** Attempts in all, the first included. @default 5 */
  readonly attempts: number;
  /** Wait before the second attempt; doubled each time. @default 5000 ms */
  readonly baseDelayMs: number;
  /** Longest wait between attempts. @default 60000 ms */
  readonly maxDelayMs: number;
}

/** What the driver's commands use from the outside world; tests replace any of it. */
export interface DriverServices {
  /** Builds the Pulumi runner. @default the Automation API (loaded on first use) */
  readonly pulumi?: RunnerFactory;
  /** Transport / credentials overrides for the AWS SDK clients. @default none */
  readonly aws?: AwsClientOverrides;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default the clock */
  readonly now?: () => Date;
  /**
   * The environment variables the driver reads.
   * @default a snapshot of process.env taken at start-up, after which GITHUB_TOKEN and GH_TOKEN
   * are deleted from process.env (commands/run.ts DRIVER_ONLY_VARIABLES)
   */
  readonly env?: NodeJS.ProcessEnv;
  /** @default automation/comments/publish.ts */
  readonly publishComment?: typeof publishPreviewComment;
  /** Transport for the GitHub comment API. @default the global fetch */
  readonly fetch?: typeof fetch;
  /** Client for CodeCommit comments. @default one in the pipeline Region */
  readonly codecommitClient?: CodeCommitClient;
  /** @default DEFAULT_LOCK_RETRY */
  readonly lockRetry?: LockRetry;
}

export const DEFAULT_LOCK_RETRY: LockRetry = { attempts: 5, baseDelayMs: 5000, maxDelayMs: 60000 };

/** The context of the driver's commands: the CLI's, plus redaction and services. */
export interface DriverContext extends CommandContext {
  /** Every line printed goes through it (ctx.io already redacts). */
  readonly redactor: Redactor;
  readonly services: DriverServices;
  readonly env: NodeJS.ProcessEnv;
}
