import { describe, expect, it } from 'vitest';
import { columnsOf } from '../../worker/push-columns.ts';

describe('pushes as columns for RPC', () => {
  it('takes the pushes at the positions, in that order, with no options column when none has any', () => {
    const pushes = [{ uid: 'a', message: '1' }, { uid: 'b', message: '2' }, { uid: 'c', message: '3' }];
    expect(columnsOf(pushes, [2, 0])).toEqual({ uids: ['c', 'a'], messages: ['3', '1'] });
    expect(columnsOf(pushes, [])).toEqual({ uids: [], messages: [] });
  });

  it('carries ttl and id by position, and nothing else a parsed push holds', () => {
    const pushes = [
      { ok: true, uid: 'a', message: '1' }, { ok: true, uid: 'b', message: '2', ttl: 60 },
      { ok: true, uid: 'c', message: '3', id: 'x' }, { ok: true, uid: 'd', message: '4', ttl: 5, id: 'y' },
    ];
    expect(columnsOf(pushes, [0, 1, 2, 3])).toEqual({
      uids: ['a', 'b', 'c', 'd'], messages: ['1', '2', '3', '4'], options: [null, { ttl: 60 }, { id: 'x' }, { ttl: 5, id: 'y' }],
    });
  });
});
