import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { QUEUED } from '../../src/index.ts';
import { bucketOf, objectAt, shardOf } from '../../worker/bucket-layout.ts';
import type { Env } from '../../worker/env.ts';
import worker from '../../worker/index.ts';
import { ShardedGroups } from '../../worker/sharded-groups.ts';
import { ShardedTarget } from '../../worker/sharded-target.ts';

const SHARDS = 4;
const target = new ShardedTarget(env.PUSH_HUB, SHARDS);
const groups = new ShardedGroups(target);

// The first uid with a prefix that lands on the given object.
function uidOn(shard: number, prefix: string): string {
  for (let n = 0; ; n++) if (shardOf(`${prefix}${n}`, SHARDS) === shard) return `${prefix}${n}`;
}

async function socketOf(uid: string): Promise<string[]> {
  const res = await target.stub(shardOf(uid, SHARDS)).fetch(`http://shard/ws?uid=${encodeURIComponent(uid)}`, { headers: { Upgrade: 'websocket' } });
  const ws = res.webSocket!;
  ws.accept();
  const got: string[] = [];
  ws.addEventListener('message', (e) => void got.push(String(e.data)));
  return got;
}

/** Member rows object `index` stores for a group: what is in its table, not what it answers. */
function memberRowsOn(index: number, group: string): Promise<string[]> {
  return runInDurableObject(objectAt(env.PUSH_HUB, index), (_, state) =>
    state.storage.sql.exec<{ uid: string }>('SELECT uid FROM pushport_group_members WHERE grp = ? ORDER BY uid', group).toArray().map((r) => r.uid));
}

/** The buckets the group's home counts members in. */
function indexOn(group: string): Promise<number[]> {
  return runInDurableObject(objectAt(env.PUSH_HUB, shardOf(group, SHARDS)), (_, state) =>
    state.storage.sql.exec<{ bucket: number }>('SELECT bucket FROM pushport_group_index WHERE grp = ? AND members > 0 ORDER BY bucket', group)
      .toArray().map((r) => r.bucket));
}

async function pages(group: string, limit: number, online = false): Promise<string[][]> {
  const all: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await groups.members(group, { online, limit, ...(cursor === undefined ? {} : { cursor }) });
    all.push(page.uids);
    cursor = page.cursor;
  } while (cursor !== undefined && all.length < 100);
  return all;
}

