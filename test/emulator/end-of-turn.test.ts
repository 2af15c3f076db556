import { describe, expect, it } from 'vitest';
import { afterDeliveries, flushAtEndOfTurn, type TurnWriter } from '../../emulator/end-of-turn.ts';

/** A writer that records its flushes in a shared log. */
function writer(name: string, log: string[]): TurnWriter {
  return { flush: () => void log.push(`flush ${name}`) };
}

const endOfTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('writes held for the end of the turn', () => {
  it('flushes every writer registered this turn once the turn ends, not before, and starts afresh after', async () => {
    const log: string[] = [];
    const [a, b] = [writer('a', log), writer('b', log)];
    flushAtEndOfTurn(a);
    flushAtEndOfTurn(b);
    // Still held after the current callback and its microtasks: the turn is not over.
    await Promise.resolve();
    expect(log).toEqual([]);
    await endOfTurn();
    expect(log).toEqual(['flush a', 'flush b']);
    flushAtEndOfTurn(a);
    await endOfTurn();
    expect(log).toEqual(['flush a', 'flush b', 'flush a']);
  });

  it('runs what waits for the deliveries after every writer of the turn, even one registered after it was queued', async () => {
    const log: string[] = [];
    flushAtEndOfTurn(writer('early', log));
    afterDeliveries(() => log.push('reply'));
    // A delivery registered after the reply was queued in the same turn (a later chunk's frames) still leaves first.
    flushAtEndOfTurn(writer('late', log));
    afterDeliveries(() => log.push('close'));
    await Promise.resolve();
    expect(log).toEqual([]);
    await endOfTurn();
    expect(log).toEqual(['flush early', 'flush late', 'reply', 'close']);
  });
});
