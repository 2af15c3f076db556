import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePush, type PushParse } from '../../../src/index.ts';

// Exactly one outcome: ok with the exact text and a uid (or, with no uid, a group), or an error with a reason.
function checkOutcome(text: string, result: PushParse): void {
  if (result.ok) {
    const target = result.uid ?? result.group;
    expect(Object.keys(result).sort()).toEqual(['message', 'ok', result.uid === undefined ? 'group' : 'uid']);
    expect(result.message).toBe(text);
    expect(typeof target).toBe('string');
    expect(target.length).toBeGreaterThan(0);
  } else {
    expect(Object.keys(result).sort()).toEqual(['error', 'ok']);
    expect(typeof result.error).toBe('string');
    expect(result.error.length).toBeGreaterThan(0);
  }
}

const uids = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.jsonValue());

describe('parsePush (property)', () => {
  it('gives exactly one answer for any string, and never throws', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.json()), fc.integer({ min: 1, max: 64 }), (text, maxUidBytes) => {
      checkOutcome(text, parsePush(text, maxUidBytes));
    }), { numRuns: 2000 });
  });

  it('gives exactly one answer for any JSON value, and delivers an object with a fitting uid as sent', () => {
    const values = fc.oneof(fc.jsonValue(), fc.record({ uid: uids }, { requiredKeys: [] }), fc.dictionary(fc.string(), fc.jsonValue()).chain(
      (rest) => uids.map((uid) => ({ ...rest, uid }))));
    fc.assert(fc.property(values, fc.integer({ min: 1, max: 64 }), (value, maxUidBytes) => {
      const text = JSON.stringify(value);
      const result = parsePush(text, maxUidBytes);
      checkOutcome(text, result);
      if (result.ok) expect(result.uid).toBe(String((value as { uid: unknown }).uid));
    }), { numRuns: 2000 });
  });
});
