import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/client/index.ts';

describe('backoffDelay', () => {
  it('doubles its cap per attempt up to the most, and never waits less than the least', () => {
    const highest = [0, 1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, 500, 15_000, () => 1));
    expect(highest).toEqual([1000, 2000, 4000, 8000, 15_000, 15_000]);
    const lowest = [0, 3, 9].map((attempt) => backoffDelay(attempt, 500, 15_000, () => 0));
    expect(lowest).toEqual([500, 500, 500]);
  });

  it('spreads clients over the whole range (full jitter)', () => {
    expect(backoffDelay(2, 500, 15_000, () => 0.5)).toBe(2250);
  });

  it('waits the least when least and most are equal', () => {
    expect(backoffDelay(4, 300, 300, () => 0.9)).toBe(300);
  });
});
