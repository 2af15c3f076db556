import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PushportSocket, type WebSocketClass } from '../../../src/client/index.ts';
import { cleanup } from '../helpers/processes.ts';
import { startPushServer } from '../../support/push-server-process.ts';
import { expectOnceInSeqOrder, type Handed } from '../../support/delivery-order.ts';

afterAll(cleanup);

const MEMBERS = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('zero loss for group pushes (count 2, pushport/client, every other push with a ttl and an id)', () => {
  it('gives every member every accepted group push once and in seq order through a reload', async () => {
    const server = await startPushServer(['--count', '2'], { PUSH_TOKEN: 't' });
    const headers = { authorization: 'Bearer t' };
    const uids = Array.from({ length: MEMBERS }, (_, i) => `gm${i}`);
    const joined = await fetch(`${server.httpUrl}/groups/room/members`, { method: 'POST', headers, body: JSON.stringify({ uids }) });
    expect(await joined.json()).toEqual({ group: 'room', joined: MEMBERS });
    const got = new Map<string, Handed[]>(uids.map((uid) => [uid, []]));
    const clients = uids.map((uid) => {
      const socket = new PushportSocket({ url: server.wsUrl, uid, WebSocket: WebSocket as unknown as WebSocketClass, minDelayMs: 20, maxDelayMs: 300, pingSeconds: 3 });
      socket.on('message', (data, seq) => got.get(uid)!.push({ n: (JSON.parse(data) as { n: number }).n, seq }));
      return socket;
    });
    // The backend pushes one at a time. An even push has a ttl and an id, and is retried with the same id until it
    // is answered delivered or queued. An odd one is plain, sent once: every member has a v1 client, so any answer
    // (even "delivered 0") means each member's home stored it for resume.
    const accepted: number[] = [];
    let next = 0;
    const pushSome = async (count: number) => {
      for (const end = next + count; next < end; next++) {
        const stored = next % 2 === 0;
        const body = JSON.stringify(stored ? { group: 'room', n: next, ttl: 60, id: `room-${next}` } : { group: 'room', n: next });
        for (let attempt = 0; attempt < (stored ? 50 : 1); attempt++) {
          const answer = await fetch(`${server.httpUrl}/push`, { method: 'POST', headers, body }).then((r) => r.json() as Promise<{ ok?: boolean; queued?: boolean }>, () => undefined);
          if (stored ? answer?.ok : typeof answer?.ok === 'boolean') {
            accepted.push(next);
            break;
          }
          await sleep(50);
        }
        await sleep(5);
      }
    };
    try {
      await expect.poll(() => clients.every((c) => c.state === 'open'), { timeout: 10_000 }).toBe(true);
      await pushSome(40);
      const before = await server.children();
      expect((await server.command('reload')).code).toBe(0);
      // Pushes go on while both children are replaced.
      const during = pushSome(80);
      await expect.poll(async () => {
        const pids = await server.children();
        return pids.length === 2 && !pids.some((pid) => before.includes(pid));
      }, { timeout: 15_000 }).toBe(true);
      await during;
      await pushSome(40);
      expect(accepted.filter((n) => n % 2 === 0).length).toBe(80);
      const missing = () => uids.flatMap((uid) => accepted.filter((n) => !got.get(uid)!.some((h) => h.n === n)).map((n) => `${uid}:${n}`));
      await expect.poll(missing, { timeout: 20_000 }).toEqual([]);
      expectOnceInSeqOrder(got);
      // Sent one at a time, so each member's seq order is the order they were sent in (a plain push whose answer
      // was lost may have been stored too).
      for (const uid of uids) expect(got.get(uid)!.map((h) => h.n).filter((n) => accepted.includes(n))).toEqual(accepted);
    } finally {
      for (const c of clients) c.close();
      await server.stop();
    }
  }, 60_000);
});
