import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUCKETS, bucketOf, ownerOf, ownersUpTo, shardOf } from '../../worker/bucket-layout.ts';

const objectCounts = fc.integer({ min: 1, max: 1024 });
const buckets = fc.integer({ min: 0, max: BUCKETS - 1 });

// The hash as the Worker first defined it: over the bytes TextEncoder makes.
function fnvOfEncoded(uid: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(uid)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash % BUCKETS;
}

describe('buckets mapped onto objects', () => {
  it('hashes the UTF-8 bytes of any uid, lone surrogates as TextEncoder writes them', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (uid) => {
      expect(bucketOf(uid)).toBe(fnvOfEncoded(uid));
    }), { numRuns: 2000 });
    for (const uid of ['plain', 'é', '漢字', '😀', '\ud800', '\udc00x', 'a\ud83d']) expect(bucketOf(uid)).toBe(fnvOfEncoded(uid));
  });

  it('puts every uid in one fixed bucket and every bucket on an object of the layout', () => {
    fc.assert(fc.property(fc.string(), objectCounts, (uid, objects) => {
      const bucket = bucketOf(uid);
      expect(bucket).toBeGreaterThanOrEqual(0);
      expect(bucket).toBeLessThan(BUCKETS);
      expect(bucketOf(uid)).toBe(bucket);
      const owner = shardOf(uid, objects);
      expect(owner).toBeGreaterThanOrEqual(0);
      expect(owner).toBeLessThan(objects);
      expect(owner).toBe(ownerOf(bucket, objects));
    }));
    expect(shardOf('anyone', 1)).toBe(0);
  });

  it('moves a bucket from N to M objects only when its owner must change', () => {
    fc.assert(fc.property(buckets, objectCounts, objectCounts, (bucket, n, m) => {
      const [small, large] = n <= m ? [n, m] : [m, n];
      const before = ownerOf(bucket, small);
      const after = ownerOf(bucket, large);
      // Growing, a bucket either stays or goes to one of the added objects; shrinking is the same move backwards.
      if (after !== before) expect(after).toBeGreaterThanOrEqual(small);
    }), { numRuns: 2000 });
  });

  it('moves about (M - N) / M of the buckets when growing N to M, and keeps objects balanced', () => {
    for (const [n, m] of [[1, 2], [2, 3], [3, 2], [10, 11], [100, 101]] as const) {
      let moved = 0;
      const load = new Array<number>(Math.max(n, m)).fill(0);
      for (let b = 0; b < BUCKETS; b++) {
        if (ownerOf(b, n) !== ownerOf(b, m)) moved++;
        load[ownerOf(b, m)]!++;
      }
      const expected = (BUCKETS * Math.abs(m - n)) / Math.max(n, m);
      // Binomial spread: within 5 standard deviations of the share that must move.
      expect(Math.abs(moved - expected)).toBeLessThan(5 * Math.sqrt(expected) + 1);
      const fair = BUCKETS / m;
      for (const l of load.slice(0, m)) expect(Math.abs(l - fair)).toBeLessThan(5 * Math.sqrt(fair) + 1);
    }
  });

  it('names every object that owned a bucket in any layout up to the reach, and no other', () => {
    fc.assert(fc.property(buckets, fc.integer({ min: 1, max: 300 }), (bucket, reach) => {
      const owners = new Set(Array.from({ length: reach }, (_, i) => ownerOf(bucket, i + 1)));
      expect(ownersUpTo(bucket, reach)).toEqual([...owners].sort((a, b) => a - b));
    }), { numRuns: 300 });
  });

  it('keeps every owner it ever gave: a deployed layout must route each uid where its rows already are', () => {
    const owners: Array<[bucket: number, owners: number[]]> = [
      [0, [0, 2, 2, 46, 462]], [1, [0, 2, 2, 56, 499]], [2, [1, 1, 1, 58, 246]], [77, [0, 2, 2, 59, 59]], [1234, [0, 2, 2, 62, 62]], [16383, [0, 2, 2, 2, 2]],
    ];
    for (const [bucket, expected] of owners) expect([2, 3, 7, 64, 1000].map((m) => ownerOf(bucket, m)), `bucket ${bucket}`).toEqual(expected);
    expect(['u0', 'user-42', 'é', '😀'].map(bucketOf)).toEqual([9824, 13227, 10433, 5640]);
  });
});
