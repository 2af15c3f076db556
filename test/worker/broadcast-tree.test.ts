import { env } from 'cloudflare:workers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { edgeSetup } from '../../worker/edge-setup.ts';
import type { Env } from '../../worker/env.ts';
import worker from '../../worker/index.ts';
import { shardOf } from '../../worker/bucket-layout.ts';
import { ShardedTarget } from '../../worker/sharded-target.ts';
import { waitFor } from '../support/poll.ts';
import { token } from './helpers.ts';

// 64 shards with a fan-out of 4: the Worker calls 4 objects, and the tree is 3 levels deep.
const shards = 64;
const wide = { ...env, SHARDS: String(shards), FAN_OUT: '4' } as unknown as Env;
const auth = { authorization: `Bearer ${token}` };
const call = (path: string, init: RequestInit = {}) => worker.request(path, { ...init, headers: auth }, wide);

// Two uids on every shard, found by trying names in order.
const uidsOf = Array.from({ length: shards }, () => [] as string[]);
for (let n = 0; uidsOf.some((list) => list.length < 2); n++) {
  const uid = `tree-${n}`;
  const list = uidsOf[shardOf(uid, shards)]!;
  if (list.length < 2) list.push(uid);
}
const everyUid = uidsOf.flat();
const inboxes = new Map<string, string[]>();
const sockets: WebSocket[] = [];

type Parts = { parts: { id: number; identified: number; broadcasts: number; delivered: number }[]; total: { identified: number } };

async function parts(): Promise<Parts> {
  const res = await call('/stats/parts');
  expect(res.status).toBe(200);
  return res.json<Parts>();
}

beforeAll(async () => {
  const target = new ShardedTarget(env.PUSH_HUB, shards);
  for (const uid of everyUid) {
    const res = await target.stub(shardOf(uid, shards)).fetch(`http://shard/ws?uid=${uid}`, { headers: { Upgrade: 'websocket' } });
    const ws = res.webSocket!;
    ws.accept();
    const box: string[] = [];
    ws.addEventListener('message', (e) => void box.push(String(e.data)));
    inboxes.set(uid, box);
    sockets.push(ws);
  }
});

// Waits for the shards to see the closes: a close still in flight when the runtime tears down is reported as an error.
afterAll(async () => {
  const before = (await parts()).total.identified;
  for (const ws of sockets) ws.close(1000);
  await waitFor(async () => before - (await parts()).total.identified === sockets.length, 'every close seen by its shard');
});

describe('a broadcast, /stats and /online?uids= past the fan-out width', () => {
  it('reach every shard exactly once through a tree, with the Worker calling only FAN_OUT objects', async () => {
    const before = await parts();
    // The Worker's own broadcastTree calls, by object. Its stubs offer only that method and the push-latency
    // hand-over to shard 0 (ops traffic, which is not the fan-out under test), so any other call fails the request.
    const target = edgeSetup(wide).target;
    const stub = target.stub.bind(target);
    const asked: number[] = [];
    const spy = vi.spyOn(target, 'stub').mockImplementation((shard) => {
      const real = stub(shard);
      return {
        broadcastTree: (...args: Parameters<typeof real.broadcastTree>) => (asked.push(shard), real.broadcastTree(...args)),
        addLatency: (...args: Parameters<typeof real.addLatency>) => real.addLatency(...args),
      } as unknown as typeof real;
    });
    try {
      const res = await call('/broadcast', { method: 'POST', body: 'to every shard' });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ delivered: everyUid.length });
      // The first object of each of the Worker's 4 parts, each once.
      expect(asked).toEqual([0, 16, 32, 48]);
    } finally {
      spy.mockRestore();
    }
    await expect.poll(() => everyUid.filter((uid) => inboxes.get(uid)!.length === 0)).toEqual([]);
    for (const uid of everyUid) expect(inboxes.get(uid)).toEqual(['to every shard']);
    const after = await parts();
    expect(after.parts.map((p) => p.id)).toEqual(Array.from({ length: shards }, (_, i) => i));
    // Each object was called once: one broadcast counted, and its own two sockets reached, on every shard.
    after.parts.forEach((part, i) => {
      expect(part.broadcasts - before.parts[i]!.broadcasts).toBe(1);
      expect(part.delivered - before.parts[i]!.delivered).toBe(2);
    });
  });

  it('keep /stats, /stats/parts and /online?uids= whole at 64 shards', async () => {
    const { parts: list, total } = await parts();
    expect(list).toHaveLength(shards);
    for (const part of list) expect(part.identified).toBeGreaterThanOrEqual(2);
    expect(total.identified).toBe(list.reduce((sum, p) => sum + p.identified, 0));
    const stats = await (await call('/stats')).json<{ identified: number }>();
    expect(stats.identified).toBe(total.identified);

    const asked = [...everyUid, 'tree-nobody', 'tree-nobody-2'];
    const res = await call(`/online?uids=${asked.map(encodeURIComponent).join(',')}`);
    expect(res.status).toBe(200);
    const counts = await res.json<Record<string, number>>();
    expect(Object.keys(counts)).toEqual(asked);
    expect(counts).toEqual(Object.fromEntries(asked.map((uid) => [uid, uid.startsWith('tree-nobody') ? 0 : 1])));

    const metrics = await (await call('/metrics')).text();
    expect(metrics).toMatch(new RegExp(`^pushport_identified_connections ${total.identified}$`, 'm'));
  });

  it('answer 502 naming the shards that did not answer, rather than a total that is silently short', async () => {
    // Shard 37 is called by shard 32, two levels down; its part is shards 37–40.
    const stub = ShardedTarget.prototype.stub;
    const down = vi.spyOn(ShardedTarget.prototype, 'stub').mockImplementation(function (this: ShardedTarget, shard: number) {
      if (shard !== 37) return stub.call(this, shard);
      const refuse = () => Promise.reject(new Error('shard 37 is down'));
      return { broadcastTree: refuse, figuresTree: refuse, onlineTree: refuse } as unknown as ReturnType<typeof stub>;
    });
    try {
      const broadcast = await call('/broadcast', { method: 'POST', body: 'partly' });
      expect(broadcast.status).toBe(502);
      const reached = everyUid.length - 4 * 2;
      expect((await broadcast.json<{ error: string }>()).error).toBe(
        `the broadcast reached ${reached} connections on the shards that answered, and may or may not have reached the others: `
        + 'shards 37–40 did not answer (shard 37 is down)');
      for (const path of ['/stats', '/stats/parts', '/metrics']) {
        const res = await call(path);
        expect(res.status).toBe(502);
        expect((await res.json<{ error: string }>()).error).toBe(
          `only ${shards - 4} of ${shards} shards answered, so the figures would be short: shards 37–40 did not answer (shard 37 is down)`);
      }
      // Every shard holds some of these uids, so the list of shards splits as the span did.
      const online = await call(`/online?uids=${everyUid.join(',')}`);
      expect(online.status).toBe(502);
      expect((await online.json<{ error: string }>()).error).toBe(
        'the counts of some uids are unknown: shards 37, 38, 39, 40 did not answer (shard 37 is down)');
    } finally {
      down.mockRestore();
    }
  });

  it('refuse a FAN_OUT below 2, naming the setting', async () => {
    const res = await worker.request('/broadcast', { method: 'POST', body: 'x', headers: auth }, { ...wide, FAN_OUT: '1' });
    expect(res.status).toBe(500);
    expect((await res.json<{ error: string }>()).error).toBe('configuration error: FAN_OUT must be a whole number from 2 to 10000000, got "1"');
  });
});
