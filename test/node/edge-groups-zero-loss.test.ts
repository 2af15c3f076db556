import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PushportClient, QUEUED } from '../../src/index.ts';
import { PushportSocket, type WebSocketClass } from '../../src/client/index.ts';
import { expectOnceInSeqOrder, type Handed } from '../support/delivery-order.ts';
import { startWranglerDev, type WranglerDev } from './wrangler-process.ts';

const MEMBERS = 20;
const PUSHES = 60;

let dev: WranglerDev | undefined;
afterAll(async () => dev?.stop());

// A restart of `wrangler dev` on the same state is a redeploy or an eviction as clients see it: every socket drops,
// and each object starts again from its SQLite. pushport/client members resume with their uid's seq.
describe('zero loss for group pushes on the edge through a restart (wrangler dev, 2 shards, pushport/client)', () => {
  it('delivers every ttl group push answered ok or queued to every member exactly once, in seq order', async () => {
    dev = await startWranglerDev({ PUSH_TOKEN: 'gzl', SHARDS: '2' });
    const backend = new PushportClient({ url: dev.url, token: 'gzl' });
    const uids = Array.from({ length: MEMBERS }, (_, i) => `gz${i}`);
    expect(await backend.joinGroup('zl-room', uids)).toBe(MEMBERS);
    const got = new Map<string, Handed[]>(uids.map((uid) => [uid, []]));
    const clients = uids.map((uid) => {
      const socket = new PushportSocket({ url: dev!.url.replace('http', 'ws'), uid, WebSocket: WebSocket as unknown as WebSocketClass, minDelayMs: 50, maxDelayMs: 500, pingSeconds: 3 });
      socket.on('message', (data, seq) => got.get(uid)!.push({ n: (JSON.parse(data) as { n: number }).n, seq }));
      return socket;
    });
    await expect.poll(() => clients.every((c) => c.state === 'open'), { timeout: 20_000 }).toBe(true);
    // One push at a time, each with a ttl; the restart comes a third of the way in.
    const answers: (number | 'error')[] = [];
    for (let n = 0; n < PUSHES; n++) {
      if (n === PUSHES / 3) await dev.restart();
      answers.push(await backend.pushToGroup('zl-room', { n }, { ttl: 60 }).catch(() => 'error' as const));
    }
    const accepted = answers.flatMap((a, n) => (typeof a === 'number' && (a > 0 || a === QUEUED) ? [n] : []));
    expect(accepted.length).toBeGreaterThan(PUSHES / 2);
    // Every push was taken, or failed with the restart; none answered 0 while members had clients or a queue.
    expect(answers.filter((a) => a === 0)).toEqual([]);
    const missing = () => uids.flatMap((uid) => accepted.filter((n) => !got.get(uid)!.some((h) => h.n === n)).map((n) => `${uid}:${n}`));
    await expect.poll(missing, { timeout: 30_000 }).toEqual([]);
    expectOnceInSeqOrder(got);
    for (const c of clients) c.close();
  }, 120_000);
});
