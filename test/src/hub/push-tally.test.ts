import { describe, expect, it } from 'vitest';
import { PushTally, QUEUED, refusal } from '../../../src/index.ts';

describe('PushTally', () => {
  it('counts each push by its answer and returns it; a refused push was not taken and counts nothing', () => {
    const tally = new PushTally();
    const refused = refusal('queue full');
    expect([tally.push(2), tally.push(0), tally.push(QUEUED), tally.push(refused)]).toEqual([2, 0, QUEUED, refused]);
    expect(tally.broadcast(3)).toBe(3);
    expect(tally.counters).toEqual({ pushes: 3, delivered: 5, failed: 1, queued: 1, broadcasts: 1 });
  });
});
