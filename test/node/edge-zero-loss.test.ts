import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PushportClient, QUEUED } from '../../src/index.ts';
import { PushportSocket, type WebSocketClass } from '../../src/client/index.ts';
import { expectOnceInSeqOrder, type Handed } from '../support/delivery-order.ts';
import { startPushStream } from './push-stream.ts';
import { startWranglerDev, type WranglerDev } from './wrangler-process.ts';

const CLIENTS = 100;

let dev: WranglerDev | undefined;
afterAll(async () => dev?.stop());

// A redeploy or an eviction as clients see it: every socket drops and each Durable Object starts again from
// its SQLite. Here `wrangler dev` itself is restarted on the same port and the same persisted state.
describe('zero loss on the edge through a restart (wrangler dev, 2 shards, pushport/client)', () => {
  it('delivers every push answered ok or queued exactly once and in seq order to 100 clients', async () => {
    dev = await startWranglerDev({ PUSH_TOKEN: 'zl', SHARDS: '2' });
    const wsUrl = dev.url.replace('http', 'ws');
    const got = new Map<string, Handed[]>();
    const clients = Array.from({ length: CLIENTS }, (_, i) => {
      const uid = `e${i}`;
      got.set(uid, []);
      // Pings every 3 s: the client gives a link two ping intervals, and on a loaded machine a handshake or an
      // answer from wrangler dev can take seconds; a client that gives up on a link that is only slow reconnects
      // again and again (and one that had no seq yet drops what the server sent on it, see docs/resume.md).
      const socket = new PushportSocket({ url: wsUrl, uid, WebSocket: WebSocket as unknown as WebSocketClass, minDelayMs: 50, maxDelayMs: 500, pingSeconds: 3 });
      socket.on('message', (data, seq) => got.get(uid)!.push({ n: (JSON.parse(data) as { n: number }).n, seq }));
      return socket;
    });
    const backend = new PushportClient({ url: dev.url, token: 'zl', batch: true });
    // Ten pushes a tick (one batch request), each with a ttl, to random uids; bounded in count.
    const stream = startPushStream(backend, () => `e${Math.floor(Math.random() * CLIENTS)}`, () => ({ ttl: 60 }), 2000);
    const { pushes, sent } = stream;
    try {
      await expect.poll(() => clients.every((c) => c.state === 'open'), { timeout: 60_000 }).toBe(true);
      await sent(300);
      await dev.restart();
      await sent(300);
    } finally {
      await stream.stop();
    }
    await expect.poll(() => pushes.every((p) => p.answer !== undefined), { timeout: 60_000 }).toBe(true);
    const accepted = pushes.filter((p) => typeof p.answer === 'number' && (p.answer > 0 || p.answer === QUEUED));
    const missing = () => accepted.filter((p) => !got.get(p.uid)!.some((h) => h.n === p.n)).map((p) => p.n);
    await expect.poll(missing, { timeout: 30_000 }).toEqual([]);
    expect(accepted.length).toBeGreaterThan(450);
    // Every push was accepted (ok or queued), or failed with the restart; none answered fail while its uid had a client.
    expect(pushes.filter((p) => p.answer === 0)).toEqual([]);
    expectOnceInSeqOrder(got);
    for (const c of clients) c.close();
  }, 240_000);
});
