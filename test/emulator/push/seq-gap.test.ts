import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteDb } from '../../../emulator/push/sqlite-db.ts';
import { DurablePushes, Mailbox, QUEUED, defaultLimits } from '../../../src/index.ts';
import { FakeSocket } from '../../src/fake-socket.ts';
import { processes, settle, uidHomedAt } from '../../src/relay/relay-helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'pushport-seq-gap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** Processes sharing one store, each hub filling its gaps from it as push-server wires it; one v1 tab of `uid` in `at`. */
async function withV1Tab(count: number, uid: (count: number) => string, at: number) {
  const store = new SqliteDb(join(dir, `gap-${++files}.db`));
  const p = await processes(count);
  for (const node of p.relay.nodes) {
    const durable = new DurablePushes(new Mailbox(store, defaultLimits));
    node.stored.storeIn(() => durable);
    node.stored.openStore();
    node.hub.readStoredBetween = (u, after, before) => durable.mailbox.between(u, after, before);
    node.onLinkChange = () => node.hub.catchUp();
  }
  const id = uid(count);
  const tab = new FakeSocket();
  tab.v1 = true;
  const node = p.relay.nodes[at]!;
  node.hub.connect(tab);
  node.hub.identify(tab, id);
  node.stored.welcome(tab, id, undefined);
  await settle();
  return { ...p, uid: id, tab };
}

// The two ways a plain pushport.v1 client lost a push through a reload at count 2 (resume-plain.test.ts):
// each is played here frame by frame.
describe('a v1 socket that misses seqs gets them from the store before the next one', () => {
  it('gets a push answered queued while its process could not be reached, once a later push comes', async () => {
    const { relay, targets, uid, tab } = await withV1Tab(2, (n) => uidHomedAt(0, n), 1);
    expect(await targets[0]!.push(uid, 'a', { ttl: 60 })).toBe(1);
    // The home is restarting: its link to the tab's process is down, so the push waits in the store.
    relay.cut(0, 1);
    expect(await targets[0]!.push(uid, 'b', { ttl: 60 })).toBe(QUEUED);
    relay.mend(0, 1);
    expect(await targets[0]!.push(uid, 'c', { ttl: 60 })).toBe(1);
    expect(tab.sent).toEqual(['1 a', '2 b', '3 c']);
    // Delivered now, it is no longer queued: a client that comes without since does not get it again.
    expect(relay.nodes[0]!.stored.store!.mailbox.backlog(uid, undefined)).toEqual([]);
  });

  it('gets a push answered queued while its process could not be reached, once that process can reach it again', async () => {
    const { relay, targets, uid, tab } = await withV1Tab(2, (n) => uidHomedAt(0, n), 1);
    expect(await targets[0]!.push(uid, 'a', { ttl: 60 })).toBe(1);
    relay.cut(0, 1);
    expect(await targets[0]!.push(uid, 'b', { ttl: 60 })).toBe(QUEUED);
    expect(tab.sent).toEqual(['1 a']);
    // The link is remade: the home tells its uids again and says "synced". No later push is needed.
    relay.mend(0, 1);
    relay.nodes[0]!.linkUp(1);
    await settle();
    expect(tab.sent).toEqual(['1 a', '2 b']);
  });

  it('gets a lower seq that arrives after a higher one (two processes stored them while the home was away) once, in order', async () => {
    const { relay, targets, uid, tab } = await withV1Tab(3, (n) => uidHomedAt(0, n), 2);
    expect(await targets[0]!.push(uid, 'a')).toBe(1);
    // The home stores seq 2; its frame to the tab's process is slow.
    relay.hold(0, 2);
    const second = targets[0]!.push(uid, 'b');
    await settle();
    // Process 1 cannot reach the home: it stores seq 3 itself and sends it to every process.
    relay.cut(1, 0);
    expect(await targets[1]!.push(uid, 'c')).toBe(1);
    relay.release(0, 2);
    expect(await second).toBe(1);
    expect(tab.sent).toEqual(['1 a', '2 b', '3 c']);
  });

  it('counts a gap after `since` for a resumed client, before it got anything live', async () => {
    const { relay, targets, uid } = await withV1Tab(2, (n) => uidHomedAt(0, n), 1);
    for (const m of ['a', 'b']) await targets[0]!.push(uid, m, { ttl: 60 });
    const node = relay.nodes[1]!;
    const back = new FakeSocket();
    back.v1 = true;
    node.hub.connect(back);
    node.hub.identify(back, uid);
    node.stored.welcome(back, uid, 2);
    await settle();
    relay.cut(0, 1);
    await targets[0]!.push(uid, 'c', { ttl: 60 });
    relay.mend(0, 1);
    await targets[0]!.push(uid, 'd', { ttl: 60 });
    expect(back.sent).toEqual(['3 c', '4 d']);
  });
});
