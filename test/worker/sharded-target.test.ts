import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { shardOf } from '../../worker/bucket-layout.ts';
import { ShardedTarget } from '../../worker/sharded-target.ts';

async function socketOn(target: ShardedTarget, uid: string, shards: number): Promise<string[]> {
  const res = await target.stub(shardOf(uid, shards)).fetch(`http://shard/ws?uid=${uid}`, { headers: { Upgrade: 'websocket' } });
  const ws = res.webSocket!;
  ws.accept();
  const got: string[] = [];
  ws.addEventListener('message', (e) => {
    got.push(String(e.data));
  });
  return got;
}

describe('sharding by uid', () => {
  it('spreads uids over shards and always picks the same one', () => {
    const seen = new Set(Array.from({ length: 64 }, (_, i) => shardOf(`user-${i}`, 4)));
    expect(seen).toEqual(new Set([0, 1, 2, 3]));
    expect(shardOf('user-7', 4)).toBe(shardOf('user-7', 4));
    expect(shardOf('anything', 1)).toBe(0);
  });

  it('pushes to the right shard, broadcasts to all, and sums stats', async () => {
    const target = new ShardedTarget(env.PUSH_HUB, 4);
    const uids = ['s-a', 's-b', 's-c', 's-d', 's-e', 's-f'];
    expect(new Set(uids.map((u) => shardOf(u, 4))).size).toBeGreaterThan(1);
    const inboxes = await Promise.all(uids.map((u) => socketOn(target, u, 4)));
    for (const uid of uids) expect(await target.push(uid, `to ${uid}`)).toBe(1);
    expect(await target.pushMany(uids.map((uid) => ({ uid, message: `batch ${uid}` })).reverse())).toEqual([1, 1, 1, 1, 1, 1]);
    expect(await target.broadcast('everyone')).toBe(6);
    await expect.poll(() => inboxes.every((box) => box.length === 3)).toBe(true);
    inboxes.forEach((box, i) => expect(box).toEqual([`to ${uids[i]}`, `batch ${uids[i]}`, 'everyone']));
    const stats = await target.stats();
    expect(stats.identified).toBe(6);
    expect(stats.broadcasts).toBe(1);
    expect(await target.online('s-c')).toBe(1);
    expect(await target.kick('s-c')).toBe(1);
    expect(await target.online('s-c')).toBe(0);
  });

  it('answers the presence of many uids with one call per shard that holds any of them', async () => {
    const target = new ShardedTarget(env.PUSH_HUB, 4);
    const uids = Array.from({ length: 12 }, (_, i) => `m-${i}`);
    await socketOn(target, uids[0]!, 4);
    await socketOn(target, uids[0]!, 4);
    await socketOn(target, uids[5]!, 4);
    const asked: number[] = [];
    const stub = target.stub.bind(target);
    target.stub = (shard) => {
      asked.push(shard);
      return stub(shard);
    };
    const answer = await target.onlineMany(uids);
    expect(answer).toEqual(Object.fromEntries(uids.map((u, i) => [u, i === 0 ? 2 : i === 5 ? 1 : 0])));
    expect(Object.keys(answer)).toEqual(uids);
    expect(asked.sort()).toEqual([...new Set(uids.map((u) => shardOf(u, 4)))].sort());
    expect(asked.length).toBeLessThan(uids.length);
  });
});
