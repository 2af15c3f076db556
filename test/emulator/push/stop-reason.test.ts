import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openClient } from '../../support/ws-client.ts';
import { cleanup, trackGroup } from '../helpers/processes.ts';
import { startPushServer, type PushServerProcess } from '../../support/push-server-process.ts';

afterAll(cleanup);

/** An identified client; resolves with the close code and reason the server sends it. */
async function closeOf(server: PushServerProcess, uid: string): Promise<() => Promise<[number, string]>> {
  const c = await openClient(server.wsUrl);
  const closed = c.closed.then(({ code, reason }): [number, string] => [code, reason]);
  c.ws.send(uid);
  const online = async () => ((await (await fetch(`${server.httpUrl}/online/${uid}`, { headers: { authorization: 'Bearer t' } })).json()) as { online: boolean }).online;
  await expect.poll(online).toBe(true);
  return () => closed;
}

describe('what clients are told when the server goes', () => {
  it('stop: "server stopping"', async () => {
    const server = await startPushServer([], { PUSH_TOKEN: 't' });
    const closed = await closeOf(server, 'a');
    expect((await server.command('stop')).code).toBe(0);
    expect(await closed()).toEqual([1001, 'server stopping']);
  }, 30_000);

  it('reload and restart: "server restarting"', async () => {
    const server = await startPushServer([], { PUSH_TOKEN: 't' });
    const reloaded = await closeOf(server, 'b');
    expect((await server.command('reload')).code).toBe(0);
    expect(await reloaded()).toEqual([1001, 'server restarting']);

    const restarted = await closeOf(server, 'c');
    const restart = await server.command('restart', '-d', '--text-port', String(server.textPort));
    expect(restart.code).toBe(0);
    trackGroup(Number(readFileSync(join(server.runDir, `pushport-${server.port}.pid`), 'utf8')));
    expect(await restarted()).toEqual([1001, 'server restarting']);
    await server.stop();
  }, 40_000);
});
