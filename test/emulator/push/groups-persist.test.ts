import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openClient } from '../../support/ws-client.ts';
import { cleanup, trackGroup } from '../helpers/processes.ts';
import { startPushServer, type PushServerProcess } from '../../support/push-server-process.ts';

afterAll(cleanup);

const headers = { authorization: 'Bearer t' };
const api = async (server: PushServerProcess, method: string, path: string, body?: string) =>
  (await fetch(`${server.httpUrl}${path}`, { method, headers, body })).json() as Promise<Record<string, unknown>>;

/** Connects a uid, pushes to the group, and answers what the push said and what the client got. */
async function pushReaches(server: PushServerProcess, uid: string, group: string, n: number) {
  const c = await openClient(server.wsUrl);
  c.ws.send(uid);
  await expect.poll(async () => (await api(server, 'GET', `/online/${uid}`)).online).toBe(true);
  const body = JSON.stringify({ group, n });
  const answer = await api(server, 'POST', '/push', body);
  await expect.poll(() => c.messages).toEqual([body]);
  c.ws.close();
  return answer;
}

describe('group membership is stored (count 2)', () => {
  it('survives a reload and a restart of the server on the same store', async () => {
    const server = await startPushServer(['--count', '2'], { PUSH_TOKEN: 't' });
    try {
      expect(await api(server, 'POST', '/groups/keep/members', JSON.stringify({ uids: ['k1', 'k2'] }))).toEqual({ group: 'keep', joined: 2 });
      const before = await server.children();
      expect((await server.command('reload')).code).toBe(0);
      await expect.poll(async () => (await server.children()).filter((pid) => !before.includes(pid)).length, { timeout: 15_000 }).toBe(2);
      expect(await pushReaches(server, 'k1', 'keep', 1)).toEqual({ ok: true, delivered: 1 });

      const restart = await server.command('restart', '-d', '--count', '2', '--text-port', String(server.textPort));
      expect(restart.code).toBe(0);
      trackGroup(Number(readFileSync(join(server.runDir, `pushport-${server.port}.pid`), 'utf8')));
      expect(await pushReaches(server, 'k2', 'keep', 2)).toEqual({ ok: true, delivered: 1 });
      await expect.poll(() => api(server, 'GET', '/groups/keep')).toEqual({ group: 'keep', members: 2, online: 0, connections: 0 });
      expect(await api(server, 'GET', '/groups?uid=k1')).toEqual({ uid: 'k1', groups: ['keep'] });
    } finally {
      await server.stop();
    }
  }, 60_000);
});
