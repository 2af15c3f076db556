import { vi } from 'vitest';

/** How long a test waits for something to happen: the suite's policy, as `expect.poll` is configured. */
export const POLL_TIMEOUT_MS = 5000;

/**
 * How long a test waits for a Node process it spawned to serve: starting Node takes seconds when the machine is
 * busy (a run flaked with four heavy jobs on two cores), so waits on a process start get more than the policy.
 */
export const PROCESS_START_MS = 15_000;

/**
 * Polls `check` every 20 ms until it returns a truthy value, and resolves with it; fails naming `what` after
 * 5 s (or `timeoutMs`: PROCESS_START_MS for waits on a process start), with the last error `check` threw as
 * the cause and in the message, so a wait that failed for a reason (a refused connection) says which. The
 * suite's one polling helper besides `expect.poll`, for waits that produce a value or have no single expectation.
 */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = POLL_TIMEOUT_MS): Promise<NonNullable<T>> {
  let last: unknown;
  try {
    return await vi.waitFor(async () => {
      let value: T;
      try {
        value = await check();
      } catch (error) {
        last = error;
        throw error;
      }
      if (!value) throw new Error('not yet');
      return value as NonNullable<T>;
    }, { timeout: timeoutMs, interval: 20 });
  } catch {
    const why = last === undefined ? '' : ` (last error: ${last instanceof Error ? last.message : String(last)})`;
    throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${why}`, { cause: last });
  }
}
