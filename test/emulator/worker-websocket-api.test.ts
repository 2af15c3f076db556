import { afterEach, describe, expect, it } from 'vitest';
import { Worker, type HttpRequest, type TcpConnection } from '../../emulator/index.ts';
import { openClient } from '../support/ws-client.ts';
import { LineClient } from '../support/line-client.ts';
import { serve, stopServed } from './helpers/in-process.ts';

afterEach(stopServed);

// The documented API of a worker in this process (README, "The emulator"), over real sockets.
describe('a websocket:// worker', () => {
  it('calls onWebSocketConnect after the handshake with the request, and closeWithCode closes with that code and reason', async () => {
    const seen: { path: string; query: string | null; agent: string | undefined; ip: string }[] = [];
    const port = serve('websocket', (worker) => {
      worker.onWebSocketConnect = (connection: TcpConnection, request: HttpRequest) => {
        seen.push({ path: request.path, query: request.query.get('room'), agent: request.headers['x-test'] as string | undefined, ip: connection.getRemoteIp() });
        connection.send('welcome');
      };
      worker.onMessage = (connection: TcpConnection, data: string) => {
        if (data === 'close me') connection.closeWithCode(4001, 'asked to');
      };
    });
    const c = await openClient(`ws://127.0.0.1:${port}/chat?room=7`, undefined, { headers: { 'x-test': 'yes' } });
    await expect.poll(() => c.messages).toEqual(['welcome']);
    expect(seen).toEqual([{ path: '/chat', query: '7', agent: 'yes', ip: '127.0.0.1' }]);
    c.ws.send('close me');
    expect(await c.closed).toEqual({ code: 4001, reason: 'asked to' });
  });
});

describe('Worker.stopAll() outside runAll', () => {
  it('closes every listener and connection of this process', async () => {
    const port = serve('text', (worker) => (worker.onMessage = (connection: TcpConnection, line: string) => connection.send(`got ${line}`)));
    const client = await LineClient.open(port);
    client.write('a\n');
    await client.waitForText('got a\n');
    Worker.stopAll();
    await client.closed;
    await expect(LineClient.open(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
