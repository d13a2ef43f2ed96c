/*
 * Each of the plan engine's swaps of Pulumi internals (pulumiInternals.ts,
 * heldStructs.ts) runs one at a time.
 */

const running = new Set<string>();

/**
 * Runs `run` unless a run of `name` has not finished: the swaps it makes are
 * process-wide, and one put back by the first of two overlapping runs would be
 * left in place by the second. (Stacks are evaluated one at a time anyway.)
 */
export async function oneAtATime<T>(name: string, run: () => Promise<T>): Promise<T> {
  if (running.has(name)) {
    throw new Error(`${name}: a stack is being evaluated already; evaluate one at a time`);
  }
  running.add(name);
  try {
    return await run();
  } finally {
    running.delete(name);
  }
}