describe('groups over four shards', () => {
  const uids = [0, 1, 2, 3, 0, 1, 2, 3, 2].map((shard, i) => uidOn(shard, `room-${i}-`));

  it('stores each member with its uid, indexes only the buckets that hold members, and pushes to members only', async () => {
    expect(new Set(uids.map((u) => shardOf(u, SHARDS))).size).toBe(SHARDS);
    expect(await groups.join('room', uids)).toBe(uids.length);
    expect(await groups.join('room', uids.slice(0, 2))).toBe(0);
    for (let shard = 0; shard < SHARDS; shard++) {
      expect(await memberRowsOn(shard, 'room')).toEqual(uids.filter((u) => shardOf(u, SHARDS) === shard).sort());
    }
    expect(await indexOn('room')).toEqual([...new Set(uids.map(bucketOf))].sort((a, b) => a - b));
    const inboxes = await Promise.all(uids.slice(0, 4).map(socketOf));
    const outsider = await socketOf(uidOn(1, 'outsider-'));
    const before = await target.stats();
    expect(await groups.pushGroup({ group: 'room', message: 'hello room' })).toBe(4);
    expect(await groups.pushGroup({ group: 'room', message: 'not to 0', except: uids[0] })).toBe(3);
    // Its writes count as delivered; the push itself in the group figures, not as a push to each uid.
    const after = await target.stats();
    expect([after.delivered - before.delivered, after.pushes - before.pushes]).toEqual([7, 0]);
    await expect.poll(() => inboxes.map((box) => box.length)).toEqual([1, 2, 2, 2]);
    expect(inboxes[1]).toEqual(['hello room', 'not to 0']);
    expect(outsider).toEqual([]);
    expect(await groups.counts('room')).toEqual({ members: 9, online: 4, connections: 4 });
    expect((await groups.groupsOf(uids[3]!))).toEqual(['room']);
    // Offline members with a ttl: queued on their own shards.
    expect(await groups.pushGroup({ group: 'offline-only', message: 'x' })).toBe(0);
    await groups.join('offline-only', uids.slice(4));
    expect(await groups.pushGroup({ group: 'offline-only', message: 'later', ttl: 60 })).toBe(QUEUED);
    expect((await target.queueFigures()).queued).toBe(5);
    const figures = (await target.figures()).groups;
    expect(figures.groups).toBe(2);
    expect(figures.pushes).toBe(4);
    const bindings = { ...env, SHARDS: String(SHARDS) } as unknown as Env;
    const metrics = await (await worker.request('/metrics', { headers: { authorization: 'Bearer test-token' } }, bindings)).text();
    expect(metrics).toMatch(/^pushport_groups 2$/m);
    expect(metrics).toMatch(/^pushport_group_pushes_total 4$/m);
    const stats = await (await worker.request('/stats', { headers: { authorization: 'Bearer test-token' } }, bindings)).json<{ groups: unknown }>();
    expect(stats.groups).toEqual({ groups: 2, pushes: 4 });
  });

  it('pages across shards in a stable order: every member once, and none that stayed is missed while others change', async () => {
    const group = 'paged';
    expect(await groups.join(group, uids)).toBe(9);
    const whole = await pages(group, 2);
    expect(whole.every((page) => page.length <= 2)).toBe(true);
    expect(whole.flat().sort()).toEqual([...uids].sort());
    expect((await pages(group, 1000)).flat().sort()).toEqual([...uids].sort());
    // Members come in (bucket, uid) order, so a page's cursor still holds when members leave and join around it.
    const first = await groups.members(group, { online: false, limit: 3 });
    const gone = first.uids[0]!;
    const stayed = whole.flat().filter((u) => u !== gone && !first.uids.includes(u));
    expect(await groups.leave(group, gone)).toBe(true);
    expect(await groups.leave(group, gone)).toBe(false);
    await groups.join(group, ['newcomer']);
    let cursor = first.cursor;
    const rest: string[] = [];
    while (cursor !== undefined) {
      const page = await groups.members(group, { online: false, limit: 3, cursor });
      rest.push(...page.uids);
      cursor = page.cursor;
    }
    for (const uid of stayed) expect(rest).toContain(uid);
    expect(new Set(rest).size).toBe(rest.length);
  });

  it('fans out through the tree past FAN_OUT: a push, the counts and a page of every member in one request', async () => {
    const narrow = new ShardedGroups(new ShardedTarget(env.PUSH_HUB, SHARDS, 2));
    // Members of its own, so the connections it reaches are only the four opened here.
    const members = [0, 1, 2, 3, 0, 1, 2, 3, 2].map((shard, i) => uidOn(shard, `tree-${i}-`));
    expect(await narrow.join('tree-room', members)).toBe(9);
    const inboxes = await Promise.all(members.slice(0, 4).map((uid) => socketOf(uid)));
    expect(await narrow.pushGroup({ group: 'tree-room', message: 'through the tree' })).toBe(4);
    await expect.poll(() => inboxes).toEqual([['through the tree'], ['through the tree'], ['through the tree'], ['through the tree']]);
    expect((await narrow.counts('tree-room')).members).toBe(9);
    const page = await narrow.members('tree-room', { online: false, limit: 1000 });
    expect([page.uids.sort(), page.cursor]).toEqual([[...members].sort(), undefined]);
  });

  it('deletes a group on every shard and forgets its index', async () => {
    await groups.join('gone', uids);
    expect(await groups.remove('gone')).toBe(9);
    for (let shard = 0; shard < SHARDS; shard++) expect(await memberRowsOn(shard, 'gone')).toEqual([]);
    expect(await indexOn('gone')).toEqual([]);
    expect(await groups.counts('gone')).toEqual({ members: 0, online: 0, connections: 0 });
    expect(await groups.remove('gone')).toBe(0);
  });

  it('answers a ttl group push that every member refused (their queues are full) with the refusal', async () => {
    const full = [uidOn(1, 'full-'), uidOn(3, 'full-')];
    await groups.join('full', full);
    // MAX_QUEUED_PER_UID is 100: fill both queues.
    const filled = await target.pushMany(full.flatMap((uid) => Array.from({ length: 100 }, (_, n) => ({ uid, message: `q${n}`, ttl: 600 }))));
    expect(filled.every((a) => a === QUEUED)).toBe(true);
    expect(await groups.pushGroup({ group: 'full', message: 'one more', ttl: 600 })).toEqual({ refused: expect.stringMatching(/queue/) });
    // One member with room is enough for the push to be taken.
    expect(await groups.join('full', [uidOn(2, 'room-for-')])).toBe(1);
    expect(await groups.pushGroup({ group: 'full', message: 'one more', ttl: 600 })).toBe(QUEUED);
  });

  it('keeps membership through the eviction of every object', async () => {
    const sleepers = [0, 1, 2, 3].map((shard, i) => uidOn(shard, `sleeper-${i}-`));
    await groups.join('sleepers', sleepers);
    expect(await groups.pushGroup({ group: 'sleepers', message: 'later', ttl: 60 })).toBe(QUEUED);
    for (let shard = 0; shard < SHARDS; shard++) await evictDurableObject(objectAt(env.PUSH_HUB, shard));
    expect(await groups.counts('sleepers')).toEqual({ members: 4, online: 0, connections: 0 });
    const inbox = await socketOf(sleepers[2]!);
    expect(await groups.pushGroup({ group: 'sleepers', message: 'awake' })).toBe(1);
    // The ttl push queued for it before the eviction comes first.
    await expect.poll(() => inbox).toEqual(['later', 'awake']);
    expect(await groups.groupsOf(sleepers[2]!)).toContain('sleepers');
  });
});
