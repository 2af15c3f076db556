import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { BUCKETS, bucketOf, ownerOf, shardOf, type Layout } from '../../worker/bucket-layout.ts';
import type { BucketKeeper } from '../../worker/bucket-handoff.ts';
import type { MemberCall } from '../../worker/group-calls.ts';
import { partsOf, type MemberCaller } from '../../worker/group-fan-out.ts';
import { GroupHome } from '../../worker/group-home.ts';
import { countByBucket, GroupIndex } from '../../worker/group-index.ts';
import { cursorOf, GroupMembers, markOf } from '../../worker/group-members.ts';
import { DurableObjectSqlDb } from '../../worker/sql-db.ts';

// A scratch object whose SQLite the tables are tried on.
let scratch = 0;
function withDb<T>(work: (db: DurableObjectSqlDb) => T | Promise<T>): Promise<T> {
  const stub = env.PUSH_HUB.get(env.PUSH_HUB.idFromName(`group-storage-${scratch++}`));
  return runInDurableObject(stub, (_, state) => work(new DurableObjectSqlDb(state.storage)));
}

const layout: Layout = { version: 1, objects: 3, reach: 3 };
const keeper = { admitBuckets: () => undefined, admitUid: () => undefined } as unknown as BucketKeeper;

describe('the member table', () => {
  it('joins all or none: a uid at MAX_GROUPS_PER_UID refuses the whole list and nothing is written', () => withDb((db) => {
    const members = new GroupMembers(db);
    expect(members.join('a', ['u1', 'u2'], 2)).toEqual(['u1', 'u2']);
    expect(members.join('b', ['u1'], 2)).toEqual(['u1']);
    expect(members.join('c', ['u2', 'u1', 'u3'], 2)).toEqual({ refused: 'uid "u1" is in 2 groups already (MAX_GROUPS_PER_UID is 2)' });
    expect(members.groupsOf('u2')).toEqual(['a']);
    expect(members.groupsOf('u3')).toEqual([]);
    // A group it is in already is no new group.
    expect(members.join('a', ['u1', 'u1'], 2)).toEqual([]);
    expect(members.leave('a', ['u1', 'nobody'])).toEqual(['u1']);
    expect(members.groupsOf('u1')).toEqual(['b']);
  }));

  it('reads members by bucket, pages in (bucket, uid) order after a mark, and counts a removal in the buckets asked', () => withDb((db) => {
    const members = new GroupMembers(db);
    const uids = Array.from({ length: 40 }, (_, i) => `m${i}`);
    members.join('g', uids, 10);
    const buckets = [...new Set(uids.map(bucketOf))];
    expect(members.uidsIn('g', buckets).sort()).toEqual([...uids].sort());
    expect(members.uidsIn('g', [buckets[0]!])).toEqual(uids.filter((u) => bucketOf(u) === buckets[0]));
    const all = members.page('g', buckets, undefined, 100, () => true);
    const sorted = [...all].sort((a, b) => a.bucket - b.bucket || (a.uid < b.uid ? -1 : 1));
    expect(all).toEqual(sorted);
    expect(members.page('g', buckets, all[9], 5, () => true)).toEqual(all.slice(10, 15));
    expect(members.page('g', buckets, undefined, 100, (u) => u.endsWith('7')).map((m) => m.uid).sort()).toEqual(['m17', 'm27', 'm37', 'm7']);
    expect(members.remove('g', buckets.slice(0, 1))).toBe(all.filter((m) => m.bucket === buckets[0]).length);
    expect(members.uidsIn('g', buckets)).toEqual([]);
  }));
});

describe('the group index', () => {
  it('counts members per bucket, never below zero, and drops a bucket that reaches it', () => withDb((db) => {
    const index = new GroupIndex(db);
    index.add('g', new Map([[5, 2], [9, 1]]));
    index.add('g', new Map([[5, 1]]));
    index.add('h', new Map([[1, 1]]));
    expect([...index.buckets('g')]).toEqual([[5, 3], [9, 1]]);
    expect(index.total('g')).toBe(4);
    expect(index.groups()).toBe(2);
    index.add('g', new Map([[9, -1], [5, -1], [7, -3]]));
    expect([...index.buckets('g')]).toEqual([[5, 2]]);
    index.add('h', new Map([[1, -5]]));
    expect(index.total('h')).toBe(0);
    expect(index.groups()).toBe(1);
    index.clear('g');
    expect(index.total('g')).toBe(0);
    expect(countByBucket(['a', 'a', 'b'], -1).get(bucketOf('a'))).toBe(-2);
  }));
});

