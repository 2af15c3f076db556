import { describe, expect, it } from 'vitest';
import { PendingRing } from '../../../src/relay/pending-ring.ts';

describe('PendingRing', () => {
  it('matches answers by running number and peer, each once, and grows past many waiting requests', () => {
    const ring = new PendingRing();
    const answered: number[] = [];
    const ids = Array.from({ length: 1000 }, (_, i) => ring.add(i % 3, 0, () => answered.push(i)));
    expect(new Set(ids).size).toBe(1000);
    expect(ring.take(1, ids[0]!)).toBeUndefined();
    for (const [i, id] of ids.entries()) if (i % 2 === 0) (ring.take(i % 3, id) as (n: number) => void)(1);
    expect(ring.take(0, ids[0]!)).toBeUndefined();
    expect(answered).toHaveLength(500);
    // Those left go to whoever fails their peer, oldest first.
    for (const waiter of ring.takeAll((p) => p === 1)) (waiter as () => void)();
    expect(answered.slice(500)).toEqual(ids.map((_, i) => i).filter((i) => i % 2 === 1 && i % 3 === 1));
  });

  it('expires only requests made in an earlier round', () => {
    const ring = new PendingRing();
    const old = ring.add(0, 0, () => {});
    const fresh = ring.add(0, 1, () => {});
    expect(ring.takeAll(() => true, 0)).toHaveLength(0);
    expect(ring.takeAll(() => true, 1)).toHaveLength(1);
    expect(ring.take(0, old)).toBeUndefined();
    expect(ring.take(0, fresh)).toBeDefined();
  });
});
