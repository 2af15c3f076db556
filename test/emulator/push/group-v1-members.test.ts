import { afterEach, describe, expect, it } from 'vitest';
import { settle, uidHomedAt } from '../../src/relay/relay-helpers.ts';
import { groupProcesses } from './group-processes.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((dispose) => dispose()));

async function twoProcesses() {
  const p = await groupProcesses(2, true);
  cleanups.push(p.dispose);
  return p;
}

describe('a plain group push to pushport.v1 members (count 2, one store)', () => {
  it('gives a v1 member its own seq through its home in the other process, once, in order with its uid pushes', async () => {
    const { groups, targets, client } = await twoProcesses();
    // The push lands in process 0; the v1 member's home is process 1, its v1 tab is in 0 and a plain tab in 1.
    const v = uidHomedAt(1, 2, 'v');
    await groups[1]!.join('room', [v, 'p']);
    const v1 = client(0, v, true);
    const vPlain = client(1, v, false);
    const p = client(1, 'p', false);
    await settle();
    expect(await groups[0]!.pushGroup({ group: 'room', message: 'm1' })).toBe(3);
    expect(await targets[1]!.push(v, 'own')).toBe(2);
    expect(await groups[0]!.pushGroup({ group: 'room', message: 'm2', except: 'p' })).toBe(2);
    await settle();
    expect(v1.sent).toEqual(['1 m1', '2 own', '3 m2']);
    expect(vPlain.sent).toEqual(['m1', 'own', 'm2']);
    expect(p.sent).toEqual(['m1']);
    // Stored for the member: a client resuming from before the first gets them again, with the same seqs.
    const resumed = client(1, v, true, 0);
    await settle();
    expect(resumed.sent).toEqual(['1 m1', '2 own', '3 m2']);
  });

  it('stores it for a member marked in another process after the first group push, and for one that joins while marked', async () => {
    const { groups, client, hubOf } = await twoProcesses();
    const w = uidHomedAt(0, 2, 'w');
    await groups[0]!.join('room', [w]);
    const plain = client(0, w, false);
    await settle();
    // No v1 client yet: the fast path, not stored.
    expect(await groups[0]!.pushGroup({ group: 'room', message: 'fast' })).toBe(1);
    const v1 = client(1, w, true);
    const x = uidHomedAt(1, 2, 'x');
    const xv1 = client(1, x, true);
    await settle();
    await groups[1]!.join('room', [x]);
    expect(await groups[0]!.pushGroup({ group: 'room', message: 'kept' })).toBe(3);
    await settle();
    expect(plain.sent).toEqual(['fast', 'kept']);
    expect(v1.sent).toEqual(['1 kept']);
    expect(xv1.sent).toEqual(['1 kept']);
    // Its v1 tab gone, the member still has it kept for resume; one that left gets nothing.
    hubOf(1).disconnect(v1);
    await groups[0]!.leave('room', x);
    await settle();
    expect(await groups[1]!.pushGroup({ group: 'room', message: 'later' })).toBe(1);
    await settle();
    expect(plain.sent).toEqual(['fast', 'kept', 'later']);
    expect(xv1.sent).toEqual(['1 kept']);
    const back = client(0, w, true, 1);
    await settle();
    expect(back.sent).toEqual(['2 later']);
  });

  it('goes the fast way again once a member\'s mark is swept', async () => {
    const { groups, relay, client } = await twoProcesses();
    const v = uidHomedAt(1, 2, 'v');
    await groups[0]!.join('room', [v]);
    const v1 = client(0, v, true);
    await settle();
    expect(await groups[0]!.pushGroup({ group: 'room', message: 'kept' })).toBe(1);
    for (const node of relay.nodes) node.stored.store!.mailbox.sweep(Date.now() + 2 * 86_400_000);
    expect(await groups[0]!.pushGroup({ group: 'room', message: 'plain' })).toBe(1);
    await settle();
    expect(v1.sent).toEqual(['1 kept', '0 plain']);
  });
});
