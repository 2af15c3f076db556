import { describe, expect, it } from 'vitest';
import { formatV1Frame, offersV1, parseV1Frame } from '../../../src/wire/v1-frame.ts';

describe('parseV1Frame', () => {
  it('splits `<seq> <message>` at the first space and keeps the message exactly', () => {
    expect(parseV1Frame('7 {"uid":"u1","text":"a b"}')).toEqual({ seq: 7, message: '{"uid":"u1","text":"a b"}' });
    expect(parseV1Frame('12  two spaces ')).toEqual({ seq: 12, message: ' two spaces ' });
    expect(parseV1Frame('3 ')).toEqual({ seq: 3, message: '' });
  });

  it('reads seq 0 (a push that was not stored)', () => {
    expect(parseV1Frame('0 {"uid":"u1"}')).toEqual({ seq: 0, message: '{"uid":"u1"}' });
  });

  it('finds no frame in text without a decimal seq prefix', () => {
    for (const text of ['pong', '{"uid":"u1"}', ' 1 x', '1x y', '-1 x', '01 x', '1', '12345678901234567 x']) {
      expect(parseV1Frame(text), text).toBeUndefined();
    }
  });
});

describe('formatV1Frame and offersV1', () => {
  it('writes what parseV1Frame reads, and finds pushport.v1 among offered subprotocols only when named exactly', () => {
    expect(parseV1Frame(formatV1Frame(42, '{"uid":"a"} x'))).toEqual({ seq: 42, message: '{"uid":"a"} x' });
    expect(offersV1('chat, pushport.v1')).toBe(true);
    expect(offersV1('pushport.v2')).toBe(false);
    expect(offersV1(undefined)).toBe(false);
  });
});
