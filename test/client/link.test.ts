import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PushportSocket, type PushportSocketOptions } from '../../src/client/index.ts';
import { waitFor } from '../support/poll.ts';
import { FakeV1Server } from './fake-v1-server.ts';
import { record } from './socket-recorder.ts';

// The link's life over real sockets (Node's global WebSocket against a fake v1 server): pings, a dead link,
// a server without pushport.v1, a policy refusal, and the app closing.
describe('PushportSocket link', () => {
  let server: FakeV1Server;
  let client: PushportSocket | undefined;
  const start = (options: Partial<PushportSocketOptions> = {}) => {
    client = new PushportSocket({ url: server.url, uid: 'u1', minDelayMs: 10, maxDelayMs: 50, ...options });
    return record(client);
  };

  beforeEach(async () => {
    server = await FakeV1Server.start();
  });
  afterEach(async () => {
    client?.close();
    await server.stop();
  });

  it('pings on its interval and keeps an answering link, never handing pong to the app', async () => {
    const seen = start({ pingSeconds: 0.3 });
    // The third ping comes after the client checked for two unanswered ones: the pongs kept the link.
    await waitFor(() => server.connections[0]!.received.length >= 3, 'three pings');
    expect(new Set(server.connections[0]!.received)).toEqual(new Set(['ping']));
    expect(server.connections).toHaveLength(1);
    expect(seen.messages).toEqual([]);
    expect(seen.closes).toEqual([]);
  });

  it('finds a link silent for 2 ping intervals dead, closes it and resumes on a new one', async () => {
    server.onConnection = (connection) => {
      if (server.connections.length === 1) connection.socket.send('3 {"uid":"u1"}');
    };
    const seen = start({ pingSeconds: 0.2 });
    await expect.poll(() => seen.messages).toEqual([['{"uid":"u1"}', 3]]);
    server.answerPings = false;
    const second = await waitFor(() => server.connections[1], 'a reconnect after the link went silent');
    expect(second.query.get('since')).toBe('3');
    await expect.poll(() => server.connections[0]!.closedWith).toBe(1000);
    expect(server.connections[0]!.received.filter((text) => text === 'ping').length).toBeGreaterThanOrEqual(2);
    expect(seen.closes[0]).toMatchObject({ code: 1006, willRetry: true });
  });

  it('falls back to plain messages on a server without pushport.v1, and still reconnects', async () => {
    server.acceptV1 = false;
    let plain = 0;
    server.onConnection = (connection) => {
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
    expect(server.connections.map((c) => c.asked)).toEqual(['pushport.v1', '', 'pushport.v1', '']);
    expect(server.connections.map((c) => c.protocol)).toEqual(['', '', '', '']);
    expect(client!.lastSeq).toBe(0);
    expect(seen.opens).toBe(2);
  });

  it('stops after a policy close (1008) and tells the app it will not retry', async () => {
    server.onConnection = (connection) => connection.socket.close(1008, 'too many connections for this uid');
    const seen = start();
    await expect.poll(() => seen.closes).toEqual([{ code: 1008, reason: 'too many connections for this uid', willRetry: false, retryInMs: undefined }]);
    expect(client!.state).toBe('closed');
    expect(seen.states).toEqual(['open', 'closed']);
  });

  it('closes for good on close(): the server sees a normal close and the app a final one', async () => {
    const seen = start();
    await expect.poll(() => client!.state).toBe('open');
    client!.close();
    await expect.poll(() => server.connections[0]!.closedWith).toBe(1000);
    expect(client!.state).toBe('closed');
    expect(seen.closes).toEqual([{ code: 1000, reason: 'closed by the app', willRetry: false, retryInMs: undefined }]);
    expect(server.connections).toHaveLength(1);
  });
});
