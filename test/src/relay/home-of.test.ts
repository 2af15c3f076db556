import { describe, expect, it } from 'vitest';
import { homeOf } from '../../../src/relay/index.ts';

describe('homeOf', () => {
  it('is the same in every process and every release: FNV-1a over UTF-16 code units', () => {
    // Pinned: processes of two releases run side by side during a reload, and must agree on every home.
    expect(homeOf('alice', 0xffffffff)).toBe(2267157479);
    expect([homeOf('alice', 4), homeOf('bob', 4), homeOf('u1', 2), homeOf('\ud800', 3)]).toEqual([3, 0, 1, 2]);
    expect(homeOf('anything', 1)).toBe(0);
  });

  it('spreads uids over the processes', () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[homeOf(`user-${i}`, 4)]!++;
    for (const n of counts) expect(n).toBeGreaterThan(800);
  });
});
