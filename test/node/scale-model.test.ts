import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EDGE_PLATFORM } from '../../scripts/edge-platform.ts';
import { broadcastLevels, checkLoad, limitBrokenAt, modelEdge, ModelError, shardsNeeded, shardsTouched, type EdgeLoad } from '../../scripts/scale-model.ts';

const base = { broadcastsPerMin: 1, batch: 1, socketsPerPush: 1, sessionMinutes: 30 };
const load = (clients: number, pushesPerSec: number, more: Partial<EdgeLoad> = {}): EdgeLoad => ({ ...base, clients, pushesPerSec, ...more });
const p = EDGE_PLATFORM;

describe('the scale model of the edge', () => {
  it('counts the shards a batch reaches', () => {
    expect(shardsTouched(1, 7)).toBeCloseTo(1, 12);
    expect(shardsTouched(2, 2)).toBeCloseTo(1.5, 12); // 2 · (1 − ¼)
    expect(shardsTouched(1000, 1)).toBe(1);
    expect(shardsTouched(1000, 4)).toBeCloseTo(4, 6);
  });

  it('counts the rounds of calls a broadcast needs past the subrequest limit', () => {
    expect(broadcastLevels(1, 10_000)).toBe(1);
    expect(broadcastLevels(10_000, 10_000)).toBe(1);
    expect(broadcastLevels(10_001, 10_000)).toBe(2);
    expect(broadcastLevels(100_000_000, 10_000)).toBe(2);
    expect(broadcastLevels(100_000_001, 10_000)).toBe(3);
    expect(broadcastLevels(64, 4)).toBe(3);
  });

  it('matches a case worked by hand: 10,000 clients at 1,000 pushes/s', () => {
    const f = modelEdge(load(10_000, 1000), p);
    // 1,000 pushes + 10,000/1,800 connects per second need 3 objects at 500 requests/s each (2 would carry 502.8).
    expect([f.shards, f.bound]).toEqual([3, 'requests']);
    expect(f.pushesPerSecPerShard).toBeCloseTo(333.333, 3);
    expect(f.objectRequestsPerSecPerShard).toBeCloseTo(1000 / 3 + 10_000 / 1800 / 3 + 1 / 60, 9);
    expect(f.broadcastMs).toBeCloseTo(25 + (10_000 / 3 / 15_000) * 1000, 9); // one hop, then 3,333 frames at 15,000/s
    // $0.30 + 1 ms × $0.02 (Worker) + $0.15 (object) per million, plus the pushes' share of 3 objects awake 99.7%.
    const lambda = 1000 / 3 + 10_000 / 1800 / 3 + 1 / 60;
    const duration = (3 * (lambda / (1 + lambda)) * 0.128 * 12.5) * ((1000 / 3) / lambda) / 1000;
    expect(f.costPerMillionPushes).toBeCloseTo(0.32 + 0.15 + duration, 9);
    expect(f.costPerMillionPushes).toBeCloseTo(0.4748, 4);
    expect([f.workerInvocationsPerPush, f.objectRequestsPerPush, f.workerInvocationsPerBroadcast, f.objectRequestsPerBroadcast]).toEqual([1, 1, 1, 3]);
  });

  it('lets the sockets set the count when pushes are few', () => {
    const f = modelEdge(load(1_000_000, 1000), p);
    expect([f.shards, f.bound, f.socketsPerShard]).toEqual([50, 'sockets', 20_000]);
  });

  it('lets the frames sent set the count when each push goes to many tabs', () => {
    const f = modelEdge(load(0, 200, { socketsPerPush: 100, broadcastsPerMin: 0 }), p);
    expect([f.shards, f.bound]).toEqual([3, 'sends']); // 20,000 frames/s over 7,500 per object
  });

  it('charges nothing but the requests of an idle deployment', () => {
    const f = modelEdge(load(0, 0, { broadcastsPerMin: 0, shards: 2 }), p);
    expect([f.shards, f.bound, f.awakeShare, f.costPerMonth]).toEqual([2, 'given', 0, 0]);
    expect(f.costPerMillionPushes).toBeCloseTo(0.47, 12);
    expect(f.costPerBroadcast).toBeCloseTo((0.32 + 2 * 0.15) / 1e6, 15);
    expect(f.costPerMillionConnectionMinutes).toBeCloseTo((0.32 + 0.15) / 30, 12);
  });

  it('sends a batch to each shard once, and a broadcast past 10,000 shards in a tree', () => {
    const batched = modelEdge(load(10_000, 1000, { batch: 1000, shards: 4 }), p);
    expect(batched.workerInvocationsPerPush).toBe(0.001);
    expect(batched.objectRequestsPerPush).toBeCloseTo(0.004, 9);
    const wide = modelEdge(load(1_000_000, 0, { shards: 20_000 }), p);
    expect(wide.broadcastLevels).toBe(2);
    expect(wide.broadcastMs).toBeCloseTo(2 * 25 + (50 / 15_000) * 1000, 9);
  });

  it('picks the fewest shards that fit, and more load never needs fewer', () => {
    const arbitraryLoad = fc.record({
      clients: fc.integer({ min: 0, max: 20_000_000 }), pushesPerSec: fc.integer({ min: 0, max: 600_000 }),
      broadcastsPerMin: fc.integer({ min: 0, max: 60 }), batch: fc.integer({ min: 1, max: 1000 }),
      socketsPerPush: fc.integer({ min: 1, max: 32 }), sessionMinutes: fc.integer({ min: 1, max: 1440 }),
    });
    fc.assert(fc.property(arbitraryLoad, fc.integer({ min: 1, max: 1000 }), (l, extra) => {
      const { shards } = shardsNeeded(l, p);
      const f = modelEdge(l, p);
      expect(f.objectRequestsPerSecPerShard).toBeLessThanOrEqual(p.objectRequestsPerSec * p.headroom + 1e-9);
      expect(f.socketsPerShard).toBeLessThanOrEqual(p.socketsPerObject);
      expect(limitBrokenAt(l, shards, p)).toBeUndefined();
      if (shards > 1) expect(limitBrokenAt(l, shards - 1, p)).toBeDefined();
      expect(shardsNeeded({ ...l, clients: l.clients + extra }, p).shards).toBeGreaterThanOrEqual(shards);
      expect(shardsNeeded({ ...l, pushesPerSec: l.pushesPerSec + extra }, p).shards).toBeGreaterThanOrEqual(shards);
      expect(f.awakeShare).toBeGreaterThanOrEqual(0);
      expect(f.awakeShare).toBeLessThanOrEqual(1);
    }), { numRuns: 200 });
  });

  it('shares out every dollar: the month is the pushes, the broadcasts and the connections', () => {
    const l = load(1_000_000, 50_000);
    const f = modelEdge(l, p);
    const month = 30 * 24 * 3600;
    const requests = (l.pushesPerSec * 0.47 + (1 / 60) * (0.32 + f.shards * 0.15) + (1_000_000 / 1800) * 0.47) / 1e6;
    const duration = f.shards * f.awakeShare * 0.128 * 12.5 / 1e6;
    expect(f.costPerMonth).toBeCloseTo(month * (requests + duration), 6);
  });

  it('refuses a load it cannot describe, saying which part', () => {
    expect(() => checkLoad(load(-1, 0))).toThrow(new ModelError('clients must be a number ≥ 0, got -1'));
    expect(() => checkLoad(load(0, Number.NaN))).toThrow(/pushes per second must be a number/);
    expect(() => checkLoad(load(0, 0, { batch: 0 }))).toThrow(/batch must be a number ≥ 1/);
    expect(() => checkLoad(load(0, 0, { batch: 1.5 }))).toThrow(/batch must be a whole number/);
    expect(() => modelEdge(load(0, 0, { shards: 0 }), p)).toThrow(/shards must be a whole number from 1/);
    expect(() => modelEdge(load(1e12, 0), p)).toThrow(/more than 1000000 shards/);
  });
});
