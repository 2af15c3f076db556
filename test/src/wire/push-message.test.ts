import { describe, expect, it } from 'vitest';
import { byteLength, checkUid, parseBatch, parsePush, splitLines } from '../../../src/index.ts';

describe('parsePush', () => {
  it('keeps the exact text as the message', () => {
    const text = '{ "uid" : "u1", "percent":"88%" }';
    expect(parsePush(text, 64)).toEqual({ ok: true, uid: 'u1', message: text });
  });

  it.each([
    ['{"uid":42}', '42'],
    ['{"uid":-7}', '-7'],
    ['{"uid":"ü"}', 'ü'],
  ])('reads the uid of %s as %j', (text, uid) => {
    expect(parsePush(text, 64)).toMatchObject({ ok: true, uid });
  });

  it.each([
    ['', 'empty push'],
    ['{', 'invalid JSON'],
    ['null', 'push must be a JSON object with a uid'],
    ['[{"uid":"a"}]', 'push must be a JSON object with a uid'],
    ['{}', 'missing uid'],
    ['{"uid":null}', 'uid must be a string or an integer'],
    ['{"uid":{"a":1}}', 'uid must be a string or an integer'],
    ['{"uid":12345678901234567890}', 'uid must be a string or a safe integer'],
    ['{"uid":""}', 'uid is empty'],
  ])('refuses %j with %j', (text, error) => {
    expect(parsePush(text, 64)).toEqual({ ok: false, error });
  });

  it('counts the uid limit in UTF-8 bytes', () => {
    expect(byteLength('é')).toBe(2);
    expect(checkUid('éé', 4)).toEqual({ uid: 'éé' });
    expect(checkUid('ééé', 4)).toEqual({ error: 'uid is longer than 4 bytes' });
  });
});

describe('batches', () => {
  it('splits on \\n, drops \\r before it and an optional final newline', () => {
    expect(splitLines('a\r\nb\n\nc')).toEqual(['a', 'b', '', 'c']);
    expect(splitLines('a\n')).toEqual(['a']);
    expect(splitLines('')).toEqual([]);
  });

  it('answers every line, a too-large one included, and skips blank lines', () => {
    const limits = { maxUidBytes: 8, maxMessageBytes: 20 };
    expect(parseBatch('{"uid":"a"}\n\n \r\n{"uid":"a","pad":"xxxxxxxx"}\nnope\n\n', limits)).toEqual([
      { ok: true, uid: 'a', message: '{"uid":"a"}' },
      { ok: false, error: 'push is larger than 20 bytes' },
      { ok: false, error: 'invalid JSON' },
    ]);
  });
});
