import { describe, expect, it } from 'vitest';
import type { Socket } from 'node:net';
import { afterTurnWrites, corkForTick } from '../../emulator/tick-cork.ts';

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
  it('corks a socket once per turn and writes what waits for the turn only after every uncork', async () => {
    const log: string[] = [];
    const [a, b] = [fakeSocket('a', log), fakeSocket('b', log)];
    // A reply asked for before any frame of the turn still goes after them all.
    afterTurnWrites(() => log.push('replies'));
    corkForTick(a);
    corkForTick(a);
    corkForTick(b);
    expect(log).toEqual(['cork a', 'cork b']);
    await endOfTurn();
    expect(log).toEqual(['cork a', 'cork b', 'uncork a', 'uncork b', 'replies']);
    // The next turn starts afresh.
    corkForTick(a);
    await endOfTurn();
    expect(log.slice(5)).toEqual(['cork a', 'uncork a']);
  });
});
