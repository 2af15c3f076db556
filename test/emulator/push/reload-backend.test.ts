import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TextBackend } from '../../../examples/text-backend.ts';
import { cleanup } from '../helpers/processes.ts';
import { startPushServer } from '../../support/push-server-process.ts';

afterAll(cleanup);

const UIDS = 10;
// Pushes go on until the reload is over, at most this many.
const MAX_PUSHES = 40_000;

describe('a text-port backend through a reload', () => {
  it('gets one reply per push, and resending what got none never pushes a line twice (examples/text-backend.ts)', async () => {
    const server = await startPushServer(['--count', '2'], { PUSH_TOKEN: 't' });
    // Clients spread over both processes, reconnecting after the reload closes them, recording each push's n.
    const delivered = new Map<number, number>();
    const sockets: WebSocket[] = [];
    let stopping = false;
    const connectClient = (uid: string) => {
      const ws = new WebSocket(server.wsUrl);
      sockets.push(ws);
      ws.on('open', () => ws.send(uid));
      ws.on('message', (data) => {
        const n = (JSON.parse(String(data)) as { n: number }).n;
        delivered.set(n, (delivered.get(n) ?? 0) + 1);
      });
      ws.on('error', () => {});
      ws.on('close', () => stopping || setTimeout(() => connectClient(uid), 20));
    };
    for (let i = 0; i < UIDS; i++) connectClient(`u${i}`);
    await expect.poll(async () => ((await (await fetch(`${server.httpUrl}/stats`, { headers: { authorization: 'Bearer t' } })).json()) as { identified: number }).identified).toBe(UIDS);

    const backend = new TextBackend(server.textPort);
    const replies = new Map<number, string>();
    let reloading = true;
    const reloaded = server.command('reload').finally(() => (reloading = false));
    // Pushes keep flowing while the processes are replaced, 20 in flight at a time.
    let pushes = 0;
    for (; (reloading || pushes < 400) && pushes < MAX_PUSHES; pushes += 20) {
      const n = pushes;
      await Promise.all(Array.from({ length: 20 }, (_, k) => backend.push({ uid: `u${(n + k) % UIDS}`, n: n + k }).then((reply) => replies.set(n + k, reply))));
    }
    expect((await reloaded).code).toBe(0);
    backend.close();

    expect(replies.size).toBe(pushes);
    expect([...replies.values()].filter((r) => r !== 'ok' && r !== 'fail')).toEqual([]);
    const ok = [...replies].filter(([, reply]) => reply === 'ok').map(([n]) => n);
    expect(ok.length).toBeGreaterThan(0);
    await expect.poll(() => ok.filter((n) => !delivered.has(n))).toEqual([]);
    // A line that got no reply was not pushed, so its resend is its only delivery.
    expect([...delivered].filter(([, times]) => times > 1)).toEqual([]);
    stopping = true;
    for (const ws of sockets) ws.close();
    await server.stop();
  }, 60_000);
});
