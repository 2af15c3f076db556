import { describe, expect, it } from 'vitest';
import type { Socket } from 'node:net';
import { afterDeliveries, corkForTick } from '../../emulator/tick-cork.ts';

/** Enough of a socket for corking: it records its cork and uncork calls in a shared log. */
function fakeSocket(name: string, log: string[]): Socket {
  let corked = 0;
  return {
    get writableCorked() {
      return corked;
    },
    cork: () => void (corked++, log.push(`cork ${name}`)),
    uncork: () => void (corked--, log.push(`uncork ${name}`)),
  } as unknown as Socket;
}

const endOfTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('corking per event-loop turn', () => {
  it('corks each socket once per turn, however many frames it gets, and uncorks them all at the end of the turn', async () => {
    const log: string[] = [];
    const [a, b] = [fakeSocket('a', log), fakeSocket('b', log)];
    corkForTick(a);
    corkForTick(a);
    corkForTick(b);
    // Still corked after the current callback and its microtasks: the turn is not over.
    await Promise.resolve();
    expect(log).toEqual(['cork a', 'cork b']);
    await endOfTurn();
    expect(log).toEqual(['cork a', 'cork b', 'uncork a', 'uncork b']);
    // The next turn starts afresh.
    corkForTick(a);
    await endOfTurn();
    expect(log.slice(4)).toEqual(['cork a', 'uncork a']);
  });

  it('runs what waits for the deliveries after every socket of the turn is flushed, even one corked after it was queued', async () => {
    const log: string[] = [];
    const [early, late] = [fakeSocket('early', log), fakeSocket('late', log)];
    corkForTick(early);
    afterDeliveries(() => log.push('reply'));
    // A delivery corked after the reply was queued in the same turn (a later chunk's frames) still leaves first.
    corkForTick(late);
    afterDeliveries(() => log.push('close'));
    await Promise.resolve();
    expect(log).toEqual(['cork early', 'cork late']);
    await endOfTurn();
    expect(log).toEqual(['cork early', 'cork late', 'uncork early', 'uncork late', 'reply', 'close']);
  });
});
