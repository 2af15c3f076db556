import { afterAll, describe, expect, it } from 'vitest';
import { PushportClient, QUEUED } from '../../src/index.ts';
import { expectEachOnceInOrder, PlainV1Client } from '../support/plain-v1-client.ts';
import { startWranglerDev, type WranglerDev } from './wrangler-process.ts';

const CLIENTS = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Push = { n: number; uid: string; answer?: number | 'error' };

let dev: WranglerDev | undefined;
afterAll(async () => dev?.stop());

// Issue 17 on the edge: clients that only track their highest seq and resume with it, with no gap handling,
// through a restart of `wrangler dev` on the same state (every socket drops; each shard starts from its SQLite).
describe('resume with no gaps on the edge (wrangler dev, 2 shards, plain pushport.v1 clients)', () => {
  it('delivers every push answered ok or queued exactly once, in order, through a restart', async () => {
    dev = await startWranglerDev({ PUSH_TOKEN: 'rp', SHARDS: '2' });
    const wsUrl = dev.url.replace('http', 'ws');
    const clients = new Map(Array.from({ length: CLIENTS }, (_, i) => [`q${i}`, new PlainV1Client(wsUrl, `q${i}`)]));
    const backend = new PushportClient({ url: dev.url, token: 'rp', batch: true });
    const pushes: Push[] = [];
    let running = true;
    // One push every 5 ms, each with a ttl, to random uids; bounded in count.
    const stream = (async () => {
      for (let i = 0; running && i < 8000; i++) {
        const push: Push = { n: pushes.length, uid: `q${Math.floor(Math.random() * CLIENTS)}` };
        pushes.push(push);
        backend.push(push.uid, { n: push.n }, { ttl: 60 }).then((a) => (push.answer = a), () => (push.answer = 'error'));
        await sleep(5);
      }
    })();
    const sent = async (count: number) => {
      const until = pushes.length + count;
      for (let i = 0; i < 3000 && pushes.length < until; i++) await sleep(10);
    };
    try {
      await expect.poll(() => [...clients.values()].every((c) => c.open), { timeout: 20_000 }).toBe(true);
      await sent(200);
      await dev.restart();
      await sent(200);
    } finally {
      running = false;
      await stream;
    }
    await expect.poll(() => pushes.every((p) => p.answer !== undefined), { timeout: 20_000 }).toBe(true);
    const accepted = pushes.filter((p) => typeof p.answer === 'number' && (p.answer > 0 || p.answer === QUEUED));
    expect(accepted.length).toBeGreaterThan(300);
    await expectEachOnceInOrder(clients, accepted);
    for (const client of clients.values()) client.close();
  }, 120_000);
});
