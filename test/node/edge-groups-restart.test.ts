import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWranglerDev, type WranglerDev } from './wrangler-process.ts';

const TOKEN = 'groups-restart';
const MEMBERS = Array.from({ length: 12 }, (_, i) => `gr-${i}`);

let dev: WranglerDev | undefined;
afterAll(async () => dev?.stop());

async function call(method: string, path: string, body?: string): Promise<{ status: number; json: any }> {
  const res = await fetch(`${dev!.url}${path}`, { method, body, headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: res.status, json: await res.json() };
}

// A plain client of `uid`, routed by ?uid= (more than one object), with what it received.
async function clientOf(uid: string): Promise<{ ws: WebSocket; got: string[] }> {
  const ws = new WebSocket(`${dev!.url.replace('http', 'ws')}/ws?uid=${uid}`);
  const got: string[] = [];
  ws.on('message', (data) => void got.push(String(data)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, got };
}

// Membership is stored in each object's SQLite: a restart of `wrangler dev` on the same state (what a redeploy
// or an eviction looks like) keeps it, and so does a redeploy that grows the objects from 2 to 3.
describe('groups through a wrangler dev restart (2 shards, then 3)', () => {
  it('keeps every member, their groups and the queued group push, and pushes to them all after', async () => {
    dev = await startWranglerDev({ PUSH_TOKEN: TOKEN, SHARDS: '2' });
    expect((await call('POST', '/groups/lobby/members', JSON.stringify({ uids: MEMBERS }))).json).toEqual({ group: 'lobby', joined: 12 });
    expect((await call('PUT', `/groups/side/members/${MEMBERS[3]}`)).json.joined).toBe(true);
    const queued = '{"group":"lobby","ttl":600,"n":"before"}';
    expect((await call('POST', '/push', queued)).json).toEqual({ ok: true, delivered: 0, queued: true });

    await dev.restart();
    expect((await call('GET', '/groups/lobby')).json).toEqual({ group: 'lobby', members: 12, online: 0, connections: 0 });
    expect((await call('GET', `/groups?uid=${MEMBERS[3]}`)).json.groups.sort()).toEqual(['lobby', 'side']);

    await dev.restart({ PUSH_TOKEN: TOKEN, SHARDS: '3' });
    const clients = await Promise.all(MEMBERS.map(clientOf));
    await expect.poll(() => clients.every((c) => c.got[0] === queued), { timeout: 20_000 }).toBe(true);
    expect((await call('GET', '/groups/lobby')).json).toEqual({ group: 'lobby', members: 12, online: 12, connections: 12 });
    const after = '{"group":"lobby","n":"after"}';
    expect((await call('POST', '/push', after)).json).toEqual({ ok: true, delivered: 12 });
    await expect.poll(() => clients.every((c) => c.got.length === 2 && c.got[1] === after), { timeout: 20_000 }).toBe(true);
    // Paged across the three objects: every member once.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call('GET', `/groups/lobby/members?limit=5${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
      seen.push(...page.json.uids);
      cursor = page.json.cursor;
    } while (cursor !== undefined && seen.length <= MEMBERS.length);
    expect(seen.sort()).toEqual([...MEMBERS].sort());
    for (const c of clients) c.ws.close();
  }, 180_000);
});
