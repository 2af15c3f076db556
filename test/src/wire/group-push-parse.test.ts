import { describe, expect, it } from 'vitest';
import { parseBatch, parsePush } from '../../../src/index.ts';

describe('parsePush: group pushes', () => {
  it('reads a line with no uid and a string group as a group push, keeping the exact text', () => {
    const text = '{"group":"room 1","except":"alice","ttl":30,"id":"m-1","text":"hi"}';
    expect(parsePush(text, 64)).toEqual({ ok: true, group: 'room 1', except: 'alice', ttl: 30, id: 'm-1', message: text });
    expect(parsePush('{"group":"g","except":7}', 64)).toMatchObject({ ok: true, group: 'g', except: '7' });
  });

  it('keeps a line with a uid a uid push, its group field the backend\'s own data', () => {
    const text = '{"uid":"bob","group":"room 1"}';
    expect(parsePush(text, 64)).toEqual({ ok: true, uid: 'bob', message: text });
  });

  it.each([
    ['{"group":""}', 'group is empty'],
    [`{"group":"${'g'.repeat(9)}"}`, 'group is longer than 8 bytes'],
    ['{"group":"g","except":""}', 'except: uid is empty'],
    ['{"group":"g","ttl":0}', 'ttl must be a whole number of seconds from 1 to 86400'],
    ['{"group":"g","id":""}', 'id must be a non-empty string of at most 128 bytes'],
    // A group that is not a string leaves the line a uid push with no uid, as before groups.
    ['{"group":5}', 'missing uid'],
  ])('refuses %s: %s', (text, error) => {
    expect(parsePush(text, 8)).toEqual({ ok: false, error });
  });

  it('reads group lines in a batch among uid lines', () => {
    expect(parseBatch('{"uid":"a"}\n{"group":"g"}\n', { maxUidBytes: 8, maxMessageBytes: 64 }).map((p) => p.ok && (p.uid ?? p.group)))
      .toEqual(['a', 'g']);
  });
});
