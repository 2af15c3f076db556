import { afterEach, describe, expect, it } from 'vitest';
import { openClient } from '../support/ws-client.ts';
import { httpGet } from './helpers/http-get.ts';
import { LineClient } from '../support/line-client.ts';
import { PROCESS_START_MS, waitFor } from '../support/poll.ts';
import { alive, cleanup, cli, freePort, launch, listenSockets, masterPid, runDir, trackGroup } from './helpers/processes.ts';

afterEach(cleanup);

describe('the reference programs, run as real processes', () => {
  it('without reusePort: the inner listen() fails with "Address already in use" in all but one process', async () => {
    const dir = runDir();
    const httpPort = await freePort();
    const env = { PUSHPORT_RUN_DIR: dir, HOST: '127.0.0.1', HTTP_PORT: String(httpPort) };
    const app = launch('examples/listen-without-reuse-port.ts', ['start'], env);
    await waitFor(() => app.output().includes('Address already in use'), 'the bind error', PROCESS_START_MS);
    const reply = await waitFor(() => httpGet(httpPort).catch(() => null), 'the one listener', PROCESS_START_MS);
    expect(reply.body).toMatch(/^hello from \d+\n$/);
    expect(listenSockets(httpPort)).toBe(1);
    expect((await cli('examples/listen-without-reuse-port.ts', ['stop'], env)).code).toBe(0);
  });

  it('with reusePort: four processes listen on one port and the kernel spreads clients over them', async () => {
    const dir = runDir();
    const [httpPort, textPort] = [await freePort(), await freePort()];
    const env = { PUSHPORT_RUN_DIR: dir, HOST: '127.0.0.1', HTTP_PORT: String(httpPort), TEXT_PORT: String(textPort) };
    const app = launch('examples/listen-with-reuse-port.ts', ['start'], env);
    await waitFor(() => listenSockets(httpPort) === 4, 'four listeners', PROCESS_START_MS);
    expect(app.output()).not.toContain('Address already in use');
    const pids = new Set<string>();
    for (let i = 0; i < 200 && pids.size < 2; i++) pids.add((await httpGet(httpPort)).body);
    expect(pids.size).toBeGreaterThan(1);
    // The outer text worker shares one inherited socket (bound once by the master).
    expect(await LineClient.request(textPort, 'hi')).toMatch(/^hello from \d+$/);
    expect((await cli('examples/listen-with-reuse-port.ts', ['stop'], env)).code).toBe(0);
  });

  it('push.ts (start -d): a text-port line reaches the uid\'s WebSocket; replies ok / fail', async () => {
    const dir = runDir();
    const [wsPort, textPort] = [await freePort(), await freePort()];
    const env = { PUSHPORT_RUN_DIR: dir, HOST: '127.0.0.1', WS_PORT: String(wsPort), TEXT_PORT: String(textPort) };
    const started = await cli('examples/push.ts', ['start', '-d'], env);
    expect(started.code, started.output).toBe(0);
    const master = masterPid(dir, 'push.ts');
    trackGroup(master);
    const { ws, messages } = await openClient(`ws://127.0.0.1:${wsPort}`);
    try {
      ws.send('uid1');
      const line = JSON.stringify({ uid: 'uid1', percent: '88%' });
      // The uid message and the push race on two sockets: retry (bounded) until the uid is registered.
      const reply = await waitFor(async () => ((await LineClient.request(textPort, line)) === 'ok' ? 'ok' : ''), 'ok');
      expect(reply).toBe('ok');
      await expect.poll(() => messages).toEqual([line]);
      expect(await LineClient.request(textPort, JSON.stringify({ uid: 'nobody' }))).toBe('fail');
      expect(await LineClient.request(textPort, 'not json')).toBe('fail');
    } finally {
      ws.terminate();
    }
    const status = await cli('examples/push.ts', ['status'], env);
    expect(status.output).toContain(`text://127.0.0.1:${textPort}`);
    expect((await cli('examples/push.ts', ['stop'], env)).code).toBe(0);
    expect(alive(master)).toBe(false);
  });
});
