import { describeError, log } from './log.ts';

/** Calls a user callback; a throw is logged and swallowed, as Workerman does, so one bad handler can't stop the server. */
export function safeCall<A extends unknown[]>(name: string, fn: ((...args: A) => unknown) | undefined, ...args: A): void {
  if (!fn) return;
  try {
    const result = fn(...args);
    // An async callback's rejection is a user error too; without this it would be an unhandled rejection.
    if (result instanceof Promise) result.catch((error: unknown) => log(`${name} failed: ${describeError(error)}`));
  } catch (error) {
    log(`${name} failed: ${describeError(error)}`);
  }
}
