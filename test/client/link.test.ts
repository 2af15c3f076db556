import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/poll.ts';
import { useFakeV1Server } from './v1-fixture.ts';

// The link's life over real sockets (Node's global WebSocket against a fake v1 server): pings, a dead link,
// a server without pushport.v1, a policy refusal, and the app closing.
describe('PushportSocket link', () => {
  const fx = useFakeV1Server();
  const start = fx.start;

  it('pings on its interval and keeps an answering link, never handing pong to the app', async () => {
    // A second between pings: a link is given up after two unanswered ones, so a machine stalled for well over
    // a second still keeps it.
    const seen = start({ pingSeconds: 1 });
    // The third ping comes after the client checked for two unanswered ones: the pongs kept the link.
    await waitFor(() => fx.server.connections[0]!.received.length >= 3, 'three pings', 10_000);
    expect(new Set(fx.server.connections[0]!.received)).toEqual(new Set(['ping']));
    expect(fx.server.connections).toHaveLength(1);
    expect(seen.messages).toEqual([]);
    expect(seen.closes).toEqual([]);
  });

  it('finds a link silent for 2 ping intervals dead, closes it and resumes on a new one', async () => {
    fx.server.onConnection = (connection) => {
      if (fx.server.connections.length === 1) connection.socket.send('3 {"uid":"u1"}');
    };
    const seen = start({ pingSeconds: 0.5 });
    await expect.poll(() => seen.messages).toEqual([['{"uid":"u1"}', 3]]);
    fx.server.answerPings = false;
    const second = await waitFor(() => fx.server.connections[1], 'a reconnect after the link went silent');
    expect(second.query.get('since')).toBe('3');
    await expect.poll(() => fx.server.connections[0]!.closedWith).toBe(1000);
    expect(fx.server.connections[0]!.received.filter((text) => text === 'ping').length).toBeGreaterThanOrEqual(2);
    expect(seen.closes[0]).toMatchObject({ code: 1006, willRetry: true });
  });

  it('falls back to plain messages on a server without pushport.v1, and still reconnects', async () => {
    fx.server.acceptV1 = false;
    let plain = 0;
    fx.server.onConnection = (connection) => {
      // The client fails a handshake that did not echo pushport.v1, so only the plain attempts get pushes.
      if (connection.asked !== '') return;
      connection.socket.send('1 looks like a seq');
      connection.socket.send('{"uid":"u1"}');
      if (++plain === 1) connection.socket.close(1001, 'going away');
    };
    const seen = start();
    await expect.poll(() => seen.messages).toHaveLength(4);
    expect(seen.messages).toEqual([['1 looks like a seq', undefined], ['{"uid":"u1"}', undefined], ['1 looks like a seq', undefined], ['{"uid":"u1"}', undefined]]);
    // After a plain connection it asks for v1 again first: the server may have been upgraded.
    expect(fx.server.connections.map((c) => c.asked)).toEqual(['pushport.v1', '', 'pushport.v1', '']);
    expect(fx.server.connections.map((c) => c.protocol)).toEqual(['', '', '', '']);
    expect(fx.client!.lastSeq).toBe(0);
    expect(seen.opens).toBe(2);
  });

  it('stops after a policy close (1008) and tells the app it will not retry', async () => {
    fx.server.onConnection = (connection) => connection.socket.close(1008, 'too many connections for this uid');
    const seen = start();
    await expect.poll(() => seen.closes).toEqual([{ code: 1008, reason: 'too many connections for this uid', willRetry: false, retryInMs: undefined }]);
    expect(fx.client!.state).toBe('closed');
    expect(seen.states).toEqual(['open', 'closed']);
  });

  it('closes for good on close(): the server sees a normal close and the app a final one', async () => {
    const seen = start();
    await expect.poll(() => fx.client!.state).toBe('open');
    fx.client!.close();
    await expect.poll(() => fx.server.connections[0]!.closedWith).toBe(1000);
    expect(fx.client!.state).toBe('closed');
    expect(seen.closes).toEqual([{ code: 1000, reason: 'closed by the app', willRetry: false, retryInMs: undefined }]);
    expect(fx.server.connections).toHaveLength(1);
  });
});
