import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, cli, freePort, listenSockets, runDir } from '../helpers/processes.ts';
import { BIN, startPushServer } from '../../support/push-server-process.ts';

afterAll(cleanup);

// An unrelated program that binds with SO_REUSEPORT: the kernel would let any reusePort socket of ours join it.
async function reusingListener(port: number): Promise<Server> {
  const server = createServer((socket) => socket.end('not pushport\n'));
  await new Promise<void>((done) => server.listen({ host: '127.0.0.1', port, reusePort: true }, done));
  return server;
}

const taken = (port: number) => `pushport: port ${port} on 127.0.0.1 is already in use: is another server (or another pushport) running there?\n`;

describe('every command that binds checks its ports first', () => {
  it('restart refuses a text port an unrelated SO_REUSEPORT server holds, and binds nothing', async () => {
    const [port, textPort] = [await freePort(), await freePort()];
    const other = await reusingListener(textPort);
    try {
      const result = await cli(BIN, ['restart', '-d', '--port', String(port), '--text-port', String(textPort)], { PUSHPORT_RUN_DIR: runDir() });
      expect(result).toEqual({ code: 1, output: taken(textPort) });
      expect(listenSockets(textPort)).toBe(1);
      expect(listenSockets(port)).toBe(0);
    } finally {
      other.close();
    }
  });

  it('restart of a running server refuses a new text port that another pushport holds', async () => {
    const first = await startPushServer([], { PUSH_TOKEN: 't' });
    const second = await startPushServer([], { PUSH_TOKEN: 't' });
    // The case: a second server restarted onto the first one's text port.
    const result = await second.command('restart', '-d', '--text-port', String(first.textPort));
    expect(result.code).toBe(1);
    expect(result.output).toContain(taken(first.textPort));
    expect(listenSockets(first.textPort)).toBe(1);
    await first.stop();
  }, 60_000);

  it('start refuses a WebSocket port an unrelated SO_REUSEPORT server holds', async () => {
    const [port, textPort] = [await freePort(), await freePort()];
    const other = await reusingListener(port);
    try {
      const result = await cli(BIN, ['start', '-d', '--port', String(port), '--text-port', String(textPort)], { PUSHPORT_RUN_DIR: runDir() });
      expect(result).toEqual({ code: 1, output: taken(port) });
      expect(listenSockets(port)).toBe(1);
    } finally {
      other.close();
    }
  });
});
