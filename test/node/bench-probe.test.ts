import { describe, expect, it } from 'vitest';
import { broadcastBody, probeField, pushLine } from '../../bench/probe.ts';

describe('the bench probe fields', () => {
  it('reads back the numbers a push line carries, as JSON.parse would', () => {
    const line = pushLine(7, 123_456, 42);
    const parsed = JSON.parse(line) as { uid: string; r: number; seq: number; t: number };
    const bytes = Buffer.from(line);
    expect(parsed.uid).toBe('u42');
    expect(probeField(bytes, 'r')).toBe(7);
    expect(probeField(bytes, 'seq')).toBe(123_456);
    expect(probeField(bytes, 't')).toBeCloseTo(parsed.t, 6);
  });

  it('reads a broadcast body with or without the reference flag, and says -1 for a missing field', () => {
    for (const flag of [true, false]) {
      const body = Buffer.from(broadcastBody(3, 9, flag));
      expect(JSON.parse(body.toString()).broadcast).toBe(flag ? true : undefined);
      expect([probeField(body, 'r'), probeField(body, 'b'), probeField(body, 'seq')]).toEqual([3, 9, -1]);
    }
  });
});
