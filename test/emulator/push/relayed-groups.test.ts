import { describe, expect, it } from 'vitest';
import { GroupStore } from '../../../src/groups/group-store.ts';
import { defaultLimits } from '../../../src/index.ts';
import { RelayedGroups } from '../../../src/relay/relayed-groups.ts';
import { SqliteDb } from '../../../emulator/push/sqlite-db.ts';
import { settle } from '../../src/relay/relay-helpers.ts';
import { groupProcesses } from './group-processes.ts';

describe('RelayedGroups (processes relayed in memory, one store)', () => {
  it('reaches every connection of every member in every process once, and nobody else nor except', async () => {
    const { join, groups } = await groupProcesses(3);
    expect(await groups[0]!.join('room', ['a', 'b', 'gone'])).toBe(3);
    const a = join(1, 'a');
    const b1 = join(2, 'b');
    const b2 = join(2, 'b');
    const outsider = join(0, 'c');
    await settle();
    expect(await groups[0]!.pushGroup({ group: 'room', message: 'm1' })).toBe(3);
    expect(await groups[1]!.pushGroup({ group: 'room', message: 'm2', except: 'b' })).toBe(1);
    expect(a.sent).toEqual(['m1', 'm2']);
    expect(b1.sent).toEqual(['m1']);
    expect(b2.sent).toEqual(['m1']);
    expect(outsider.sent).toEqual([]);
    expect(await groups[2]!.counts('room')).toEqual({ members: 3, online: 2, connections: 3 });
    expect((await groups[0]!.members('room', { online: true, limit: 1 }))).toEqual({ uids: ['a'], cursor: 'a' });
    expect((await groups[0]!.members('room', { online: true, limit: 1, cursor: 'a' }))).toEqual({ uids: ['b'] });
  });

  it('crosses only to the processes that hold members', async () => {
    const { join, groups, relay } = await groupProcesses(3);
    await groups[0]!.join('solo', ['m']);
    const m = join(1, 'm');
    join(2, 'other');
    await settle();
    const before = [...relay.received];
    expect(await groups[0]!.pushGroup({ group: 'solo', message: 'x' })).toBe(1);
    await settle();
    expect(m.sent).toEqual(['x']);
    expect(relay.received[1]).toBe(before[1]! + 1);
    expect(relay.received[2]).toBe(before[2]);
  });

  it('follows joins, leaves and deletes made in another process for a uid online elsewhere, before answering them', async () => {
    const { join, groups, relay } = await groupProcesses(2);
    const u = join(1, 'u');
    await settle();
    // Answered once every process knows: a push right after it, from anywhere, sees the change.
    relay.hold(0, 1);
    let answered = false;
    const joined = groups[0]!.join('later', ['u']).then((n) => ((answered = true), n));
    await settle();
    expect(answered).toBe(false);
    relay.release(0, 1);
    expect(await joined).toBe(1);
    expect(await groups[1]!.pushGroup({ group: 'later', message: 'in' })).toBe(1);
    expect(await groups[0]!.leave('later', 'u')).toBe(true);
    expect(await groups[1]!.pushGroup({ group: 'later', message: 'out' })).toBe(0);
    await groups[1]!.join('doomed', ['u']);
    expect(await groups[0]!.remove('doomed')).toBe(1);
    expect(await groups[1]!.pushGroup({ group: 'doomed', message: 'gone' })).toBe(0);
    expect(u.sent).toEqual(['in']);
    expect(await groups[1]!.groupsOf('u')).toEqual([]);
  });

  it('reaches a member whose groupHere is still on its way (asks every peer before answering 0)', async () => {
    const { join, groups, relay } = await groupProcesses(2);
    await groups[0]!.join('race', ['r']);
    await settle();
    relay.hold(1, 0);
    const r = join(1, 'r');
    const answer = groups[0]!.pushGroup({ group: 'race', message: 'now' });
    relay.release(1, 0);
    expect(await answer).toBe(1);
    expect(r.sent).toEqual(['now']);
  });

  it('refuses a join past a limit, all or nothing', async () => {
    const { relay } = await groupProcesses(1);
    const small = new RelayedGroups(relay.nodes[0]!, {
      open: () => new GroupStore(new SqliteDb(':memory:'), { maxGroupMembers: 2, maxGroupsPerUid: 1 }), exists: () => true,
      target: undefined as never,
    });
    expect(await small.join('g', ['a', 'b', 'c'])).toEqual({ refused: expect.stringContaining('MAX_GROUP_MEMBERS (2)') });
    expect(await small.join('g', ['a'])).toBe(1);
    expect(await small.join('h', ['a'])).toEqual({ refused: expect.stringContaining('MAX_GROUPS_PER_UID is 1') });
    expect(await small.counts('g')).toEqual({ members: 1, online: 0, connections: 0 });
  });
});
