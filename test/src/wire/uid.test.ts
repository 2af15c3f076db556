import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteLength } from '../../../src/wire/uid.ts';

const encoded = (text: string) => new TextEncoder().encode(text).byteLength;
// Any UTF-16 units, so lone high and low surrogates, pairs in either order and pairs cut at the end all occur.
const units = fc.array(fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0xd7f0, max: 0xe010 })), { maxLength: 64 })
  .map((codes) => String.fromCharCode(...codes));

describe('byteLength', () => {
  it('counts what TextEncoder writes, for any string', () => {
    fc.assert(fc.property(fc.oneof(units, fc.string({ unit: 'binary' }), fc.string()), (text) => {
      expect(byteLength(text)).toBe(encoded(text));
    }), { numRuns: 5000 });
  });

  it('counts a lone surrogate as the 3 bytes of U+FFFD, and a pair as one 4-byte code point', () => {
    for (const text of ['', 'a', 'é', '€', '😀', '\ud83d', '\ude00', '\ude00\ud83d', 'x\ud83d', '\ud83d\ud83d\ude00', 'a\u07ff\u0800\uffff']) {
      expect(byteLength(text), JSON.stringify(text)).toBe(encoded(text));
    }
  });
});
