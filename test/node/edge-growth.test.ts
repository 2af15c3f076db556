import { afterAll, describe, expect, it, onTestFailed } from 'vitest';
import WebSocket from 'ws';
import { PushportClient, QUEUED } from '../../src/index.ts';
import { PushportSocket, type WebSocketClass } from '../../src/client/index.ts';
import { PlainV1Client } from '../support/plain-v1-client.ts';
import { startPushStream } from './push-stream.ts';
import { startWranglerDev, type WranglerDev } from './wrangler-process.ts';

const CLIENTS = 100;
const OFFLINE = 20;
type Seen = { ns: number[]; seqs: number[] };

let dev: WranglerDev | undefined;
afterAll(async () => dev?.stop());

// What a change of SHARDS looks like on a live deployment: a redeploy with the new value. Here `wrangler dev` is
// restarted with it, on the same port and the same persisted state: every socket drops, the Worker proposes the
// new layout, and each bucket moves to its new object with its rows on the first call that needs it.
describe('growing and shrinking the edge strands no one (wrangler dev, 2 → 3 → 2 shards)', () => {
  it('delivers every accepted push exactly once, in seq order, to resuming and to offline uids', async () => {
    dev = await startWranglerDev({ PUSH_TOKEN: 'gr', SHARDS: '2' });
    // What workerd said is the first thing to read when this fails.
    onTestFailed(() => console.error(`wrangler dev said, last part:\n${dev?.output().slice(-8000)}`));
    const wsUrl = dev.url.replace('http', 'ws');
    const seen = new Map<string, Seen>();
    const gaps: string[] = [];
    const closes: string[] = [];
    const track = (uid: string) => seen.set(uid, { ns: [], seqs: [] }).get(uid)!;
    const resuming = (uid: string) => {
      const box = seen.get(uid) ?? track(uid);
      // Pings every 3 s: the client gives a handshake two ping intervals, and on a loaded machine the burst of
      // reconnects after a restart (each moved bucket taken over on its first upgrade) can take a few seconds.
      const socket = new PushportSocket({ url: wsUrl, uid, WebSocket: WebSocket as unknown as WebSocketClass, minDelayMs: 50, maxDelayMs: 500, pingSeconds: 3 });
      socket.on('message', (data, seq) => {
        box.ns.push((JSON.parse(data) as { n: number }).n);
        box.seqs.push(seq ?? -1);
      });
      socket.on('gap', (gap) => gaps.push(`${uid} ${gap.from}–${gap.to}`));
      socket.on('close', (info) => closes.push(`${uid} ${info.code} ${info.reason} ${info.willRetry}`));
      return socket;
    };
    // Half through pushport/client, half through a plain pushport.v1 client that resumes with ?since=.
    const sockets = Array.from({ length: CLIENTS / 2 }, (_, i) => resuming(`g${i}`));
    const plain = Array.from({ length: CLIENTS / 2 }, (_, i) => {
      track(`p${i}`);
      // A jittered retry, so 50 clients do not hammer wrangler dev while it restarts.
      return new PlainV1Client(wsUrl, `p${i}`, () => 100 + Math.floor(Math.random() * 300));
    });
    const online = [...seen.keys()];
    const offline = Array.from({ length: OFFLINE }, (_, i) => `o${i}`);
    for (const uid of offline) track(uid);
    const backend = new PushportClient({ url: dev.url, token: 'gr', batch: true });
    // Ten pushes a tick (one batch request), each with a ttl and an id; one in five to a uid that is offline.
    const pick = (k: number) => {
      const list = k < 2 ? offline : online;
      return list[Math.floor(Math.random() * list.length)]!;
    };
    const stream = startPushStream(backend, pick, (n) => ({ ttl: 600, id: `n${n}` }));
    const { pushes, sent } = stream;
    const allOpen = () => sockets.every((s) => s.state === 'open') && plain.every((c) => c.open);
    try {
      await expect.poll(allOpen, { timeout: 20_000 }).toBe(true);
      await sent(300);
      await dev.restart({ PUSH_TOKEN: 'gr', SHARDS: '3' });
      await sent(300);
      await expect.poll(allOpen, { timeout: 30_000 }).toBe(true);
      await dev.restart({ PUSH_TOKEN: 'gr', SHARDS: '2' });
      await sent(300);
    } finally {
      await stream.stop();
    }
    await expect.poll(() => pushes.every((p) => p.answer !== undefined), { timeout: 20_000 }).toBe(true);
    // The offline uids come online last: their queued pushes were stored under 2, 3 and 2 objects.
    const late = offline.map(resuming);
    for (const [i, c] of plain.entries()) {
      const box = seen.get(`p${i}`)!;
      Object.defineProperty(box, 'ns', { get: () => c.messages.map((m) => (JSON.parse(m) as { n: number }).n) });
      Object.defineProperty(box, 'seqs', { get: () => c.seqs });
    }
    const accepted = pushes.filter((p) => typeof p.answer === 'number' && (p.answer > 0 || p.answer === QUEUED));
    const missing = () => accepted.filter((p) => !seen.get(p.uid)!.ns.includes(p.n))
      .map((p) => `${p.n} to ${p.uid} (${p.answer}; got ${seen.get(p.uid)!.seqs.slice(-8).join(',')}; gaps ${gaps.join(' ')}; closes ${closes.filter((c) => c.startsWith(`${p.uid} `)).join(' | ')})`);
    await expect.poll(missing, { timeout: 30_000 }).toEqual([]);
    expect(accepted.length).toBeGreaterThan(450);
    // A push fails only as its connection drops with wrangler dev, never with an error answer (a bucket on the move).
    expect(pushes.filter((p) => p.error && !/pushport unreachable|terminated|ECONNRESET|socket hang up/.test(p.error))).toEqual([]);
    // A push with a ttl is delivered or queued: none may answer that it reached nobody.
    expect(pushes.filter((p) => p.answer === 0)).toEqual([]);
    for (const [uid, { ns, seqs }] of seen) {
      expect({ uid, dupes: ns.length - new Set(ns).size }).toEqual({ uid, dupes: 0 });
      // Every push here is stored, so it has a seq, and a uid's seqs only go up, across both moves.
      expect({ uid, wentBack: seqs.filter((s, i) => s <= 0 || (i > 0 && s <= seqs[i - 1]!)) }).toEqual({ uid, wentBack: [] });
    }
    // Whole figures after the change: all three objects that held buckets, every client counted once, no queue left.
    const auth = { authorization: 'Bearer gr' };
    const parts = await (await fetch(`${dev.url}/stats/parts`, { headers: auth })).json() as { parts: { id: number }[] };
    expect(parts.parts.map((p) => p.id)).toEqual([0, 1, 2]);
    const everyone = [...seen.keys()];
    await expect.poll(async () => {
      const res = await fetch(`${dev!.url}/online?uids=${everyone.join(',')}`, { headers: auth });
      return Object.values(await res.json() as Record<string, number>).filter((n) => n !== 1).length;
    }, { timeout: 15_000 }).toBe(0);
    const stats = await (await fetch(`${dev.url}/stats`, { headers: auth })).json() as { identified: number };
    expect(stats.identified).toBe(CLIENTS + OFFLINE);
    const metrics = await (await fetch(`${dev.url}/metrics`, { headers: auth })).text();
    expect(metrics).toMatch(/^pushport_queue_waiting 0$/m);
    for (const s of [...sockets, ...late]) s.close();
    for (const c of plain) c.close();
  }, 240_000);
});
