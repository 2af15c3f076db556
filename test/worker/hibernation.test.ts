import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { api, client, open, post } from './helpers.ts';

const shard0 = () => env.PUSH_HUB.get(env.PUSH_HUB.idFromName('shard-0'));

describe('hibernation', () => {
  it('still reaches every identified socket by uid after the object is evicted', async () => {
    const a = await client('sleepy');
    const b = await client('sleepy', 1);
    const q = await open('/ws?uid=sleepy-query');
    const anonymous = await open();
    await post('/push', '{"uid":"not-here-yet"}');
    const before = await (await api('/stats')).json<Record<string, number>>();
    expect(before.pushes).toBeGreaterThan(0);
    // Counters reach storage within a second of the last push; wait for that before evicting.
    const stored = () => runInDurableObject(shard0(), (_, state) => state.storage.kv.get<{ pushes: number }>('counters')?.pushes);
    await expect.poll(stored, { timeout: 3000 }).toBe(before.pushes);
    await evictDurableObject(shard0());
    expect((await post('/push', '{"uid":"sleepy"}')).json).toEqual({ ok: true, delivered: 2 });
    expect(await a.nth(1)).toBe('{"uid":"sleepy"}');
    expect(await b.nth(1)).toBe('{"uid":"sleepy"}');
    expect((await post('/push', '{"uid":"sleepy-query"}')).json.delivered).toBe(1);
    expect(await q.nth(1)).toBe('{"uid":"sleepy-query"}');
    // The counters were stored, and the unidentified socket can still identify after waking.
    const after = await (await api('/stats')).json<Record<string, number>>();
    expect(after.pushes).toBe(before.pushes! + 2);
    expect(after.connections).toBe(before.connections);
    anonymous.ws.send('late-riser');
    await expect.poll(async () => (await post('/push', '{"uid":"late-riser"}')).json.delivered).toBe(1);
  });

  it('removes a tab closed after a wake-up', async () => {
    const a = await client('wake-close');
    const b = await client('wake-close', 1);
    await evictDurableObject(shard0());
    a.ws.close(1000, 'done');
    await a.closed;
    await expect.poll(async () => (await post('/push', '{"uid":"wake-close"}')).json.delivered).toBe(1);
    expect(b.messages.at(-1)).toBe('{"uid":"wake-close"}');
  });

  it('answers ping while the object sleeps', async () => {
    const c = await client('sleep-pinger');
    await evictDurableObject(shard0());
    c.ws.send('ping');
    expect(await c.nth(1)).toBe('pong');
  });
});
