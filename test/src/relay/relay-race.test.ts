import { describe, expect, it } from 'vitest';
import { newHub, processes, settle, uidHomedAt } from './relay-helpers.ts';

// The orderings between processes are played by holding one process's requests and presence to another
// (its "here" among them) while everything else flows.
describe('relay: a uid that has just identified elsewhere', () => {
  it('gets a push that lands in a process that has not heard "here" yet', async () => {
    const { relay, targets, join } = await processes(3);
    const uid = uidHomedAt(0, 3);
    relay.hold(2, 1);
    const tab = join(2, uid);
    // Process 1 knows nothing of process 2's tab yet, and asks every process rather than answer fail.
    relay.received.fill(0);
    expect(await targets[1]!.push(uid, 'first')).toBe(1);
    expect(tab.sent).toEqual(['first']);
    expect(relay.received[0]).toBeGreaterThan(0);
    relay.release(2, 1);
    await settle();
    relay.sent = 0;
    expect(await targets[1]!.push(uid, 'second')).toBe(1);
    expect(tab.sent).toEqual(['first', 'second']);
    // Through the directory now: 1 → 2 and back, asking nobody else.
    expect(relay.sent).toBe(2);
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
    // Process 0 still lists process 1, which says none: 0 then asks everyone before answering.
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

describe('relay: a process that restarts', () => {
  it('is told every uid again, and pushes in the meantime still arrive', async () => {
    const { relay, targets, join } = await processes(3);
    const uid = uidHomedAt(0, 3);
    const tab = join(2, uid);
    await settle();
    relay.kill(0);
    // A process that is down plays no part in a push between two others.
    relay.sent = 0;
    expect(await targets[1]!.push(uid, 'while down')).toBe(1);
    expect(relay.sent).toBe(2);
    relay.restart(0, newHub());
    // Just back, before anyone re-announced: it trusts no directory and asks everyone.
    expect(await relay.targets[0]!.push(uid, 'just back')).toBe(1);
    await settle();
    relay.sent = 0;
    expect(await relay.targets[0]!.push(uid, 'after')).toBe(1);
    // Through the re-announced directory: 0 → holder 2 → 0.
    expect(relay.sent).toBe(2);
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
