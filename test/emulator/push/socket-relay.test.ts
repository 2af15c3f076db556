import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Hub, MemoryRegistry, defaultLimits } from '../../../src/index.ts';
import { RelayNode, RelayedTarget, homeOf } from '../../../src/relay/index.ts';
import { SocketRelay } from '../../../emulator/push/socket-relay.ts';
import { FakeSocket } from '../../src/fake-socket.ts';
import { flushAtEndOfTurn } from '../../../emulator/end-of-turn.ts';

const dir = mkdtempSync(join(tmpdir(), 'pushport-relay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const uidHomedAt = (home: number, count: number) => {
  for (let i = 0; ; i++) if (homeOf(`u${i}`, count) === home) return `u${i}`;
};

/** One "process": a hub, its relay node over a unix socket, and its push target. */
function process1(self: number, count: number, tag: string, retryMs = 20) {
  const registry = new MemoryRegistry<FakeSocket>();
  const hub = new Hub<FakeSocket>(registry, defaultLimits);
  const links = new SocketRelay({ self, count, pathOf: (i) => join(dir, `${tag}-${i}.sock`), timeoutMs: 500, retryMs });
  const node = new RelayNode(hub, links);
  registry.onUidChange = node.uidChanged;
  const join1 = (uid: string) => {
    const s = new FakeSocket();
    hub.connect(s);
    hub.receive(s, uid);
    return s;
  };
  return { hub, links, node, target: new RelayedTarget(node), join: join1 };
}

async function mesh(count: number, tag: string, live = (_: number) => true) {
  const ps = Array.from({ length: count }, (_, i) => process1(i, count, tag));
  await Promise.all(ps.map((p, i) => (live(i) ? p.links.listen(p.node) : undefined)));
  return { ps, close: () => ps.forEach((p) => p.links.close()) };
}

describe('SocketRelay between processes', () => {
  it('reaches sockets held by the other processes over unix sockets, once the directories are complete', async () => {
    const m = await mesh(3, 'a');
    const uid = uidHomedAt(1, 3);
    const far = m.ps[2]!.join(uid);
    const near = m.ps[0]!.join(uid);
    await expect.poll(() => m.ps.every((p) => p.node.directoryComplete)).toBe(true);
    expect(await m.ps[1]!.target.push(uid, 'hi')).toBe(2);
    expect(await m.ps[0]!.target.push(uid, 'again')).toBe(2);
    expect(far.sent).toEqual(['hi', 'again']);
    expect(near.sent).toEqual(['hi', 'again']);
    expect(await m.ps[0]!.target.pushMany([{ uid, message: '1' }, { uid: 'v', message: '2' }])).toEqual([2, 0]);
    expect(await m.ps[2]!.target.stats()).toMatchObject({ pushes: 4, delivered: 6, failed: 1, uids: 1 });
    m.close();
  });

  it('answers a peer only after the frame it counts has left, as a process killed in between must not yield an ok', async () => {
    const m = await mesh(2, 'g');
    const events: string[] = [];
    // A socket whose frame waits for the end of the turn, as a WebSocket's does.
    const held = new FakeSocket();
    held.send = () => (flushAtEndOfTurn({ flush: () => void events.push('frame') }), true);
    m.ps[1]!.hub.connect(held);
    m.ps[1]!.hub.receive(held, 'held');
    const reply = m.ps[1]!.links.reply.bind(m.ps[1]!.links);
    m.ps[1]!.links.reply = (peer, bytes) => (events.push('answer'), reply(peer, bytes));
    await expect.poll(() => m.ps.every((p) => p.node.directoryComplete)).toBe(true);
    expect(await m.ps[0]!.target.push('held', 'x')).toBe(1);
    expect(events).toEqual(['frame', 'answer']);
    m.close();
  });

  it('answers without a peer that is down instead of hanging', async () => {
    const m = await mesh(3, 'b', (i) => i !== 1);
    const uid = uidHomedAt(1, 3);
    m.ps[2]!.join(uid);
    await expect.poll(() => m.ps[0]!.links.connected(2)).toBe(true);
    // Process 1 is down, so process 0's directory is not complete: it asks every peer, and 1 counts as none.
    expect(await m.ps[0]!.target.push(uid, 'x')).toBe(1);
    expect(await m.ps[0]!.target.online(uid)).toBe(1);
    m.close();
  });

  it('reaches a peer from a process that has only just started, before its own links are made', async () => {
    const peer = process1(1, 2, 'd');
    await peer.links.listen(peer.node);
    const uid = uidHomedAt(1, 2);
    const held = peer.join(uid);
    const fresh = process1(0, 2, 'd');
    // As the push server does: listening starts, and pushes may land before it is done.
    const listening = fresh.links.listen(fresh.node);
    expect(await fresh.target.push(uid, 'early')).toBe(1);
    expect(held.sent).toEqual(['early']);
    await listening;
    fresh.links.close();
    peer.links.close();
  });

  it('tells a process that came back every uid it holds again', async () => {
    const m = await mesh(2, 'c');
    const uid = uidHomedAt(1, 2);
    const held = m.ps[0]!.join(uid);
    await expect.poll(() => m.ps[1]!.node.directoryComplete).toBe(true);
    m.ps[1]!.links.close();
    const back = process1(1, 2, 'c');
    await back.links.listen(back.node);
    // Whether or not process 0 has announced its uids yet, a push landing in the new process reaches the uid.
    expect(await back.target.push(uid, 'x')).toBe(1);
    await expect.poll(() => back.node.directoryComplete).toBe(true);
    expect(await back.target.push(uid, 'y')).toBe(1);
    expect(held.sent).toEqual(['x', 'y']);
    m.close();
    back.links.close();
  });

  it('links to a successor in a slot as soon as it says hello, while the process it replaces is still up', async () => {
    // Retries far beyond the test: only a link made on the successor's hello can reach it in time.
    const stays = process1(0, 2, 'e', 60_000);
    const replaced = process1(1, 2, 'e', 60_000);
    await stays.links.listen(stays.node);
    await replaced.links.listen(replaced.node);
    await expect.poll(() => stays.links.connected(1) && replaced.node.directoryComplete).toBe(true);
    // As in a reload: the successor listens and says hello; the process it replaces is still running.
    const successor = process1(1, 2, 'e', 60_000);
    await successor.links.listen(successor.node);
    const [homedHere, homedThere] = [uidHomedAt(0, 2), uidHomedAt(1, 2)];
    const held = [successor.join(homedHere), successor.join(homedThere)];
    // The successor's directory is complete once process 0 has linked to it and announced its uids.
    await expect.poll(() => successor.node.directoryComplete && stays.node.directoryComplete).toBe(true);
    expect(await stays.target.push(homedHere, 'a')).toBe(1);
    expect(await stays.target.push(homedThere, 'b')).toBe(1);
    replaced.links.close();
    expect(await stays.target.push(homedHere, 'c')).toBe(1);
    expect(await stays.target.push(homedThere, 'd')).toBe(1);
    expect(held.map((socket) => socket.sent)).toEqual([['a', 'c'], ['b', 'd']]);
    stays.links.close();
    successor.links.close();
  });
});
