import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PushportSocket, type WebSocketClass } from '../../../src/client/index.ts';
import { DeliveryAudit } from '../../../scripts/delivery-audit.ts';
import { cleanup } from '../helpers/processes.ts';
import { startPushServer } from '../../support/push-server-process.ts';
import { textStream } from '../../support/text-stream.ts';
import { expectOnceInSeqOrder, type Handed } from '../../support/delivery-order.ts';

afterAll(cleanup);

const CLIENTS = 100;

describe('zero loss through faults (count 2, pushport/client, every push with a ttl)', () => {
  it('delivers every accepted push exactly once and in seq order through a reload and a child SIGKILL', async () => {
    const server = await startPushServer(['--count', '2'], { PUSH_TOKEN: 't' });
    // The audit only sends and tracks the pushes here; the clients are pushport/client's.
    const audit = new DeliveryAudit(server.wsUrl, server.textPort);
    const got = new Map<string, Handed[]>();
    const clients = Array.from({ length: CLIENTS }, (_, i) => {
      const uid = `u${i}`;
      got.set(uid, []);
      // Pings every 3 s: a client gives a link two ping intervals, and one that gives up a link that is only slow
      // (a busy machine) before its first seq drops what the server sent on it (docs/resume.md).
      const socket = new PushportSocket({ url: server.wsUrl, uid, WebSocket: WebSocket as unknown as WebSocketClass, minDelayMs: 20, maxDelayMs: 300, pingSeconds: 3 });
      socket.on('message', (data, seq) => got.get(uid)!.push({ n: (JSON.parse(data) as { id: number }).id, seq }));
      return socket;
    });
    const stream = textStream(audit, CLIENTS, { ttl: 60 });
    try {
      await expect.poll(() => clients.every((c) => c.state === 'open'), { timeout: 30_000 }).toBe(true);
      await stream.more(300);

      // A reload replaces both children while pushes flow.
      const before = await server.children();
      expect(before).toHaveLength(2);
      expect((await server.command('reload')).code).toBe(0);
      await expect.poll(async () => {
        const pids = await server.children();
        return pids.length === 2 && !pids.some((pid) => before.includes(pid));
      }, { timeout: 10_000 }).toBe(true);
      await stream.more(300);

      // A child dies; the master starts another.
      const [victim] = await server.children();
      process.kill(victim!, 'SIGKILL');
      await expect.poll(async () => { const pids = await server.children(); return pids.length === 2 && !pids.includes(victim!); }, { timeout: 10_000 }).toBe(true);
      await stream.more(300);
    } finally {
      await stream.stop();
    }
    // Every push answered ok or queued reaches its client; anything delivered was accepted even if its answer was lost.
    const accepted = audit.pushes.filter((p) => p.reply === 'ok' || p.reply === 'queued');
    const missing = () => accepted.filter((p) => !got.get(p.uid)!.some((h) => h.n === p.id)).map((p) => p.id);
    await expect.poll(missing, { timeout: 20_000 }).toEqual([]);
    expect(accepted.length).toBeGreaterThan(600);
    expect(audit.pushes.filter((p) => p.reply !== undefined && !['ok', 'queued'].includes(p.reply))).toEqual([]);
    // Once each, and in the order the uid's home numbered them: every push carries a seq, rising.
    expectOnceInSeqOrder(got);
    for (const c of clients) c.close();
    audit.stop();
    await server.stop();
  }, 90_000);
});
