import { describe, expect, it } from 'vitest';
import { Coalescer, oncePerTick } from '../../src/index.ts';

// A scheduler the test runs by hand, so "the end of the tick" is a step the test takes.
function manualTick(): { schedule: (run: () => void) => void; end: () => void; waiting: () => number } {
  const queued: Array<() => void> = [];
  return {
    schedule: (run) => void queued.push(run),
    end: () => queued.splice(0).forEach((run) => run()),
    waiting: () => queued.length,
  };
}

describe('Coalescer', () => {
  it('hands the items of one tick to flush once, in order, and starts afresh for the next tick', () => {
    const tick = manualTick();
    const flushed: string[][] = [];
    const batch = new Coalescer<string>((items) => flushed.push(items), tick.schedule);
    batch.add('a');
    batch.add('b');
    batch.add('c');
    expect(batch.size).toBe(3);
    expect(tick.waiting()).toBe(1);
    tick.end();
    expect(flushed).toEqual([['a', 'b', 'c']]);
    expect(batch.size).toBe(0);
    batch.add('d');
    tick.end();
    expect(flushed).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('flushes after the current synchronous work by default (a microtask)', async () => {
    const flushed: number[][] = [];
    const batch = new Coalescer<number>((items) => flushed.push(items));
    for (let i = 0; i < 5; i++) batch.add(i);
    expect(flushed).toEqual([]);
    await Promise.resolve();
    expect(flushed).toEqual([[0, 1, 2, 3, 4]]);
  });

  it('takes items added during a flush into the next one', () => {
    const tick = manualTick();
    const flushed: string[][] = [];
    const batch = new Coalescer<string>((items) => {
      flushed.push(items);
      if (items[0] === 'first') batch.add('during');
    }, tick.schedule);
    batch.add('first');
    tick.end();
    tick.end();
    expect(flushed).toEqual([['first'], ['during']]);
  });
});

describe('oncePerTick', () => {
  it('runs once per tick however often it is pulled', () => {
    const tick = manualTick();
    let runs = 0;
    const pull = oncePerTick(() => runs++, tick.schedule);
    pull();
    pull();
    pull();
    tick.end();
    expect(runs).toBe(1);
    pull();
    tick.end();
    expect(runs).toBe(2);
  });
});
