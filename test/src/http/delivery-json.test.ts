import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchJson, deliveryJson } from '../../../src/http/delivery-json.ts';
import { QUEUED, refusal, type PushAnswer } from '../../../src/hub/push-answer.ts';
import type { PushParse } from '../../../src/wire/push-message.ts';

// The answers as objects, serialised by JSON.stringify: the reply the text must match byte for byte.
function deliveryObject(answer: PushAnswer): object {
  if (typeof answer !== 'number') return { ok: false, error: answer.refused };
  return answer === QUEUED ? { ok: true, delivered: 0, queued: true } : { ok: answer > 0, delivered: answer };
}

function batchObject(parsed: PushParse[], answers: PushAnswer[]): object {
  let next = 0;
  let total = 0;
  const results = parsed.map((p) => {
    if (!p.ok) return { ok: false, error: p.error };
    const answer = answers[next++] ?? 0;
    if (typeof answer === 'number' && answer > 0) total += answer;
    return deliveryObject(answer);
  });
  return { results, delivered: total };
}

// Reasons with quotes, backslashes, control characters, non-ASCII and lone surrogates, as JSON must escape them.
const reasons = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('say "no"\\', 'tab\there\nline', '\ud800 alone'));
const answers = fc.oneof(fc.nat({ max: 40 }), fc.constant(QUEUED), reasons.map(refusal), fc.integer({ min: 0, max: 2 ** 31 }));
const lines = fc.oneof(
  fc.record({ ok: fc.constant(true as const), uid: fc.string(), message: fc.string() }),
  fc.record({ ok: fc.constant(false as const), error: reasons }),
);

describe('the push answers as JSON text', () => {
  it('writes one answer exactly as JSON.stringify writes its object', () => {
    fc.assert(fc.property(answers, (answer) => {
      expect(deliveryJson(answer)).toBe(JSON.stringify(deliveryObject(answer)));
    }), { numRuns: 2000 });
  });

  it('writes a batch answer byte for byte as the objects serialise, bad lines and missing answers included', () => {
    fc.assert(fc.property(fc.array(lines, { maxLength: 30 }), fc.array(answers, { maxLength: 30 }), (parsed, given) => {
      expect(batchJson(parsed, given)).toBe(JSON.stringify(batchObject(parsed, given)));
    }), { numRuns: 2000 });
  });

  it('answers an empty list with no results', () => {
    expect(batchJson([], [])).toBe('{"results":[],"delivered":0}');
  });
});
