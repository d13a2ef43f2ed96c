import { CliError, ExitCode } from "../exitCodes";
import { describePulumiError, isConcurrentUpdate, lockHolder } from "../pulumi/errors";
import type { LineSink } from "../pulumi/runner";
import type { Target } from "../targets";
import { DEFAULT_LOCK_RETRY, DriverContext, LockRetry } from "./context";

/** Anything run side by side: an app target, or a stack of the project (`global`, `china`). */
export interface Named {
  readonly stackName: string;
}

export interface TargetResult<T, U extends Named = Target> {
  readonly target: U;
  readonly ok: boolean;
  readonly value?: T;
  /** One line, redacted. */
  readonly error?: string;
  readonly ms: number;
}

/** `[dev-china] ` when several targets share the output, else nothing. */
export function prefixFor(target: Named, many: boolean): string {
  return many ? `[${target.stackName}] ` : "";
}

/**
 * Runs `operation` on every target concurrently. Output lines are prefixed
 * with the target's stack name (when there are several); one target failing
 * does not cancel the others; a locked stack is retried with backoff.
 */
export async function runTargets<T, U extends Named = Target>(
  ctx: DriverContext,
  targets: readonly U[],
  operation: (target: U, log: LineSink) => Promise<T>,
): Promise<TargetResult<T, U>[]> {
  const many = targets.length > 1;
  const now = () => (ctx.services.now ?? (() => new Date()))().getTime();
  return Promise.all(
    targets.map(async (target): Promise<TargetResult<T, U>> => {
      const prefix = prefixFor(target, many);
      const log: LineSink = (line) => ctx.io.err(`${prefix}${line}`);
      const started = now();
      try {
        const value = await withLockRetry(ctx, target, () => operation(target, log));
        return { target, ok: true, value, ms: now() - started };
      } catch (error) {
        const message = ctx.redactor.redact(errorLine(error));
        log(`error: ${message}`);
        return { target, ok: false, error: message, ms: now() - started };
      }
    }),
  );
}

/** The one line a failed target is reported with. */
export function errorLine(error: unknown): string {
  return error instanceof CliError ? error.message : describePulumiError(error);
}

/** Retries `run` while the stack is locked by another update, then names the lock. */
export async function withLockRetry<T>(
  ctx: DriverContext,
  target: Named,
  run: () => Promise<T>,
): Promise<T> {
  const retry: LockRetry = ctx.services.lockRetry ?? DEFAULT_LOCK_RETRY;
  const sleep = ctx.services.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!isConcurrentUpdate(error)) throw error;
      const holder = lockHolder(error) ?? "holder unknown";
      if (attempt >= retry.attempts) {
        throw new CliError(
          `stack ${target.stackName} is locked by another update (${holder}); gave up after ${attempt} attempts. Wait for that update to finish; if none is running, remove the lock with: pulumi cancel --stack ${target.stackName}`,
          ExitCode.Failed,
        );
      }
      const delay = Math.min(retry.baseDelayMs * 2 ** (attempt - 1), retry.maxDelayMs);
      ctx.io.err(
        `${prefixFor(target, true)}stack ${target.stackName} is locked (${holder}); retrying in ${Math.round(delay / 1000)} s (attempt ${attempt + 1} of ${retry.attempts})`,
      );
      await sleep(delay);
    }
  }
}

/** Prints the summary of a multi-target run and sets exit 1 if any target failed. */
export function summarize<T, U extends Named>(
  ctx: DriverContext,
  verb: string,
  results: readonly TargetResult<T, U>[],
): void {
  const failed = results.filter((r) => !r.ok);
  if (results.length > 1) {
    ctx.io.err(`${verb} summary:`);
    for (const r of results) {
      const seconds = (r.ms / 1000).toFixed(1);
      ctx.io.err(
        `  ${r.target.stackName}: ${r.ok ? "succeeded" : `failed: ${r.error}`} (${seconds} s)`,
      );
    }
  }
  const line =
    failed.length === 0
      ? `${verb} succeeded for ${results.map((r) => r.target.stackName).join(", ")}`
      : `${verb} failed for ${failed.map((r) => r.target.stackName).join(", ")}`;
  ctx.io.err(line);
  if (failed.length > 0) ctx.setExitCode(ExitCode.Failed, line);
}
