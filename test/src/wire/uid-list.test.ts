import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseUidList } from '../../../src/index.ts';

describe('parseUidList', () => {
  it('splits on commas before decoding, so a uid may hold a comma, a space or any character', () => {
    expect(parseUidList('?uids=a,b%2Cc,d+e,%E2%9C%93,123', 10, 256)).toEqual({ uids: ['a', 'b,c', 'd e', '✓', '123'] });
    expect(parseUidList('x=1&uids=a&y=2', 10, 256)).toEqual({ uids: ['a'] });
  });

  it('reads back any list of uids encoded with encodeURIComponent', () => {
    fc.assert(fc.property(fc.array(fc.string({ minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 30 }), (uids) => {
      expect(parseUidList(`?uids=${uids.map(encodeURIComponent).join(',')}`, 30, 256)).toEqual({ uids });
    }));
  });

  it.each([
    ['', /missing \?uids=/],
    ['?uids=', /uids is empty/],
    ['?uids=a&uids=b', /more than once/],
    ['?uids=a,,b', /uid 2 of uids: uid is empty/],
    ['?uids=a,%E2%9C', /uid 2 of uids is not valid URL encoding/],
    ['?uids=a,b,c,d', /lists 4 uids; at most 3 \(MAX_BATCH\)/],
    [`?uids=${'x'.repeat(9)}`, /uid 1 of uids: uid is longer than 8 bytes/],
  ])('refuses %j with a reason', (search, error) => {
    const parsed = parseUidList(search, 3, 8);
    expect('error' in parsed && parsed.error).toMatch(error);
  });
});
