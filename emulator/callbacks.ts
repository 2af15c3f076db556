import { describeError, log } from './log.ts';

/**
 * Calls a user callback; a throw is logged and swallowed, as Workerman does, so one bad handler can't stop the
 * server. An async callback's promise comes back (settling once it is done) for a caller that waits for it.
 */
export function safeCall<A extends unknown[]>(name: string, fn: ((...args: A) => unknown) | undefined, ...args: A): Promise<void> | undefined {
  if (!fn) return undefined;
  try {
    const result = fn(...args);
    // An async callback's rejection is a user error too; without this it would be an unhandled rejection.
    if (result instanceof Promise) return result.then(() => undefined, (error: unknown) => log(`${name} failed: ${describeError(error)}`));
  } catch (error) {
    log(`${name} failed: ${describeError(error)}`);
  }
  return undefined;
}
