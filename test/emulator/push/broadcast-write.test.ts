import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { TcpConnection } from '../../../emulator/index.ts';
import { ConnectionSocket } from '../../../emulator/push/connection-socket.ts';
import { Hub } from '../../../src/hub/hub.ts';
import { MemoryRegistry } from '../../../src/hub/registry.ts';
import { defaultLimits } from '../../../src/limits.ts';
import { waitFor } from '../../support/poll.ts';
import { serve, stopServed } from '../helpers/in-process.ts';

afterEach(stopServed);

/** A WebSocket server whose clients identify with their first message, and the hub that holds them. */
function hubServer(setup: (connection: TcpConnection) => void = () => {}) {
  const hub = new Hub<ConnectionSocket>(new MemoryRegistry<ConnectionSocket>(), defaultLimits);
  const connections = new Map<string, TcpConnection>();
  const port = serve('websocket', (worker) => {
    worker.onConnect = (connection) => setup(connection);
    worker.onMessage = (connection: TcpConnection, data: string) => {
      if (hub.receive(ConnectionSocket.of(connection), data) !== undefined) connections.set(data, connection);
    };
    worker.onClose = (connection) => hub.disconnect(ConnectionSocket.of(connection));
  });
  return { hub, connections, port };
}

/** A client identified as `uid`, with every text message it receives. */
async function client(port: number, uid: string, connections: Map<string, TcpConnection>, options: { read?: boolean } = {}) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}`);
  const got: string[] = [];
  ws.on('message', (data: Buffer) => got.push(data.toString()));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.send(uid);
  const connection = await waitFor(() => connections.get(uid), `${uid} to identify`);
  // A reader that stops reading: the kernel's buffers fill, then the server's.
  if (options.read === false) (ws as unknown as { _socket: { pause(): void } })._socket.pause();
  return { ws, got, connection };
}

describe('a broadcast written from the fan-out loop', () => {
  it('leaves at once for a socket that holds nothing this turn, and after the held frames of one that does', async () => {
    const { hub, connections, port } = hubServer();
    const quiet = await client(port, 'quiet', connections);
    const busy = await client(port, 'busy', connections);
    // One turn: a push held for the end of the turn, the broadcast, then another push.
    expect(hub.deliver('busy', 'first')).toBe(1);
    expect(hub.deliverAll('everyone')).toBe(2);
    // The quiet socket's frame is in the kernel already; the busy one's waits behind its held push.
    expect(quiet.connection.getSendBufferQueueSize()).toBe(0);
    expect(busy.connection.getSendBufferQueueSize()).toBeGreaterThan(0);
    expect(hub.deliver('busy', 'last')).toBe(1);
    expect(hub.deliver('quiet', 'after')).toBe(1);
    await waitFor(() => busy.got.length === 3 && quiet.got.length === 2, 'every frame');
    expect(busy.got).toEqual(['first', 'everyone', 'last']);
    expect(quiet.got).toEqual(['everyone', 'after']);
    quiet.ws.terminate();
    busy.ws.terminate();
  });

  it('keeps held frames in order across turns, with broadcasts in between', async () => {
    const { hub, connections, port } = hubServer();
    const tab = await client(port, 'tab', connections);
    const expected: string[] = [];
    for (let turn = 0; turn < 20; turn++) {
      for (const text of turn % 2 ? [`p${turn}`, `b${turn}`] : [`b${turn}`, `p${turn}`]) {
        expected.push(text);
        expect(text.startsWith('b') ? hub.deliverAll(text) : hub.deliver('tab', text)).toBe(1);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    await waitFor(() => tab.got.length === expected.length, 'every frame');
    expect(tab.got).toEqual(expected);
    tab.ws.terminate();
  });

  it('still cuts off a reader that stops reading once its send buffer is full, and reaches the others', async () => {
    const limit = 64 * 1024;
    const { hub, connections, port } = hubServer((connection) => (connection.maxSendBufferSize = limit));
    const slow = await client(port, 'slow', connections, { read: false });
    const fine = await client(port, 'fine', connections);
    const message = 'x'.repeat(16 * 1024);
    const counts: number[] = [];
    // Bounded: the kernel's buffers on both ends hold a few MB at most before the server's limit is reached.
    for (let i = 0; i < 2000 && !slow.connection.socket.destroyed; i++) {
      counts.push(hub.deliverAll(message));
      expect(slow.connection.getSendBufferQueueSize()).toBeLessThanOrEqual(limit);
      if (!slow.connection.socket.destroyed) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(slow.connection.socket.destroyed).toBe(true);
    // The broadcast that found it full did not count it, nor does one in the same turn, before its 'close'.
    expect(counts.at(-1)).toBe(1);
    counts.push(hub.deliverAll(message));
    expect(counts.at(-1)).toBe(1);
    await waitFor(() => fine.got.length === counts.length, 'the reading client to get every broadcast');
    expect(hub.online('slow')).toBe(0);
    slow.ws.terminate();
    fine.ws.terminate();
  });

  it('sends a pushport.v1 client `0 <message>` and the others the message, framed once per kind', async () => {
    const { hub, connections, port } = hubServer();
    const plain = await client(port, 'plain', connections);
    const v1 = await client(port, 'v1', connections);
    ConnectionSocket.of(v1.connection).v1 = true;
    expect(hub.deliverAll('hello')).toBe(2);
    expect(hub.deliverAll('again')).toBe(2);
    await waitFor(() => plain.got.length === 2 && v1.got.length === 2, 'both broadcasts');
    expect(plain.got).toEqual(['hello', 'again']);
    expect(v1.got).toEqual(['0 hello', '0 again']);
    plain.ws.terminate();
    v1.ws.terminate();
  });
});
