import { connect, createServer, Socket, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { TcpConnection } from '../../emulator/index.ts';
import { listenCompactly } from '../../emulator/socket-events.ts';
import { waitFor } from '../support/poll.ts';
import { serve, stopServed } from './helpers/in-process.ts';

const servers: Server[] = [];
const opened: { destroy(): void }[] = [];

afterEach(() => {
  for (const socket of opened.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) server.close();
  stopServed();
});

/** Names in a socket's table of listeners (node:events' own field) that hold no listener: each a slot paid per connection. */
function deadNames(socket: Socket): (string | symbol)[] {
  const table = (socket as Socket & { _events: Record<string | symbol, unknown> })._events;
  return Reflect.ownKeys(table).filter((name) => table[name] === undefined);
}

/** A plain TCP server and one client of it; resolves with the server's side of the connection. */
async function acceptedSocket(): Promise<{ socket: Socket; client: Socket }> {
  let accepted: (socket: Socket) => void = () => {};
  const got = new Promise<Socket>((resolve) => (accepted = resolve));
  const server = createServer((socket) => accepted(socket)).listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  const client = connect((server.address() as { port: number }).port, '127.0.0.1');
  opened.push(client);
  const socket = await got;
  opened.push(socket);
  return { socket, client };
}

describe('a connection listening on its socket through a table made anew', () => {
  it('keeps listeners added before it (theirs first), drops dead names, and streams data to both', async () => {
    const { socket, client } = await acceptedSocket();
    const calls: string[] = [];
    socket.on('data', (chunk: Buffer) => calls.push(`theirs ${chunk.toString()}`));
    const gone = () => {};
    socket.on('timeout', gone);
    socket.off('timeout', gone);
    const closed: string[] = [];
    listenCompactly(socket, {
      data: (chunk: Buffer) => calls.push(`ours ${chunk.toString()}`),
      error: () => {},
      close: () => closed.push('ours'),
      drain: () => {},
    });
    expect(deadNames(socket)).toEqual([]);
    expect(socket.listenerCount('data')).toBe(2);
    client.write('x');
    await waitFor(() => calls.length === 2, 'both data listeners');
    expect(calls).toEqual(['theirs x', 'ours x']);
    // The emitter still works on the new table: a listener added later and one removed.
    socket.once('close', () => closed.push('later'));
    client.destroy();
    await waitFor(() => closed.length === 2, 'close listeners');
    expect(closed).toEqual(['ours', 'later']);
  });

  it('leaves an upgraded WebSocket with only live listener names and the shared on()', async () => {
    let held: TcpConnection | undefined;
    const port = serve('websocket', (worker) => {
      worker.onWebSocketConnect = (connection: TcpConnection) => (held = connection);
    });
    const ws = new WebSocket(`ws://127.0.0.1:${port}`);
    opened.push({ destroy: () => ws.terminate() });
    await waitFor(() => held !== undefined, 'the WebSocket connection');
    const socket = held!.socket;
    expect(deadNames(socket)).toEqual([]);
    expect(socket.on).toBe(Socket.prototype.on);
    const echoed = new Promise<string>((resolve) => ws.once('message', (data) => resolve(String(data))));
    held!.send('hello');
    expect(await echoed).toBe('hello');
  });
});
