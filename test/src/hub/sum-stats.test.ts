import { describe, expect, it } from 'vitest';
import { sumStats } from '../../../src/index.ts';

const share = (over: object) => ({ connections: 0, identified: 0, uids: 0, pushes: 0, delivered: 0, failed: 0, queued: 0, broadcasts: 0, ...over });

describe('sumStats', () => {
  it('adds processes up, counting a uid held in two of them once and each broadcast once', () => {
    const total = sumStats([
      share({ connections: 3, identified: 2, uids: 2, pushes: 5, delivered: 9, failed: 1, queued: 2, broadcasts: 2, uidList: ['a', 'b'] }),
      share({ connections: 1, identified: 1, uids: 1, pushes: 1, delivered: 0, failed: 1, queued: 1, broadcasts: 2, uidList: ['b'] }),
    ]);
    expect(total).toEqual({ connections: 4, identified: 3, uids: 2, pushes: 6, delivered: 9, failed: 2, queued: 3, broadcasts: 2 });
  });

  it('adds shards up, whose uids are disjoint', () => {
    const total = sumStats([share({ uids: 2, broadcasts: 1, delivered: 2 }), share({ uids: 3, broadcasts: 1, delivered: 3 })]);
    expect(total).toMatchObject({ uids: 5, broadcasts: 1, delivered: 5 });
  });

  it('is all zero for no shares', () => {
    expect(sumStats([])).toEqual(share({}));
  });
});
