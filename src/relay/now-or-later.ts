/**
 * Runs work that reports a count through a callback, and answers the count itself when the callback came at
 * once, or a promise of it when it comes later: a push that involves no other process is answered without a
 * promise, and the text port writes its reply in the same turn.
 */
export function nowOrLater(start: (done: (n: number) => void) => void): number | Promise<number> {
  let now: number | undefined;
  let later: ((n: number) => void) | undefined;
  start((n) => (later ? later(n) : (now = n)));
  return now !== undefined ? now : new Promise<number>((resolve) => (later = resolve));
}
