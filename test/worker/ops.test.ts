import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../worker/index.ts';
import { shardOf } from '../../worker/bucket-layout.ts';
import { ShardedTarget } from '../../worker/sharded-target.ts';
import { token } from './helpers.ts';
import { parseExposition } from '../support/prometheus.ts';

const sharded = { ...env, SHARDS: '2' };
const auth = { authorization: `Bearer ${token}` };

/** Calls the Worker as deployed with SHARDS=2. */
const call = (path: string, init: RequestInit = {}, bindings: object = sharded) => worker.request(path, init, bindings);

/** Opens an identified socket straight on the shard that holds its uid. */
async function socketOn(uid: string): Promise<WebSocket> {
  const target = new ShardedTarget(env.PUSH_HUB, 2);
  const res = await target.stub(shardOf(uid, 2)).fetch(`http://shard/ws?uid=${uid}`, { headers: { Upgrade: 'websocket' } });
  res.webSocket!.accept();
  return res.webSocket!;
}

async function metrics(): Promise<Record<string, number>> {
  const res = await call('/metrics', { headers: auth });
  expect(res.status).toBe(200);
  return parseExposition(await res.text());
}

// Two uids that live on different shards.
const [onZero, onOne] = ['ops-a', 'ops-b', 'ops-c', 'ops-d', 'ops-e'].reduce<[string, string]>(
  ([zero, one], uid) => (shardOf(uid, 2) === 0 ? [zero || uid, one] : [zero, one || uid]), ['', '']);

describe('ops routes on the edge', () => {
  it('keep /metrics and /stats/parts behind the token, checked before any shard', async () => {
    for (const path of ['/metrics', '/stats/parts']) {
      expect((await call(path)).status).toBe(401);
      expect((await call(path, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    }
  });

  it('serve /metrics as Prometheus text with every name, summed over the shards', async () => {
    expect(shardOf(onZero, 2)).toBe(0);
    expect(shardOf(onOne, 2)).toBe(1);
    const res = await call('/metrics', { headers: auth });
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    for (const name of ['pushport_connections', 'pushport_identified_connections', 'pushport_uids', 'pushport_pushes_total',
      'pushport_delivered_total', 'pushport_failed_total', 'pushport_broadcasts_total', 'pushport_push_latency_seconds']) {
      expect(text).toMatch(new RegExp(`^# TYPE ${name} (gauge|counter|histogram)$`, 'm'));
    }

    const before = await metrics();
    const sockets = [await socketOn(onZero), await socketOn(onOne), await socketOn(onOne)];
    for (const uid of [onZero, onOne]) {
      const pushed = await call('/push', { method: 'POST', body: JSON.stringify({ uid }), headers: auth });
      expect((await pushed.json<{ ok: boolean }>()).ok).toBe(true);
    }
    await call('/broadcast', { method: 'POST', body: 'all', headers: auth });
    const after = await metrics();
    const grew = (name: string) => after[name]! - before[name]!;
    expect(grew('pushport_identified_connections')).toBe(3);
    expect(grew('pushport_uids')).toBe(2);
    expect(grew('pushport_pushes_total')).toBe(2);
    // 1 + 2 by the pushes, 3 by the broadcast.
    expect(grew('pushport_delivered_total')).toBe(6);
    // A broadcast reaches both shards but the server sent one.
    expect(grew('pushport_broadcasts_total')).toBe(1);
    // The Worker hands its timings to shard 0; two pushes and one broadcast were timed.
    await expect.poll(async () => (await metrics()).pushport_push_latency_seconds_count! - before.pushport_push_latency_seconds_count!).toBe(3);
    for (const ws of sockets) ws.close(1000);
  });

  it('break the figures down per shard on /stats/parts', async () => {
    const sockets = [await socketOn(`${onZero}-x`), await socketOn(onOne)];
    const res = await call('/stats/parts', { headers: auth });
    const body = await res.json<{ unit: string; parts: { id: number; identified: number }[]; total: { identified: number } }>();
    expect(body.unit).toBe('shard');
    expect(body.parts.map((p) => p.id)).toEqual([0, 1]);
    expect(body.total.identified).toBe(body.parts[0]!.identified + body.parts[1]!.identified);
    expect(body.total.identified).toBeGreaterThanOrEqual(2);
    for (const ws of sockets) ws.close(1000);
  });

  it('serve the dashboard page without a token, and 404 with DASHBOARD=off', async () => {
    const page = await call('/dashboard');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('data-metric="connections"');
    const off = await call('/dashboard', {}, { ...sharded, DASHBOARD: 'off' });
    expect(off.status).toBe(404);
    const bad = await call('/dashboard', {}, { ...sharded, DASHBOARD: 'maybe' });
    expect(await bad.json()).toEqual({ error: 'configuration error: DASHBOARD must be on or off, got "maybe"' });
  });
});
