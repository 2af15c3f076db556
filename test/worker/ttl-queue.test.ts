import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import worker from '../../worker/index.ts';
import { shardOf } from '../../worker/bucket-layout.ts';
import { ShardedTarget } from '../../worker/sharded-target.ts';
import { api, client, open, post, token } from './helpers.ts';
import { parseExposition } from '../support/prometheus.ts';

const shard0 = () => env.PUSH_HUB.get(env.PUSH_HUB.idFromName('shard-0'));
const queued = { ok: true, delivered: 0, queued: true };

async function metric(name: string): Promise<number> {
  const samples = parseExposition(await (await api('/metrics')).text());
  expect(samples, `${name} in /metrics`).toHaveProperty([name]);
  return samples[name]!;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('ttl: pushes wait for an offline uid', () => {
  it('answers queued, then delivers byte-exact and in order when the uid identifies by ?uid=, then live', async () => {
    const lines = ['{"uid":"q-url","ttl":60,"n":1}', '{ "uid" : "q-url", "ttl": 60, "text": "héllo ✓" }', '{"ttl":60,"uid":"q-url","n":3}'];
    for (const line of lines) expect(await post('/push', line)).toEqual({ status: 200, json: queued });
    const c = await open('/ws?uid=q-url');
    expect(await c.nth(3)).toBe(lines[2]);
    expect(c.messages).toEqual(lines);
    expect((await post('/push', '{"uid":"q-url","n":4}')).json).toEqual({ ok: true, delivered: 1 });
    expect(await c.nth(4)).toBe('{"uid":"q-url","n":4}');
    // Delivered once: a second tab finds the queue empty.
    const d = await open('/ws?uid=q-url');
    expect((await post('/push', '{"uid":"q-url","n":5}')).json.delivered).toBe(2);
    expect(await d.nth(1)).toBe('{"uid":"q-url","n":5}');
  });

  it('delivers the queue to a client that identifies by its first message', async () => {
    const line = '{"uid":"q-first","ttl":30,"payload":[1,2]}';
    expect((await post('/push', line)).json).toEqual(queued);
    const c = await client('q-first');
    expect(await c.nth(1)).toBe(line);
  });

  it('still answers fail for an offline push without a ttl, and keeps nothing for a plain client', async () => {
    expect(await post('/push', '{"uid":"q-none"}')).toEqual({ status: 200, json: { ok: false, delivered: 0 } });
    const c = await open('/ws?uid=q-none');
    expect((await post('/push', '{"uid":"q-none","after":true}')).json.delivered).toBe(1);
    expect(await c.nth(1)).toBe('{"uid":"q-none","after":true}');
    expect(c.messages).toHaveLength(1);
  });

  it('refuses past MAX_QUEUED_PER_UID: 429 with the reason, the batch line its error, a push without ttl unaffected', async () => {
    const batch = Array.from({ length: 101 }, (_, i) => `{"uid":"q-full","ttl":60,"n":${i}}`).join('\n');
    const res = await post('/push/batch', batch);
    expect(res.status).toBe(200);
    expect(res.json.results.slice(0, 100)).toEqual(Array(100).fill(queued));
    expect(res.json.results[100]).toEqual({ ok: false, error: expect.stringMatching(/^queue full: 100 pushes wait for this uid already \(MAX_QUEUED_PER_UID\)$/) });
    const refused = await post('/push', '{"uid":"q-full","ttl":60,"n":"late"}');
    expect(refused.status).toBe(429);
    expect(refused.json.error).toMatch(/^queue full: .*MAX_QUEUED_PER_UID/);
    expect((await post('/push', '{"uid":"q-full"}')).json).toEqual({ ok: false, delivered: 0 });
    const c = await open('/ws?uid=q-full');
    expect(await c.nth(100)).toBe('{"uid":"q-full","ttl":60,"n":99}');
    // Once delivered, the queue has room again.
    c.ws.close(1000);
    await c.closed;
    await expect.poll(async () => (await post('/push', '{"uid":"q-full","ttl":60,"n":"room"}')).status).toBe(200);
  });

  it('drops a queued push whose ttl passed, by the alarm, and counts it as expired', async () => {
    const expiredBefore = await metric('pushport_queue_expired_total');
    const waitingBefore = await metric('pushport_queue_waiting');
    expect((await post('/push', '{"uid":"q-expire","ttl":5}')).json).toEqual(queued);
    expect(await metric('pushport_queue_waiting')).toBe(waitingBefore + 1);
    const alarm = await runInDurableObject(shard0(), (_, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    expect(alarm!).toBeLessThanOrEqual(Date.now() + 5000);
    vi.useFakeTimers({ toFake: ['Date'] });
    // Only the clock moves: everything queued before in this file has a ttl of a minute.
    vi.setSystemTime(Date.now() + 6000);
    expect(await runDurableObjectAlarm(shard0())).toBe(true);
    // The store still holds the earlier pushes of this file, so the sweep set its next alarm.
    expect(await runInDurableObject(shard0(), (_, state) => state.storage.getAlarm())).not.toBeNull();
    expect(await metric('pushport_queue_expired_total')).toBe(expiredBefore + 1);
    expect(await metric('pushport_queue_waiting')).toBe(waitingBefore);
    const c = await open('/ws?uid=q-expire');
    expect((await post('/push', '{"uid":"q-expire","live":1}')).json.delivered).toBe(1);
    expect(await c.nth(1)).toBe('{"uid":"q-expire","live":1}');
    expect(c.messages).toHaveLength(1);
  });
});

describe('id: a repeated push is answered the same and not delivered again', () => {
  it('online: same count, one delivery', async () => {
    const c = await client('id-online');
    const line = '{"uid":"id-online","id":"order-17"}';
    expect((await post('/push', line)).json).toEqual({ ok: true, delivered: 1 });
    expect((await post('/push', line)).json).toEqual({ ok: true, delivered: 1 });
    expect((await post('/push', '{"uid":"id-online","after":1}')).json.delivered).toBe(1);
    expect(await c.nth(2)).toBe('{"uid":"id-online","after":1}');
    expect(c.messages).toEqual([line, '{"uid":"id-online","after":1}']);
  });

  it('offline with a ttl: queued twice, delivered once', async () => {
    const line = '{"uid":"id-offline","id":"x-1","ttl":60}';
    expect((await post('/push', line)).json).toEqual(queued);
    expect((await post('/push', line)).json).toEqual(queued);
    const c = await open('/ws?uid=id-offline');
    expect((await post('/push', '{"uid":"id-offline","after":1}')).json.delivered).toBe(1);
    expect(await c.nth(2)).toBe('{"uid":"id-offline","after":1}');
    expect(c.messages).toEqual([line, '{"uid":"id-offline","after":1}']);
  });
});

describe('/push/batch with durable pushes', () => {
  it('answers each line: a count, queued, fail, or its error', async () => {
    const c = await client('b-online');
    const res = await post('/push/batch', [
      '{"uid":"b-online","n":1}',
      '{"uid":"b-offline","ttl":60}',
      '{"uid":"b-offline-plain"}',
      '{"uid":"b-bad","ttl":0}',
      '{"uid":"b-online","id":"b-1"}',
    ].join('\n'));
    expect(res.status).toBe(200);
    expect(res.json.results).toEqual([
      { ok: true, delivered: 1 },
      queued,
      { ok: false, delivered: 0 },
      { ok: false, error: expect.stringMatching(/^ttl must be/) },
      { ok: true, delivered: 1 },
    ]);
    expect(res.json.delivered).toBe(2);
    expect(await c.nth(2)).toBe('{"uid":"b-online","id":"b-1"}');
  });
});

describe('sharded ttl pushes', () => {
  it('queue on the shard of the uid and reach it there when it identifies', async () => {
    const target = new ShardedTarget(env.PUSH_HUB, 4);
    const uid = ['sq-a', 'sq-b', 'sq-c', 'sq-d'].find((u) => shardOf(u, 4) !== 0)!;
    const home = target.stub(shardOf(uid, 4));
    const before = await home.queueFigures();
    expect(await target.push(uid, `{"uid":"${uid}","ttl":60}`, { ttl: 60 })).toBe(-1);
    expect((await home.queueFigures()).queued).toBe(before.queued + 1);
    expect((await target.queueFigures()).queued).toBeGreaterThanOrEqual(before.queued + 1);
    const res = await home.fetch(`http://shard/ws?uid=${uid}`, { headers: { Upgrade: 'websocket' } });
    const ws = res.webSocket!;
    const got: string[] = [];
    ws.addEventListener('message', (e) => {
      got.push(String(e.data));
    });
    ws.accept();
    await expect.poll(() => got).toEqual([`{"uid":"${uid}","ttl":60}`]);
    expect((await home.queueFigures()).queued).toBe(before.queued);
  });

  it('go through the Worker with SHARDS=4: queued on the shard of the uid, delivered when it connects with ?uid=', async () => {
    const sharded = { ...env, SHARDS: '4' };
    const uid = ['sw-a', 'sw-b', 'sw-c', 'sw-d'].find((u) => shardOf(u, 4) !== 0)!;
    const line = `{"uid":"${uid}","ttl":60,"id":"sw-1"}`;
    const push = () => worker.request('/push', { method: 'POST', body: line, headers: { authorization: `Bearer ${token}` } }, sharded);
    expect(await (await push()).json()).toEqual(queued);
    expect(await (await push()).json()).toEqual(queued);
    expect((await new ShardedTarget(env.PUSH_HUB, 4).stub(shardOf(uid, 4)).queueFigures()).queued).toBeGreaterThan(0);
    const res = await worker.request(`/ws?uid=${uid}&since=0`, { headers: { Upgrade: 'websocket', 'Sec-WebSocket-Protocol': 'pushport.v1' } }, sharded);
    expect(res.headers.get('sec-websocket-protocol')).toBe('pushport.v1');
    const ws = res.webSocket!;
    const got: string[] = [];
    ws.addEventListener('message', (e) => {
      got.push(String(e.data));
    });
    ws.accept();
    await expect.poll(() => got).toEqual([`1 ${line}`]);
  });
});
