import { describe, expect, it } from 'vitest';
import { Hub, MemoryRegistry, RelayedOps, createPushApp, defaultLimits } from '../../../src/index.ts';
import { MemoryRelay } from '../relay/memory-relay.ts';
import { FakeSocket } from '../fake-socket.ts';

/** Two processes of one server in memory, each with its hub, its ops and the relay to the other. */
function twoProcesses(dashboard = true) {
  const hubs = [0, 1].map(() => new Hub<FakeSocket>(new MemoryRegistry(), defaultLimits));
  const relay = new MemoryRelay(hubs);
  // Each process's stats share carries its ops extras, as the push server wires it.
  const ops = [0, 1].map((i) => new RelayedOps(i, () => relay.targets[i]!.shares()));
  for (const i of [0, 1]) relay.nodes[i]!.shareExtra = () => ops[i]!.extra();
  const apps = [0, 1].map((i) => createPushApp({
    settings: () => ({ token: 'tok', limits: defaultLimits }),
    target: () => relay.targets[i]!,
    ops: { source: () => ops[i]!, dashboard: () => dashboard },
  }));
  const connect = (process: number, uid?: string) => {
    const socket = new FakeSocket();
    hubs[process]!.connect(socket);
    if (uid !== undefined) hubs[process]!.receive(socket, uid);
    return socket;
  };
  return { hubs, ops, apps, connect };
}

const auth = { authorization: 'Bearer tok' };

function metric(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`no sample ${name} in:\n${text}`);
  return Number(line.split(' ')[1]);
}

describe('the ops routes', () => {
  it('keep /metrics and /stats/parts behind the publisher token', async () => {
    const { apps } = twoProcesses();
    for (const path of ['/metrics', '/stats/parts']) {
      expect((await apps[0]!.request(path)).status).toBe(401);
      expect((await apps[0]!.request(path, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    }
  });

  it('serve /metrics as Prometheus text, summed over both processes, whichever one answers', async () => {
    const { apps, connect } = twoProcesses();
    connect(0, 'a');
    connect(0);
    connect(1, 'a');
    connect(1, 'b');
    const pushed = await apps[1]!.request('/push', { method: 'POST', body: '{"uid":"a"}', headers: auth });
    expect(await pushed.json()).toEqual({ ok: true, delivered: 2 });
    await apps[0]!.request('/push', { method: 'POST', body: '{"uid":"nobody"}', headers: auth });
    await apps[0]!.request('/broadcast', { method: 'POST', body: 'all', headers: auth });
    for (const app of apps) {
      const res = await app.request('/metrics', { headers: auth });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await res.text();
      expect(metric(text, 'pushport_connections')).toBe(4);
      expect(metric(text, 'pushport_identified_connections')).toBe(3);
      // "a" holds a tab in each process: one uid.
      expect(metric(text, 'pushport_uids')).toBe(2);
      expect(metric(text, 'pushport_pushes_total')).toBe(2);
      expect(metric(text, 'pushport_delivered_total')).toBe(5);
      expect(metric(text, 'pushport_failed_total')).toBe(1);
      expect(metric(text, 'pushport_broadcasts_total')).toBe(1);
      // One push timed in process 1, one push and one broadcast in process 0: the histogram sums both.
      expect(metric(text, 'pushport_push_latency_seconds_count')).toBe(3);
      expect(metric(text, 'pushport_push_latency_seconds_bucket{le="+Inf"}')).toBe(3);
    }
  });

  it('time a batch as its pushes, and leave refused requests out', async () => {
    const { apps, ops } = twoProcesses();
    await apps[0]!.request('/push/batch', { method: 'POST', body: '{"uid":"x"}\n{"uid":"y"}\n{"uid":"z"}\n', headers: auth });
    await apps[0]!.request('/push', { method: 'POST', body: '{"uid":"x"}' });
    await apps[0]!.request('/push', { method: 'POST', body: 'not json', headers: auth });
    expect(ops[0]!.latency.snapshot().count).toBe(3);
  });

  it('break the figures down per process on /stats/parts', async () => {
    const { apps, connect } = twoProcesses();
    connect(0, 'a');
    connect(1, 'b');
    connect(1, 'c');
    const res = await apps[1]!.request('/stats/parts', { headers: auth });
    const body = (await res.json()) as { unit: string; parts: { id: number; identified: number }[]; total: { identified: number } };
    expect(body.unit).toBe('process');
    expect(body.parts.map((p) => [p.id, p.identified])).toEqual([[0, 1], [1, 2]]);
    expect(body.total.identified).toBe(3);
  });

  it('serve the dashboard page without a token, holding no figures, and 404 with DASHBOARD=off', async () => {
    const { apps, connect } = twoProcesses();
    connect(0, 'secret-uid');
    const res = await apps[0]!.request('/dashboard');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'self'");
    const html = await res.text();
    for (const name of ['connections', 'identified', 'uids', 'pushes', 'delivered', 'failed']) expect(html).toContain(`data-metric="${name}"`);
    expect(html).not.toContain('secret-uid');
    // Self-contained: nothing is loaded from another address.
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//);
    const off = await twoProcesses(false).apps[0]!.request('/dashboard');
    expect(off.status).toBe(404);
    expect(await off.json()).toEqual({ error: 'the dashboard is turned off (DASHBOARD=off)' });
  });
});
