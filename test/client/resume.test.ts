import { describe, expect, it } from 'vitest';
import { WebSocket as WsWebSocket } from 'ws';
import { waitFor } from '../support/poll.ts';
import { useFakeV1Server } from './v1-fixture.ts';

// Zero loss across reconnects, against a fake v1 server over real sockets: the server's side is scripted per
// connection, and the tests assert what the app was handed, in what order, and what the client asked for.
describe.each([
  ['the global WebSocket', undefined],
  ['the ws package', WsWebSocket],
])('PushportSocket resuming (%s)', (_name, WebSocketClass) => {
  const fx = useFakeV1Server(WebSocketClass);
  const start = fx.start;
  // Scripts the server: the frames it sends on its 1st, 2nd, … connection, then whether it drops that one.
  const script = (...turns: { send: string[]; drop?: boolean }[]) => {
    fx.server.onConnection = (connection) => {
      const turn = turns[fx.server.connections.length - 1];
      for (const frame of turn?.send ?? []) connection.socket.send(frame);
      if (turn?.drop) connection.socket.close(1001, 'going away');
    };
  };

  it('asks for pushport.v1, identifies by uid, and hands over each message with its seq', async () => {
    script({ send: ['1 {"uid":"u1","n":1}', '2 {"uid":"u1","n":2}'] });
    const seen = start();
    await expect.poll(() => seen.messages).toEqual([['{"uid":"u1","n":1}', 1], ['{"uid":"u1","n":2}', 2]]);
    expect(fx.server.last!.protocol).toBe('pushport.v1');
    expect(fx.server.last!.query.get('uid')).toBe('u1');
    expect(fx.server.last!.query.has('since')).toBe(false);
    expect(fx.client!.lastSeq).toBe(2);
    expect(seen.opens).toBe(1);
  });

  it('reconnects with since=<last seq>, keeping the URL query, and drops what the server sends again', async () => {
    script({ send: ['1 a', '1 a', '2 b'], drop: true }, { send: ['2 b', '3 c'] });
    const seen = start({ url: `${fx.server.url}?room=7` });
    await expect.poll(() => seen.messages).toEqual([['a', 1], ['b', 2], ['c', 3]]);
    expect(fx.server.connections.map((c) => [c.query.get('room'), c.query.get('uid'), c.query.get('since')])).toEqual([['7', 'u1', null], ['7', 'u1', '2']]);
    expect(seen.closes).toEqual([expect.objectContaining({ code: 1001, willRetry: true })]);
  });

  it('on a gap, reconnects at once with since and gets the missing pushes in order', async () => {
    script({ send: ['1 a', '2 b', '4 d'] }, { send: ['3 c', '4 d', '5 e'] });
    const seen = start();
    await expect.poll(() => seen.messages).toEqual([['a', 1], ['b', 2], ['c', 3], ['d', 4], ['e', 5]]);
    expect(fx.server.connections[1]!.query.get('since')).toBe('2');
    expect(fx.server.connections[0]!.closedWith).toBe(1000);
    expect(seen.closes).toEqual([expect.objectContaining({ willRetry: true, retryInMs: 0 })]);
    expect(seen.gaps).toEqual([]);
  });

  it('accepts a gap the server can no longer fill, and says so with a gap event', async () => {
    script({ send: ['1 a', '2 b', '4 d'] }, { send: ['4 d', '5 e'] });
    const seen = start();
    await expect.poll(() => seen.messages).toEqual([['a', 1], ['b', 2], ['d', 4], ['e', 5]]);
    expect(seen.gaps).toEqual([{ from: 3, to: 3 }]);
    expect(fx.server.connections[1]!.closedWith).toBeUndefined();
  });

  it('starts from the since it was given (a page reload) and resumes with a token', async () => {
    script({ send: ['9 x', '10 y', '12 z'] });
    const seen = start({ uid: undefined, token: 'signed.client.token', since: 8 });
    await expect.poll(() => seen.messages).toEqual([['x', 9], ['y', 10]]);
    await waitFor(() => fx.server.connections[1], 'the resume after the gap');
    expect(fx.server.connections.map((c) => [c.query.get('token'), c.query.get('since'), c.query.has('uid')])).toEqual([
      ['signed.client.token', '8', false],
      ['signed.client.token', '10', false],
    ]);
  });

  it('delivers a seq-0 frame without tracking it', async () => {
    script({ send: ['0 raced', '1 a', '0 raced again', '2 b'] });
    const seen = start();
    await expect.poll(() => seen.messages).toEqual([['raced', 0], ['a', 1], ['raced again', 0], ['b', 2]]);
    expect(fx.client!.lastSeq).toBe(2);
    expect(fx.server.connections).toHaveLength(1);
  });
});
