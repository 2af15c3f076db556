import { afterEach, describe, expect, it } from 'vitest';
import { openClient } from '../support/ws-client.ts';
import type { TcpConnection } from '../../emulator/index.ts';
import { LineClient } from '../support/line-client.ts';
import { serve, served, stopServed } from './helpers/in-process.ts';

afterEach(() => stopServed());

const only = (): TcpConnection => [...served()[0]!.connections.values()][0]!;

// `pushport connections` shows these counters as bytes-r and bytes-w.
describe('connection byte counters', () => {
  it('count what a text connection read and wrote', async () => {
    const port = serve('text', (worker) => {
      worker.onMessage = (connection: TcpConnection, line: string) => connection.send(`echo ${line}`);
    });
    const client = await LineClient.open(port);
    client.socket.write('uid1\n');
    await client.waitForText('echo uid1\n');
    expect(only().bytesRead).toBe(5);
    expect(only().bytesWritten).toBe(10);
    client.socket.destroy();
  });

  it('count what a WebSocket connection wrote, frames included', async () => {
    const port = serve('websocket', (worker) => {
      worker.onMessage = (connection: TcpConnection, data: string) => connection.send(`echo ${data}`);
    });
    const { ws, messages } = await openClient(`ws://127.0.0.1:${port}`);
    ws.send('uid1');
    await expect.poll(() => messages).toEqual(['echo uid1']);
    // The 101 response, then one text frame: 2 header bytes + 9 payload bytes.
    expect(only().bytesWritten).toBeGreaterThan(11);
    expect(only().bytesRead).toBeGreaterThan(0);
    ws.terminate();
  });
});
