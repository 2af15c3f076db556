/** A point in time (performance.now() clock) that every wait and loop of one count setting stops at. */
export class Deadline {
  readonly at: number;

  constructor(fromNowMs: number) {
    this.at = performance.now() + fromNowMs;
  }

  passed(): boolean {
    return performance.now() >= this.at;
  }

  remainingMs(): number {
    return Math.max(0, this.at - performance.now());
  }
}

/** Waits for `done` or the deadline, whichever comes first; true when `done` won. */
export async function within(done: Promise<unknown>, deadline: Deadline): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), deadline.remainingMs())));
  try {
    return await Promise.race([done.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A promise with its resolve function outside, for "the last reply arrived" style signals. */
export function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Sleeps, but never past the deadline. */
export function pause(ms: number, deadline: Deadline): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(ms, deadline.remainingMs())));
}
