import { describe, expect, it } from 'vitest';
import { latencyBounds, LatencyHistogram } from '../../../src/index.ts';

describe('the latency histogram', () => {
  it('counts a chunk of pushes once, with its count', () => {
    const h = new LatencyHistogram();
    h.observe(0.0004, 100);
    h.observe(0.0004, 0);
    const counts = h.snapshot();
    expect(counts.count).toBe(100);
    expect(counts.buckets[latencyBounds.indexOf(0.0005)]).toBe(100);
    expect(counts.sum).toBeCloseTo(0.04);
  });

  it('hands its counts over once (take) and adds counts from elsewhere', () => {
    const h = new LatencyHistogram();
    h.observe(0.01, 2);
    const taken = h.take();
    expect(taken.count).toBe(2);
    expect(h.snapshot().count).toBe(0);
    h.add(taken);
    h.add({ buckets: [1], sum: 1, count: 1 });
    expect(h.snapshot().count).toBe(2);
  });
});
