import { describe, expect, it } from 'vitest';
import { newHub, processes, settle, uidHomedAt } from './relay-helpers.ts';

// The orderings between processes are played by holding one process's requests and presence to another
// (its "here" among them) while everything else flows.
describe('relay: a uid that has just identified elsewhere', () => {
  it.each([
    ['lands in another process', 0],
    ['lands in the home itself', 1],
  ])('gets a push that %s before its home heard "here"', async (_, home) => {
    const { relay, targets, join } = await processes(3);
    const uid = uidHomedAt(home, 3);
    relay.hold(2, home);
    const tab = join(2, uid);
    // The home knows nothing of process 2 yet, and asks it anyway rather than answer fail.
    expect(await targets[1]!.push(uid, 'first')).toBe(1);
    expect(tab.sent).toEqual(['first']);
    relay.release(2, home);
    await settle();
    relay.sent = 0;
    expect(await targets[1]!.push(uid, 'second')).toBe(1);
    expect(tab.sent).toEqual(['first', 'second']);
    // Through the directory now: 1 → home → 2 and back, asking nobody else.
    expect(relay.sent).toBe(home === 1 ? 2 : 4);
  });

  it('gets a push after its only tab moved to another process while the "left" and "here" are in flight', async () => {
    const { relay, targets, join } = await processes(3);
    const uid = uidHomedAt(0, 3);
    const old = join(1, uid);
    await settle();
    relay.hold(1, 0);
    relay.hold(2, 0);
    relay.nodes[1]!.hub.disconnect(old);
    const moved = join(2, uid);
    // The home still lists process 1, which says none: the home then asks everyone before answering.
    expect(await targets[0]!.push(uid, 'm')).toBe(1);
    expect(moved.sent).toEqual(['m']);
    expect(old.sent).toEqual([]);
  });

  it('answers fail only when no process holds the uid', async () => {
    const { relay, targets } = await processes(3);
    relay.received.fill(0);
    expect(await targets[1]!.push(uidHomedAt(0, 3), 'm')).toBe(0);
    // Every other process was asked before the answer.
    expect(relay.received[2]).toBeGreaterThan(0);
  });
});

describe('relay: a home that restarts', () => {
  it('is told every uid again, and pushes in the meantime still arrive', async () => {
    const { relay, targets, join } = await processes(3);
    const uid = uidHomedAt(0, 3);
    const tab = join(2, uid);
    await settle();
    relay.kill(0);
    // The home is down: the origin asks every process itself.
    expect(await targets[1]!.push(uid, 'while down')).toBe(1);
    relay.restart(0, newHub());
    // Just back, before anyone re-announced: the home trusts no directory and asks everyone.
    expect(await relay.targets[0]!.push(uid, 'just back')).toBe(1);
    await settle();
    relay.sent = 0;
    expect(await targets[1]!.push(uid, 'after')).toBe(1);
    // Through the re-announced directory: 1 → home 0 → holder 2 → 0 → 1.
    expect(relay.sent).toBe(4);
    expect(tab.sent).toEqual(['while down', 'just back', 'after']);
  });

  it('forgets the uids of a process that died', async () => {
    const { relay, targets, join } = await processes(3);
    const uid = uidHomedAt(0, 3);
    join(2, uid);
    await settle();
    relay.kill(2);
    relay.restart(2, newHub());
    await settle();
    expect(await targets[1]!.push(uid, 'm')).toBe(0);
    expect(await targets[0]!.online(uid)).toBe(0);
  });
});