// A home whose members live in fake objects: each answers a join as told, and records what it was asked.
function homeWith(db: DurableObjectSqlDb, joinAnswer: (shard: number, uids: string[]) => string[] | { refused: string } | Error, maxGroupMembers = 100) {
  const calls: [number, MemberCall][] = [];
  const member = (async (shard: number, call: MemberCall) => {
    calls.push([shard, call]);
    if (call.op === 'leave') return call.uids;
    if (call.op !== 'join') throw new Error(`unexpected ${call.op}`);
    const answer = joinAnswer(shard, call.uids);
    if (answer instanceof Error) throw answer;
    return answer;
  }) as MemberCaller;
  const index = new GroupIndex(db);
  const home = new GroupHome({ index, keeper, limits: { maxGroupsPerUid: 10, maxGroupMembers }, member, here: (call) => member(shardOf('g', 3), call, layout), pushed: () => {},
    currentLayout: async () => layout });
  return { home, index, calls };
}

// Uids on object 0 and on object 1 of the layout.
const uidOn = (shard: number, n: number) => Array.from({ length: 1000 }, (_, i) => `h${shard}-${i}`).filter((u) => shardOf(u, 3) === shard).slice(0, n);

describe("a group's home", () => {
  it('takes back what one object added when another refuses, so a refused join adds nobody', () => withDb(async (db) => {
    const [a, b] = uidOn(0, 2);
    const [c] = uidOn(1, 1);
    const { home, index, calls } = homeWith(db, (shard, uids) => (shard === 1 ? { refused: 'c is full' } : uids));
    expect(await home.serve({ op: 'join', group: 'g', uids: [a!, b!, c!] }, layout, 32)).toEqual({ refused: 'c is full' });
    expect(calls.filter(([, call]) => call.op === 'leave')).toEqual([[0, { op: 'leave', group: 'g', uids: [a, b] }]]);
    expect(index.total('g')).toBe(0);
  }));

  it('refuses a join that would pass MAX_GROUP_MEMBERS, counted across objects, and keeps a join that fits', () => withDb(async (db) => {
    const [a, b] = uidOn(0, 2);
    const [c, d] = uidOn(1, 2);
    const { home, index } = homeWith(db, (_, uids) => uids, 3);
    expect(await home.serve({ op: 'join', group: 'g', uids: [a!, c!] }, layout, 32)).toBe(2);
    expect(index.total('g')).toBe(2);
    const over = await home.serve({ op: 'join', group: 'g', uids: [b!, d!] }, layout, 32);
    expect(over).toEqual({ refused: 'group "g" has 2 members; 2 more would pass MAX_GROUP_MEMBERS (3)' });
    expect(index.total('g')).toBe(2);
    expect([...index.buckets('g').keys()]).toEqual([bucketOf(a!), bucketOf(c!)].sort((x, y) => x - y));
  }));

  it('takes back what was added when an object fails, and passes the failure on for the Worker to route again', () => withDb(async (db) => {
    const [a] = uidOn(0, 1);
    const [c] = uidOn(1, 1);
    const { home, index, calls } = homeWith(db, (shard, uids) => (shard === 1 ? new Error('pushport-moved: try again') : uids));
    await expect(home.serve({ op: 'join', group: 'g', uids: [a!, c!] }, layout, 32)).rejects.toThrow('pushport-moved');
    expect(calls.some(([shard, call]) => shard === 0 && call.op === 'leave')).toBe(true);
    expect(index.total('g')).toBe(0);
  }));
});

describe('fan-out parts and cursors', () => {
  it('groups buckets by their owner under the layout, in object order', () => {
    const buckets = [1, 2, 3, 100, 2000, 9000, 16000];
    const parts = partsOf(buckets, layout);
    expect(parts.map((p) => p.shard)).toEqual([...new Set(buckets.map((b) => ownerOf(b, 3)))].sort());
    for (const part of parts) for (const b of part.buckets) expect(ownerOf(b, 3)).toBe(part.shard);
    expect(parts.flatMap((p) => p.buckets).sort((x, y) => x - y)).toEqual(buckets);
    expect(partsOf(buckets, { version: 1, objects: 1, reach: 1 })).toEqual([{ shard: 0, buckets }]);
  });

  it('reads back the mark a cursor was made from, and a cursor it did not make as past the end', () => {
    for (const mark of [{ bucket: 0, uid: 'a' }, { bucket: 1234, uid: 'x.y.z' }, { bucket: 16383, uid: '' }]) expect(markOf(cursorOf(mark))).toEqual(mark);
    for (const bad of ['nope', '.a', '99999.a', '-1.a', '1e3.a']) expect(markOf(bad)).toEqual({ bucket: BUCKETS, uid: '' });
  });
});
