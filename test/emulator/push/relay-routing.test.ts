import { afterAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { waitFor } from '../../support/poll.ts';
import { openClient } from '../../support/ws-client.ts';
import { textClient } from '../../conformance/clients.ts';
import type { LineClient } from '../../support/line-client.ts';
import type { ConformanceTarget } from '../../conformance/target.ts';
import { cleanup } from '../helpers/processes.ts';
import { pidsByClientPort, startPushServer, type PushServerProcess } from '../../support/push-server-process.ts';

afterAll(cleanup);

type Client = { uid: string; ws: WebSocket; inbox: string[]; closed: boolean };

/**
 * Connects a client and identifies it, resolving once its process has answered a `ping` sent after the
 * uid: messages of one socket are handled in order, so from then on the socket is identified.
 */
async function identified(server: PushServerProcess, uid: string): Promise<Client> {
  const c = await openClient(server.wsUrl);
  const client: Client = { uid, ws: c.ws, inbox: c.messages, closed: false };
  void c.closed.then(() => (client.closed = true));
  c.ws.send(uid);
  c.ws.send('ping');
  // Nothing is pushed to it before it is known: its first message is the pong, which is not a push.
  await waitFor(() => c.messages[0] === 'pong', `${uid} to answer ping`);
  c.messages.shift();
  return client;
}

/** The pids of the `pushport` processes, from `pushport status`. */
async function processPids(server: PushServerProcess): Promise<number[]> {
  const { output } = await server.command('status');
  return [...output.matchAll(/^(\d+)\s+pushport\s+\d+\s/gm)].map((m) => Number(m[1]));
}

/** The pid of the process that holds each client, matched by the client's port in `pushport connections`. */
async function holderPids(server: PushServerProcess, clients: Client[]): Promise<number[]> {
  const { output } = await server.command('connections');
  const pidOfPort = pidsByClientPort(output);
  return clients.map((c) => pidOfPort.get((c.ws as unknown as { _socket: { localPort: number } })._socket.localPort) ?? 0);
}

/** Pushes one line per client, spread over several text connections (so over several processes). */
async function pushEach(texts: LineClient[], clients: Client[], tag: string): Promise<string[]> {
  clients.forEach((c, i) => texts[i % texts.length]!.write(`${JSON.stringify({ uid: c.uid, tag })}\n`));
  const replies = await Promise.all(texts.map((t, k) => t.read(clients.filter((_, i) => i % texts.length === k).length)));
  return clients.map((_, i) => replies[i % texts.length]![Math.floor(i / texts.length)]!);
}

describe('relay routing between 4 processes', () => {
  it('answers ok for a socket identified just before the push, and delivers it exactly once', async () => {
    const server = await startPushServer(['--count', '4'], { PUSH_TOKEN: 't' });
    const target = { textPort: { host: '127.0.0.1', port: server.textPort } } as ConformanceTarget;
    const texts = await Promise.all(Array.from({ length: 8 }, () => textClient(target)));
    const clients: Client[] = [];
    // Each push is written the moment its socket is known to be identified: the "here" may still be on its
    // way to the uid's home, which must not answer fail.
    for (let round = 0; round < 10; round++) {
      const batch = await Promise.all(Array.from({ length: 20 }, (_, i) => identified(server, `race-${round}-${i}`)));
      expect(await pushEach(texts, batch, 'first')).toEqual(batch.map(() => 'ok'));
      clients.push(...batch);
    }
    // The kernel spread the clients over the processes, so most pushes had to cross.
    const holders = await holderPids(server, clients);
    expect(holders).not.toContain(0);
    expect(new Set(holders).size).toBeGreaterThan(1);
    // No misroute: each client got exactly its own push, once.
    await expect.poll(() => clients.every((c) => c.inbox.length === 1), { timeout: 5000 }).toBe(true);
    for (const c of clients) expect(c.inbox).toEqual([JSON.stringify({ uid: c.uid, tag: 'first' })]);
    // A uid nobody holds is answered fail after every process said so.
    texts[0]!.write('{"uid":"nobody-here"}\n');
    expect(await texts[0]!.read()).toEqual(['fail']);
    for (const t of texts) t.close();
    for (const c of clients) c.ws.close();
    await server.stop();
  }, 90_000);

  it('reaches every tab of a uid across processes, and keeps delivering while a killed child respawns', async () => {
    const server = await startPushServer(['--count', '4'], { PUSH_TOKEN: 't' });
    const target = { textPort: { host: '127.0.0.1', port: server.textPort } } as ConformanceTarget;
    const texts = await Promise.all(Array.from({ length: 8 }, () => textClient(target)));
    const tabs = await Promise.all(Array.from({ length: 120 }, (_, i) => identified(server, `tab-${i % 40}`)));
    const res = await fetch(`${server.httpUrl}/push`, { method: 'POST', body: '{"uid":"tab-7","n":1}', headers: { authorization: 'Bearer t' } });
    expect(await res.json()).toMatchObject({ delivered: 3 });
    // Kill one child: its tabs close; every tab still connected must get every push (the dead child may be
    // the home of some uids until it is back).
    const holders = await holderPids(server, tabs);
    expect(new Set(holders).size).toBeGreaterThan(1);
    const victim = [...new Set(holders)].sort((a, b) => holders.filter((p) => p === b).length - holders.filter((p) => p === a).length)[0]!;
    process.kill(victim, 'SIGKILL');
    await expect.poll(() => tabs.every((t, i) => t.closed === (holders[i] === victim)), { timeout: 5000 }).toBe(true);
    // Text connections the victim held are gone too: open them again, on the processes left.
    for (const t of texts) t.close();
    texts.splice(0, texts.length, ...(await Promise.all(texts.map(() => textClient(target)))));
    const uids = [...new Set(tabs.filter((t) => !t.closed).map((t) => t.uid))];
    const alive = uids.map((uid) => tabs.find((t) => t.uid === uid && !t.closed)!);
    expect(await pushEach(texts, alive, 'after-kill')).toEqual(alive.map(() => 'ok'));
    await expect.poll(async () => (await processPids(server)).filter((pid) => pid !== victim).length, { timeout: 10_000 }).toBe(4);
    expect(await pushEach(texts, alive, 'after-respawn')).toEqual(alive.map(() => 'ok'));
    const live = tabs.filter((t) => !t.closed);
    const expected = (t: Client) => [
      ...(t.uid === 'tab-7' ? ['{"uid":"tab-7","n":1}'] : []),
      ...['after-kill', 'after-respawn'].map((tag) => JSON.stringify({ uid: t.uid, tag })),
    ];
    await expect.poll(() => live.every((t) => t.inbox.length >= expected(t).length), { timeout: 5000 }).toBe(true);
    // Nothing lost, nothing misrouted, nothing twice: a plain push reaches each connection at most once, even
    // while the respawned process's links are made again.
    for (const t of live) expect({ uid: t.uid, inbox: t.inbox }).toEqual({ uid: t.uid, inbox: expected(t) });
    for (const t of texts) t.close();
    for (const t of tabs) t.ws.close();
    await server.stop();
  }, 90_000);
});
