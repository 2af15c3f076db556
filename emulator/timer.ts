/** A timer id returned by `Timer.add`. */
export type TimerId = number;

const timers = new Map<TimerId, NodeJS.Timeout>();
let nextId = 1;

/** Workerman's `Timer`: run a function every (or once after) so many seconds; ids can be deleted. */
export const Timer = {
  /** Runs `fn(...args)` every `seconds` (or once if `persistent` is false); returns an id for `del`. */
  add<A extends unknown[]>(seconds: number, fn: (...args: A) => unknown, args?: A, persistent = true): TimerId {
    if (!(seconds > 0)) throw new RangeError(`Timer.add: seconds must be > 0, got ${seconds}`);
    const id = nextId++;
    const run = (): void => {
      if (!persistent) timers.delete(id);
      try {
        fn(...((args ?? []) as A));
      } catch (error) {
        // Workerman logs a failing timer callback and keeps the process alive.
        console.error(`Timer ${id} failed:`, error);
      }
    };
    timers.set(id, persistent ? setInterval(run, seconds * 1000) : setTimeout(run, seconds * 1000));
    return id;
  },
  /** Stops one timer; false if the id is unknown (already fired or deleted). */
  del(id: TimerId): boolean {
    const handle = timers.get(id);
    if (!handle) return false;
    clearTimeout(handle);
    timers.delete(id);
    return true;
  },
  /** Stops every timer of this process. */
  delAll(): void {
    for (const handle of timers.values()) clearTimeout(handle);
    timers.clear();
  },
};
