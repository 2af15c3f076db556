import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { QUEUED } from '../../src/index.ts';
import { objectAt, shardOf } from '../../worker/bucket-layout.ts';
import type { Env } from '../../worker/env.ts';
import worker from '../../worker/index.ts';
import { ShardedGroups } from '../../worker/sharded-groups.ts';
import { ShardedTarget } from '../../worker/sharded-target.ts';

// Each pair is one Worker instance: it proposes its SHARDS once, as a redeployed Worker does.
const instance = (shards: number) => {
  const target = new ShardedTarget(env.PUSH_HUB, shards);
  return { target, groups: new ShardedGroups(target) };
};
const withShards = (shards: number) => ({ ...env, SHARDS: String(shards) }) as unknown as Env;
const find = (test: (name: string) => boolean, prefix: string) => {
  for (let n = 0; ; n++) if (test(`${prefix}${n}`)) return `${prefix}${n}`;
};
const movesTo2 = (name: string) => shardOf(name, 2) === 0 && shardOf(name, 3) === 2;
const staysOn1 = (name: string) => shardOf(name, 2) === 1 && shardOf(name, 3) === 1;

// A group whose home moves from object 0 to object 2 when 2 objects grow to 3, and one whose home stays on 1;
// a member whose uid moves with it, and one that stays.
const room = find(movesTo2, 'room-');
const other = find(staysOn1, 'other-');
// A group whose home is object 0 under both layouts: it reads the layout in force from itself.
const lobby = find((name) => shardOf(name, 2) === 0 && shardOf(name, 3) === 0, 'lobby-');
const mover = find(movesTo2, 'mover-');
const stayer = find(staysOn1, 'stayer-');

/** Rows object `index` stores: the group's index there, and the memberships of a uid. */
function rowsOn(index: number, group: string, uid: string): Promise<{ index: number; members: number }> {
  return runInDurableObject(objectAt(env.PUSH_HUB, index), (_, state) => ({
    index: state.storage.sql.exec<{ n: number }>('SELECT count(*) AS n FROM pushport_group_index WHERE grp = ?', group).one().n,
    members: state.storage.sql.exec<{ n: number }>('SELECT count(*) AS n FROM pushport_group_members WHERE uid = ?', uid).one().n,
  }));
}

/** A plain client through the Worker deployed with `shards` objects, with what it received. */
async function clientOf(shards: number, uid: string) {
  const res = await worker.request(`/ws?uid=${uid}`, { headers: { Upgrade: 'websocket' } }, withShards(shards));
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  ws.accept();
  const got: string[] = [];
  ws.addEventListener('message', (e) => void got.push(String(e.data)));
  const closed = new Promise<number>((resolve) => ws.addEventListener('close', (e) => resolve(e.code)));
  return { ws, got, closed };
}

describe('a layout change hands membership over with the uid, and a group index with the group name', () => {
  it('2 → 3 → 2: members, their groups and the index follow; an instance on the old layout follows too', async () => {
    const two = instance(2);
    expect(await two.groups.join(room, [mover, stayer])).toBe(2);
    expect(await two.groups.join(other, [mover])).toBe(1);
    expect(await two.groups.join(lobby, [mover])).toBe(1);
    expect(await two.groups.pushGroup({ group: room, message: 'queued for both', ttl: 600 })).toBe(QUEUED);
    expect(await rowsOn(0, room, mover)).toEqual({ index: 2, members: 3 });
    const stayerBefore = await clientOf(2, stayer);
    await expect.poll(() => stayerBefore.got).toEqual(['queued for both']);
    // Another Worker instance of the 2-object deployment, which will still route by it after the growth.
    const stale = instance(2);
    expect(await stale.groups.counts(other)).toEqual({ members: 1, online: 0, connections: 0 });

    // Grown to 3: the first call for the room takes its index over, then each member's object takes its bucket.
    const three = instance(3);
    expect(await three.groups.counts(room)).toEqual({ members: 2, online: 1, connections: 1 });
    expect(await rowsOn(0, room, mover)).toEqual({ index: 0, members: 0 });
    expect(await rowsOn(2, room, mover)).toEqual({ index: 2, members: 3 });
    expect((await three.groups.groupsOf(mover)).sort()).toEqual([other, room, lobby].sort());
    const moverNow = await clientOf(3, mover);
    await expect.poll(() => moverNow.got).toEqual(['queued for both']);
    // The other group's home did not move, but its member did: the home, called by the stale layout, finds the
    // member's old object gave the bucket away, reads the layout in force, and sends that part again.
    expect(await stale.groups.pushGroup({ group: other, message: 'stale other' })).toBe(1);
    expect(await stale.groups.pushGroup({ group: lobby, message: 'stale lobby' })).toBe(1);
    await expect.poll(() => moverNow.got).toEqual(['queued for both', 'stale other', 'stale lobby']);
    moverNow.got.splice(1);
    expect(await three.groups.pushGroup({ group: room, message: 'after growth' })).toBe(2);
    // The instance that still routes by 2 objects is told the home moved, and follows the layout.
    expect(await two.groups.pushGroup({ group: room, message: 'from the old instance' })).toBe(2);
    expect(await two.groups.pushGroup({ group: other, message: 'other room', except: stayer })).toBe(1);
    await expect.poll(() => moverNow.got).toEqual(['queued for both', 'after growth', 'from the old instance', 'other room']);
    await expect.poll(() => stayerBefore.got).toEqual(['queued for both', 'after growth', 'from the old instance']);
    const parts = await (await worker.request('/stats', { headers: { authorization: 'Bearer test-token' } }, withShards(3))).json<{ groups: unknown }>();
    // Counted where each push was made (object 0 for the first), and summed over every object any layout used.
    expect(parts.groups).toEqual({ groups: 3, pushes: 6 });

    // Shrunk back to 2: the room's index and the mover's memberships return to object 0.
    const twoAgain = instance(2);
    expect(await twoAgain.groups.leave(room, stayer)).toBe(true);
    // The push takes the mover's bucket back to object 0, which closes its socket on object 2 first.
    expect(await twoAgain.groups.pushGroup({ group: room, message: 'back on two', ttl: 600 })).toBe(QUEUED);
    expect(await moverNow.closed).toBe(1012);
    const moverBack = await clientOf(2, mover);
    await expect.poll(() => moverBack.got).toEqual(['back on two']);
    expect(await rowsOn(2, room, mover)).toEqual({ index: 0, members: 0 });
    expect(await rowsOn(0, room, mover)).toEqual({ index: 1, members: 3 });
    expect((await twoAgain.groups.members(room, { online: false, limit: 10 })).uids).toEqual([mover]);
    for (const c of [stayerBefore, moverBack]) c.ws.close(1000);
  });
});
