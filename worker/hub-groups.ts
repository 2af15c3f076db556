import type { GroupFigures, Hub, Limits, PushAnswer, PushOptions, PushTally } from '../src/index.ts';
import { objectAt } from './bucket-layout.ts';
import type { BucketKeeper } from './bucket-handoff.ts';
import type { EdgeSocket } from './edge-socket.ts';
import type { MemberAnswers } from './group-calls.ts';
import { groupFanOut, type MemberCaller } from './group-fan-out.ts';
import { GroupHome } from './group-home.ts';
import { GroupIndex } from './group-index.ts';
import { GroupMembers } from './group-members.ts';
import { GroupShard } from './group-shard.ts';
import type { ShardMailbox } from './shard-mailbox.ts';
import type { Env } from './env.ts';
import { DurableObjectSqlDb } from './sql-db.ts';

const groupPushesKey = 'group-pushes';

/** What one PushHub's groups are made of. */
export interface HubGroupParts {
  ctx: DurableObjectState;
  env: Env;
  hub: Hub<EdgeSocket>;
  keeper: BucketKeeper;
  limits: Limits;
  mailbox: ShardMailbox;
  tally: PushTally;
  /** The object's own push to a uid: stored, delivered and counted as any uid push is. */
  push(uid: string, message: string, options: PushOptions | undefined): PushAnswer | Promise<PushAnswer>;
}

/** One object's groups: the home of the groups whose names fall in its buckets, and the members of its uids. */
export interface HubGroups {
  home: GroupHome;
  shard: GroupShard;
  /** Groups with members whose home is here, and the group pushes made from here, for /stats and /metrics. */
  figures(): GroupFigures;
}

/** Builds an object's groups on its own SQLite; a group's home calls its own members without RPC. */
export function hubGroups({ ctx, env, hub, keeper, limits, mailbox, tally, push }: HubGroupParts): HubGroups {
  const db = new DurableObjectSqlDb(ctx.storage);
  const index = new GroupIndex(db);
  const members = new GroupMembers(db);
  let groupPushes = ctx.storage.kv.get<number>(groupPushesKey) ?? 0;
  // Another object, always by RPC: a part handed on in the tree never names the object that hands it on.
  const remote: MemberCaller = (to, call, layout) =>
    objectAt(env.PUSH_HUB, to).groupMember(call, layout) as unknown as Promise<MemberAnswers[typeof call.op]>;
  const shard: GroupShard = new GroupShard({
    members, keeper, hub,
    // A member's plain push counts its writes only (the group push is counted once, by its home); a stored one
    // counts as any stored push. Written with the object's next counters write: no timer is armed for it.
    push: (uid, message, options) =>
      (mailbox.needed(uid, options?.ttl, options?.id) ? push(uid, message, options) : tally.delivered(hub.deliver(uid, message))),
    handOn: (own, parts, call, layout) => groupFanOut(own, call.group, call.task, parts, call.width, layout, remote),
  });
  const home = new GroupHome({
    index, keeper, limits, member: remote, here: (call, layout) => shard.serve(call, layout),
    currentLayout: (objects) => objectAt(env.PUSH_HUB, 0).currentLayout(objects),
    // A group push is rare next to the work it fans out: its count is written at once.
    pushed: () => ctx.storage.kv.put(groupPushesKey, ++groupPushes),
  });
  return { home, shard, figures: () => ({ groups: index.groups(), pushes: groupPushes }) };
}
