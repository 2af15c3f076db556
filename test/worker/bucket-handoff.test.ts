import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { QUEUED } from '../../src/index.ts';
import { bucketOf, objectAt, shardOf } from '../../worker/bucket-layout.ts';
import type { Env } from '../../worker/env.ts';
import worker from '../../worker/index.ts';
import { ShardedTarget } from '../../worker/sharded-target.ts';
import { waitFor } from '../support/poll.ts';

// Each ShardedTarget is one Worker instance: it proposes its SHARDS once, as a redeployed Worker does.
const instance = (shards: number) => new ShardedTarget(env.PUSH_HUB, shards);
const withShards = (shards: number) => ({ ...env, SHARDS: String(shards) }) as unknown as Env;

// A uid whose bucket moves from object 0 to object 2 when 2 objects grow to 3, and one that stays on object 1.
const find = (test: (uid: string) => boolean, prefix: string) => {
  for (let n = 0; ; n++) if (test(`${prefix}${n}`)) return `${prefix}${n}`;
};
const moving = find((uid) => shardOf(uid, 2) === 0 && shardOf(uid, 3) === 2, 'move-');
const staying = find((uid) => shardOf(uid, 2) === 1 && shardOf(uid, 3) === 1, 'stay-');
// Another uid of the moving bucket: connected while the first one's pushes wait.
const neighbour = find((uid) => uid !== moving && bucketOf(uid) === bucketOf(moving), 'near-');

/** A pushport.v1 client through the Worker deployed with `bindings`, with what it received. */
async function v1Client(bindings: Env, uid: string, since?: number) {
  const query = since === undefined ? '' : `&since=${since}`;
  const res = await worker.request(`/ws?uid=${uid}${query}`, { headers: { Upgrade: 'websocket', 'Sec-WebSocket-Protocol': 'pushport.v1' } }, bindings);
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  ws.accept();
  const frames: string[] = [];
  ws.addEventListener('message', (e) => void frames.push(String(e.data)));
  const closed = new Promise<number>((resolve) => ws.addEventListener('close', (e) => resolve(e.code)));
  return { ws, frames, closed };
}

/** How many mailbox rows of `uid` object `index` stores: what is in its tables, not what it answers. */
function rowsOn(index: number, uid: string): Promise<number> {
  return runInDurableObject(objectAt(env.PUSH_HUB, index), (_, state) =>
    ['pushport_uids', 'pushport_messages', 'pushport_ids']
      .map((t) => state.storage.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM ${t} WHERE uid = ?`, uid).one().n)
      .reduce((a, b) => a + b, 0));
}

describe('a layout change hands each moving bucket over exactly once', () => {
  it('2 → 3 → 2: queue, history, seq and ids follow the uid; old sockets close with 1012; figures stay whole', async () => {
    const two = instance(2);
    // Offline: three queued pushes, one with an id.
    expect(await two.push(moving, 'm1', { ttl: 600 })).toBe(QUEUED);
    expect(await two.push(moving, 'm2', { ttl: 600, id: 'once' })).toBe(QUEUED);
    expect(await two.push(moving, 'm3', { ttl: 600 })).toBe(QUEUED);
    // One Worker deployed with 2 objects: it keeps routing by the layout it read.
    const deployedWithTwo = withShards(2);
    const connectedBefore = await v1Client(deployedWithTwo, staying);
    const movingBefore = await v1Client(deployedWithTwo, neighbour);
    expect(await two.push(staying, 's1')).toBe(1);
    expect(await rowsOn(0, moving)).toBeGreaterThan(0);

    // Grown to 3: the first call for the moving uid's bucket takes it over.
    const three = instance(3);
    expect(await three.push(moving, 'm2 again', { ttl: 600, id: 'once' })).toBe(QUEUED);
    expect(await movingBefore.closed).toBe(1012);
    expect(await rowsOn(0, moving)).toBe(0);
    expect(await three.push(moving, 'm4', { ttl: 600 })).toBe(QUEUED);
    // The Worker instance that still routes by 2 objects is told the bucket moved, and follows the layout.
    expect(await two.push(moving, 'm5', { ttl: 600 })).toBe(QUEUED);
    expect(await two.push(staying, 's2')).toBe(1);
    expect(connectedBefore.frames).toEqual(['1 s1', '2 s2']);
    // Its upgrade for the moved bucket is refused by the old object (421) and routed again to the new one.
    const reconnected = await v1Client(deployedWithTwo, neighbour);
    expect(await three.online(neighbour)).toBe(1);
    reconnected.ws.close(1000);

    const stats = await worker.request('/stats/parts', { headers: { authorization: 'Bearer test-token' } }, withShards(3));
    const body = await stats.json<{ parts: { id: number }[] }>();
    expect(body.parts.map((p) => p.id)).toEqual([0, 1, 2]);
    // Five pushes wait for the moving uid, counted once: on its new object, not also on its old one.
    expect((await three.queueFigures()).queued).toBe(5);

    // Shrunk back to 2: the bucket returns to object 0, with everything it gathered on object 2.
    const twoAgain = instance(2);
    expect(await twoAgain.push(moving, 'm5 again?', { ttl: 600, id: 'once' })).toBe(QUEUED);
    expect(await twoAgain.push(moving, 'm6', { ttl: 600 })).toBe(QUEUED);
    expect(await rowsOn(2, moving)).toBe(0);
    const back = await v1Client(withShards(2), moving, 0);
    await waitFor(() => back.frames.length >= 5, 'the queued pushes');
    expect(back.frames).toEqual(['1 m1', '2 m2', '3 m3', '4 m4', '5 m5', '6 m6'].slice(0, back.frames.length));
    await waitFor(() => back.frames.length === 6, 'all six');
    // Figures of every object the layouts used, the emptied one included.
    const after = await worker.request('/stats/parts', { headers: { authorization: 'Bearer test-token' } }, withShards(2));
    expect((await after.json<{ parts: { id: number }[] }>()).parts.map((p) => p.id)).toEqual([0, 1, 2]);
    for (const c of [connectedBefore, back]) c.ws.close(1000);
  });
});
