import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, cli, freePort, listenSockets, runDir } from '../helpers/processes.ts';
import { BIN, startPushServer } from '../../support/push-server-process.ts';
import { LineClient } from '../../support/line-client.ts';
import { PROCESS_START_MS, waitFor } from '../../support/poll.ts';

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

  it('does not start a lost process again while an unrelated SO_REUSEPORT server holds its port, and does once it is gone', async () => {
    const server = await startPushServer([], { PUSH_TOKEN: 't' });
    const status = JSON.parse((await server.command('status', '--json')).output) as { processes: Array<{ pid: number }> };
    // The kernel lets another program of the same user join a reusePort group; it cannot be stopped from doing so,
    // but pushport must never join that program's listeners once its own are gone.
    const other = await reusingListener(server.textPort);
    try {
      process.kill(status.processes[0]!.pid, 'SIGKILL');
      const log = () => readFileSync(join(server.runDir, `pushport-${server.port}.log`), 'utf8');
      await waitFor(() => log().includes(`not started again: port ${server.textPort} on 127.0.0.1 is already in use`), 'the refusal in the log', PROCESS_START_MS);
      expect(listenSockets(server.port)).toBe(0);
      expect(listenSockets(server.textPort)).toBe(1);
    } finally {
      other.close();
    }
    await waitFor(() => LineClient.request(server.textPort, '{"uid":"nobody"}').catch(() => ''), 'a new process to serve', PROCESS_START_MS);
    expect(await LineClient.request(server.textPort, '{"uid":"nobody"}')).toBe('fail');
    await server.stop();
  }, 60_000);
});
