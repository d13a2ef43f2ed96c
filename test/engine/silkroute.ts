import { main } from "../../automation/cli";
import type { DriverServices } from "../../automation/driver/context";
import type { Sandbox } from "./sandbox";

export interface DriverRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/**
 * Runs `silkroute <argv>` in this process as CodeBuild would, in the
 * sandbox's project copy and world (its Pulumi home and backend, the AWS
 * double labelling its calls with `run`); what it prints joins the sandbox's
 * transcript. process.env takes the same variables, because the Automation
 * API starts `pulumi` with it and the AWS SDK reads its endpoints there;
 * restoreEnv() puts it back.
 */
export async function silkroute(
  sandbox: Sandbox,
  argv: readonly string[],
  run: string,
  options: { env?: NodeJS.ProcessEnv; services?: Partial<DriverServices> } = {},
): Promise<DriverRun> {
  const env = { ...sandbox.env(run), ...options.env };
  Object.assign(process.env, env);
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    io: { out: (t) => out.push(t), err: (t) => err.push(t) },
    projectDir: sandbox.project,
    services: { env, ...options.services },
  });
  sandbox.transcript.push(...out, ...err);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** Exit 0, or a failure showing what the driver printed. */
export function expectOk(run: DriverRun): void {
  if (run.code !== 0) throw new Error(`silkroute exited ${run.code}:\n${run.err}`);
}

const original = { ...process.env };

/** process.env as it was before the first silkroute() run. */
export function restoreEnv(): void {
  for (const key of Object.keys(process.env)) if (!(key in original)) delete process.env[key];
  Object.assign(process.env, original);
}
