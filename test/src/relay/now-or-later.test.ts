import { describe, expect, it } from 'vitest';
import { nowOrLater } from '../../../src/relay/now-or-later.ts';

describe('nowOrLater', () => {
  it('answers a count reported at once without a promise, and a later one with a promise', async () => {
    expect(nowOrLater((done) => done(3))).toBe(3);
    expect(nowOrLater((done) => done(0))).toBe(0);
    const later = nowOrLater((done) => setTimeout(() => done(2), 0));
    expect(later).toBeInstanceOf(Promise);
    expect(await later).toBe(2);
  });
});
