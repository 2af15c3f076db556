/** Runs a function later, once the current synchronous work is done: queueMicrotask, or a runtime's next-tick hook. */
export type Schedule = (run: () => void) => void;

/**
 * A trigger that runs `run` once after the current tick, however often it is pulled before then: for a
 * batch whose shape is the caller's own (several queues, a map that keeps the last change per key).
 */
export function oncePerTick(run: () => void, schedule: Schedule = queueMicrotask): () => void {
  let scheduled = false;
  const fire = () => {
    scheduled = false;
    run();
  };
  return () => {
    if (scheduled) return;
    scheduled = true;
    schedule(fire);
  };
}

/**
 * Collects the items added in one tick and hands them to `flush` once, in the order added: a burst of
 * pushes or replies becomes one request or one write. `src/` stays runtime-free, so the caller may pass a
 * runtime's own scheduler (the default is `queueMicrotask`).
 */
export class Coalescer<T> {
  private items: T[] = [];
  private readonly flush: (items: T[]) => void;
  private readonly pull: () => void;

  /** `flush` owns the array it is given; the next tick's items go into a new one. */
  constructor(flush: (items: T[]) => void, schedule: Schedule = queueMicrotask) {
    this.flush = flush;
    this.pull = oncePerTick(() => this.handOver(), schedule);
  }

  /** Queues an item for this tick's flush. */
  add(item: T): void {
    this.items.push(item);
    this.pull();
  }

  /** How many items wait for the flush. */
  get size(): number {
    return this.items.length;
  }

  private handOver(): void {
    const items = this.items;
    if (items.length === 0) return;
    this.items = [];
    this.flush(items);
  }
}
