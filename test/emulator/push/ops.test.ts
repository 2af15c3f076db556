import { get } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { openClient } from '../../support/ws-client.ts';
import { loadConfig } from '../../../emulator/push/config.ts';
import { cleanup } from '../helpers/processes.ts';
import { parseExposition } from '../../support/prometheus.ts';
import { startPushServer } from '../../support/push-server-process.ts';

afterAll(cleanup);

/** One authenticated GET on a fresh connection, so each request can land in either process. */
function freshGet(port: number, path: string, token = 't'): Promise<{ status: number; type: string; body: string }> {
  return new Promise((done, fail) => {
    const request = get({ host: '127.0.0.1', port, path, agent: false, timeout: 5000, headers: { authorization: `Bearer ${token}` } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => done({ status: response.statusCode ?? 0, type: String(response.headers['content-type']), body }));
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', fail);
  });
}

describe('ops on the local server with 2 processes', () => {
  it('sums /metrics over both processes, breaks them down on /stats/parts, and prints status --json', async () => {
    // The identify deadline off: the test holds one socket unidentified on purpose, for longer than the default
    // 10 s when the machine is busy (the ttl wait alone may take 10 s), and counts it throughout.
    const server = await startPushServer(['--count', '2'], { PUSH_TOKEN: 't', IDENTIFY_TIMEOUT_SECONDS: '0' });
    const sockets = await Promise.all(Array.from({ length: 13 }, async (_, i) => {
      const { ws } = await openClient(server.wsUrl);
      // The last one stays unidentified.
      if (i < 12) ws.send(`u${i}`);
      return ws;
    }));
    const metrics = async () => parseExposition((await freshGet(server.port, '/metrics')).body);
    await expect.poll(async () => (await metrics()).pushport_identified_connections).toBe(12);
    for (const uid of ['u1', 'u2', 'nobody']) {
      await fetch(`${server.httpUrl}/push`, { method: 'POST', body: JSON.stringify({ uid }), headers: { authorization: 'Bearer t' } });
    }

    // Whichever process answers, the figures are the whole server's.
    for (let i = 0; i < 6; i++) {
      const res = await freshGet(server.port, '/metrics');
      expect(res.status).toBe(200);
      expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(parseExposition(res.body)).toMatchObject({
        pushport_connections: 13, pushport_identified_connections: 12, pushport_uids: 12,
        pushport_pushes_total: 3, pushport_delivered_total: 2, pushport_failed_total: 1, pushport_broadcasts_total: 0,
        pushport_push_latency_seconds_count: 3, 'pushport_push_latency_seconds_bucket{le="+Inf"}': 3,
      });
    }
    expect((await freshGet(server.port, '/metrics', 'wrong')).status).toBe(401);

    // The ttl queue: one push waits, one expires (ttl 1 s; each process sweeps the shared store every second).
    for (const body of ['{"uid":"away","ttl":600}', '{"uid":"gone","ttl":1}']) {
      expect(await (await fetch(`${server.httpUrl}/push`, { method: 'POST', body, headers: { authorization: 'Bearer t' } })).json()).toEqual({ ok: true, delivered: 0, queued: true });
    }
    await expect.poll(async () => {
      const m = await metrics();
      return [m.pushport_queued_total, m.pushport_queue_waiting, m.pushport_queue_expired_total];
    }, { timeout: 10_000 }).toEqual([2, 1, 1]);

    const parts = JSON.parse((await freshGet(server.port, '/stats/parts')).body);
    expect(parts.unit).toBe('process');
    expect(parts.parts.map((p: { id: number }) => p.id)).toEqual([0, 1]);
    expect(parts.parts.reduce((n: number, p: { connections: number }) => n + p.connections, 0)).toBe(13);
    expect(parts.total).toMatchObject({ connections: 13, identified: 12, pushes: 5 });

    const status = await server.command('status', '--json');
    expect(status.code).toBe(0);
    const report = JSON.parse(status.output);
    expect(report.processes).toHaveLength(2);
    expect(report.processes.map((p: { id: number }) => p.id).sort()).toEqual([0, 1]);
    expect(report.total.processes).toBe(2);
    expect(report.total.connections).toBe(13);

    const connections = JSON.parse((await server.command('connections', '--json')).output);
    expect(connections.total).toEqual({ connections: 13 });
    expect(connections.processes.flatMap((p: { connections: { protocol: string }[] }) => p.connections.map((c) => c.protocol)))
      .toEqual(Array(13).fill('websocket'));
    // Each connection with the uid it identified with; the unidentified one has none.
    const uids = connections.processes.flatMap((p: { connections: { uid: string }[] }) => p.connections.map((c) => c.uid));
    expect(uids.sort()).toEqual(['', ...Array.from({ length: 12 }, (_, i) => `u${i}`)].sort());
    const table = (await server.command('connections')).output;
    expect(table).toMatch(/^pid\s+worker\s+cid\s+uid\s+protocol/);
    expect(table).toMatch(/^\d+\s+pushport\s+\d+\s+u11\s+websocket\s/m);
    expect(table.trimEnd().endsWith('13 connections')).toBe(true);

    for (const ws of sockets) ws.close();
    await server.stop();
  }, 60_000);

  it('turns the first page off with --home-page off, while / still takes WebSockets and the client module stays', async () => {
    const server = await startPushServer(['--home-page', 'off'], { PUSH_TOKEN: 't' });
    try {
      const page = await fetch(`${server.httpUrl}/`);
      expect(page.status).toBe(404);
      expect(((await page.json()) as { error: string }).error).toMatch(/^the home page is turned off \(HOME_PAGE=off\)/);
      expect((await fetch(`${server.httpUrl}/pushport-client.js`)).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      const client = await openClient(`${server.wsUrl}/?uid=home-off`);
      const pushed = await fetch(`${server.httpUrl}/push`, { method: 'POST', body: '{"uid":"home-off"}', headers: { authorization: 'Bearer t' } });
      expect(await pushed.json()).toEqual({ ok: true, delivered: 1 });
      await expect.poll(() => client.messages).toEqual(['{"uid":"home-off"}']);
      client.ws.close();
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('reads DASHBOARD and HOME_PAGE from a flag or the environment, and names a bad value', () => {
    expect(loadConfig(['start'], {}).dashboard).toBe(true);
    expect(loadConfig(['start', '--dashboard', 'off'], {}).dashboard).toBe(false);
    expect(loadConfig(['start'], { DASHBOARD: 'off' }).dashboard).toBe(false);
    expect(() => loadConfig(['start'], { DASHBOARD: 'nope' })).toThrow('DASHBOARD must be on or off, got "nope"');
    expect(loadConfig(['start'], {}).homePage).toBe(true);
    expect(loadConfig(['start', '--home-page', 'off'], {}).homePage).toBe(false);
    expect(() => loadConfig(['start'], { HOME_PAGE: 'later' })).toThrow('HOME_PAGE must be on or off, got "later"');
  });
});
