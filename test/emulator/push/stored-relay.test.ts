import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteDb } from '../../../emulator/push/sqlite-db.ts';
import { DurablePushes, Mailbox, QUEUED, defaultLimits, refusal } from '../../../src/index.ts';
import type { RelayNode } from '../../../src/relay/index.ts';
import { FakeSocket } from '../../src/fake-socket.ts';
import { processes, settle, uidHomedAt } from '../../src/relay/relay-helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'pushport-stored-relay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let stores = 0;

/**
 * `count` relayed processes that share one store, as the processes of one server do. Here they share one
 * connection too: they run in one thread, where a second connection would wait on the first one's commit.
 */
async function storedProcesses(count: number, limits = {}) {
  const store = new SqliteDb(join(dir, `store-${++stores}.db`));
  const p = await processes(count);
  for (const node of p.relay.nodes) {
    node.stored.storeIn(() => new DurablePushes(new Mailbox(store, { ...defaultLimits, ...limits })));
    node.stored.openStore();
  }
  return p;
}

describe('stored pushes across processes', () => {
  it('numbers a v1 uid\'s pushes in one sequence wherever they land, and plain tabs get the raw message', async () => {
    const { targets, client } = await storedProcesses(3);
    const uid = uidHomedAt(0, 3);
    const v1 = client(2, uid, true);
    const plain = client(1, uid, false);
    await settle();
    const answers = await Promise.all([0, 1, 2, 1, 0].map((at, n) => targets[at]!.push(uid, `m${n}`)));
    expect(answers).toEqual([2, 2, 2, 2, 2]);
    // Seqs follow the order pushes reach the home (one landed there directly), with no gap and no repeat.
    expect(v1.sent.map((m) => Number(m.split(' ')[0]))).toEqual([1, 2, 3, 4, 5]);
    expect(v1.sent.map((m) => m.split(' ')[1]).sort()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    expect(plain.sent).toEqual(v1.sent.map((m) => m.split(' ')[1]));
  });

  it('queues a ttl push wherever it lands and hands it to the client in whichever process it identifies', async () => {
    const { targets, client } = await storedProcesses(2);
    const uid = uidHomedAt(1, 2);
    expect(await targets[0]!.push(uid, 'a', { ttl: 60 })).toBe(QUEUED);
    expect(await targets[1]!.push(uid, 'b', { ttl: 60 })).toBe(QUEUED);
    expect(await targets[0]!.push(uid, 'c')).toBe(0);
    const socket = client(0, uid, false);
    expect(socket.sent).toEqual(['a', 'b']);
    await settle();
    expect(await targets[1]!.push(uid, 'd', { ttl: 60 })).toBe(1);
    expect(socket.sent).toEqual(['a', 'b', 'd']);
    expect((await targets[0]!.stats()).queued).toBe(2);
  });

  it('sends a plain push after a stored push to the same uid pushed before it, though the store commits later', async () => {
    const { targets, client } = await storedProcesses(2);
    const uid = uidHomedAt(0, 2);
    const here = client(0, uid, false);
    const there = client(1, uid, false);
    await settle();
    // One synchronous run, as one chunk of text lines: the stored push waits for the run's commit.
    const answers = [targets[0]!.push(uid, 'stored', { ttl: 60 }), targets[0]!.push(uid, 'plain')];
    expect(await Promise.all(answers)).toEqual([2, 2]);
    expect(here.sent).toEqual(['stored', 'plain']);
    expect(there.sent).toEqual(['stored', 'plain']);
  });

  it('answers a repeated id like the first, from any process, and delivers it once', async () => {
    const { targets, client } = await storedProcesses(2);
    const uid = uidHomedAt(0, 2);
    const socket = client(1, uid, false);
    await settle();
    expect(await targets[1]!.push(uid, 'x', { id: 'k' })).toBe(1);
    expect(await targets[0]!.push(uid, 'x', { id: 'k' })).toBe(1);
    expect(socket.sent).toEqual(['x']);
  });

  it('refuses past the queue bound through the relay with the reason', async () => {
    const { targets } = await storedProcesses(2, { maxQueuedPerUid: 1 });
    const uid = uidHomedAt(1, 2);
    expect(await targets[0]!.push(uid, 'a', { ttl: 60 })).toBe(QUEUED);
    expect(await targets[0]!.push(uid, 'b', { ttl: 60 })).toEqual(refusal('queue full: 1 pushes wait for this uid already (MAX_QUEUED_PER_UID)'));
    expect(await targets[0]!.pushMany([{ uid, message: 'c', ttl: 60 }])).toEqual([refusal(expect.stringMatching(/^queue full/))]);
  });

  it('resumes a v1 client after since, sends a push that reaches it twice only once, and marks the uid in every process', async () => {
    const { relay, targets, client } = await storedProcesses(2);
    const uid = uidHomedAt(0, 2);
    const first = client(1, uid, true);
    await settle();
    expect(relay.nodes[0]!.stored.store!.needed(uid, undefined, undefined)).toBe(true);
    await targets[0]!.push(uid, 'a');
    first.closed = { code: 1006, reason: '' };
    relay.nodes[1]!.hub.disconnect(first);
    await settle();
    // Offline: answered fail, but kept because the uid is marked.
    expect(await targets[1]!.push(uid, 'b')).toBe(0);
    const back = client(0, uid, true, 1);
    expect(back.sent).toEqual(['2 b']);
    // The same seq again (the store's backlog raced a live delivery): sent once.
    relay.nodes[0]!.hub.deliverSeq(uid, 'b', 2);
    expect(back.sent).toEqual(['2 b']);
  });

  it('stores and asks everyone itself when the uid\'s home is down', async () => {
    const { relay, targets, client } = await storedProcesses(3);
    const uid = uidHomedAt(2, 3);
    const socket = client(1, uid, true);
    await settle();
    relay.kill(2);
    expect(await targets[0]!.push(uid, 'x', { ttl: 60 })).toBe(1);
    expect(socket.sent).toEqual(['1 x']);
  });

  it('puts a push stored between a v1 socket\'s identify and its backlog read in the backlog, once and in order (count 1)', async () => {
    const { relay, targets } = await storedProcesses(1);
    const uid = 'r1';
    expect(await targets[0]!.push(uid, 'a', { ttl: 60 })).toBe(QUEUED);
    expect(await targets[0]!.push(uid, 'b', { ttl: 60 })).toBe(QUEUED);
    const node = relay.nodes[0] as RelayNode<FakeSocket>;
    const socket = new FakeSocket();
    socket.v1 = true;
    node.hub.connect(socket);
    node.hub.identify(socket, uid);
    // Registered for live delivery, backlog not read yet: a push lands.
    expect(await targets[0]!.push(uid, 'c', { ttl: 60 })).toBe(1);
    node.stored.welcome(socket, uid, 1);
    expect(socket.sent).toEqual(['2 b', '3 c']);
  });

  it('reads a v1 socket\'s backlog only once the uid\'s home has its "here", so a push the home stores meanwhile is not lost', async () => {
    const { relay, targets, client } = await storedProcesses(2);
    const uid = uidHomedAt(0, 2);
    const tab = client(0, uid, true);
    await settle();
    // The second tab's process has not told the home yet when the next push is stored: the home's directory
    // lists nobody else, and its own tab takes the push.
    relay.hold(1, 0);
    const other = client(1, uid, true, 0);
    expect(await targets[0]!.push(uid, 'a', { ttl: 60 })).toBe(1);
    relay.release(1, 0);
    await settle();
    expect(await targets[1]!.push(uid, 'b', { ttl: 60 })).toBe(2);
    expect(tab.sent).toEqual(['1 a', '2 b']);
    expect(other.sent).toEqual(['1 a', '2 b']);
  });

  it('reads a v1 socket\'s backlog only once the home can reach its process, as after a restart', async () => {
    const { relay, targets, client } = await storedProcesses(2);
    const uid = uidHomedAt(0, 2);
    // Process 1 has just started: the home's link to it is not made yet, so it has not said "synced" there.
    relay.cut(0, 1);
    relay.nodes[1]!.peerReset(0);
    const socket = client(1, uid, true, 0);
    await settle();
    // The home has the "here" but cannot deliver to process 1: the push waits in the queue.
    expect(await targets[0]!.push(uid, 'a', { ttl: 60 })).toBe(QUEUED);
    relay.mend(0, 1);
    relay.nodes[0]!.linkUp(1);
    await settle();
    expect(socket.sent).toEqual(['1 a']);
    expect(await targets[0]!.push(uid, 'b', { ttl: 60 })).toBe(1);
    expect(socket.sent).toEqual(['1 a', '2 b']);
  });

  it('closes a v1 socket whose process cannot open the store, rather than hold its pushes: they wait for its client', async () => {
    const store = new SqliteDb(join(dir, `store-${++stores}.db`));
    const { relay, targets } = await processes(2);
    const uid = uidHomedAt(0, 2);
    const mailbox = () => new DurablePushes(new Mailbox(store, defaultLimits));
    relay.nodes[0]!.stored.storeIn(mailbox);
    // Process 1's first open fails, as when two processes made a new store at once.
    relay.nodes[1]!.stored.storeIn(() => {
      throw new Error('database is locked');
    });
    const node = relay.nodes[1] as RelayNode<FakeSocket>;
    const socket = new FakeSocket();
    socket.v1 = true;
    node.hub.connect(socket);
    node.hub.identify(socket, uid);
    expect(() => node.stored.welcome(socket, uid, undefined)).toThrow('database is locked');
    expect(socket.closed?.code).toBe(1011);
    await settle();
    // Nobody holds it now: the push waits in the store, rather than being answered 1 for a socket that never sends it.
    expect(await targets[0]!.push(uid, 'a', { ttl: 60 })).toBe(QUEUED);
    expect(socket.sent).toEqual([]);
    // Its client comes back once the store opens, and gets it.
    relay.nodes[1]!.stored.storeIn(mailbox);
    const back = new FakeSocket();
    back.v1 = true;
    node.hub.connect(back);
    node.hub.identify(back, uid);
    node.stored.welcome(back, uid, undefined);
    await settle();
    expect(back.sent).toEqual(['1 a']);
  });
});
