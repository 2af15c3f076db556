import { groupFull, type Limits, type MemberPage, type MemberQuery } from '../src/index.ts';
import { shardOf, type Layout } from './bucket-layout.ts';
import { rerouteDelay, type BucketKeeper } from './bucket-handoff.ts';
import {
  noSum, type GroupSum, type GroupTask, type HomeAnswers, type HomeCall, type HomeCallOf, type MemberAnswers, type MemberCall, type MemberCallOf,
} from './group-calls.ts';
import { groupFanOut, partsOf, type MemberCaller } from './group-fan-out.ts';
import { countByBucket, type GroupIndex } from './group-index.ts';
import { cursorOf, markOf } from './group-members.ts';
import type { Gathered } from './shard-tree.ts';

/** What a group's home needs from the object it lives in. */
export interface GroupHomeParts {
  index: GroupIndex;
  keeper: BucketKeeper;
  limits: Pick<Limits, 'maxGroupsPerUid' | 'maxGroupMembers'>;
  /** Calls another object. */
  member: MemberCaller;
  /** Serves a member call here, without RPC: the home's own members. */
  here: <K extends MemberCall['op']>(call: MemberCallOf<K>, layout: Layout) => Promise<MemberAnswers[K]>;
  /** The layout in force, from object 0: for the parts of a fan-out that met a later layout than the caller's. */
  currentLayout(objects: number): Promise<Layout>;
  /** A group push was made from here: counted for pushport_group_pushes_total. */
  pushed(): void;
}

/** The groups whose names fall in this object's buckets: their index, their limits, and every fan-out to members. */
export class GroupHome {
  private readonly parts: GroupHomeParts;
  // Changes to one group's membership one at a time, so the member count it checks is the one it changes.
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(parts: GroupHomeParts) {
    this.parts = parts;
  }

  /**
   * Serves one call from the Worker, once the bucket of the group's name is held here under `layout`; a fan-out
   * calls at most `width` objects from each one (the Worker's FAN_OUT).
   */
  async serve<K extends HomeCall['op']>(call: HomeCallOf<K>, layout: Layout, width: number): Promise<HomeAnswers[K]> {
    const asked = call as HomeCall;
    const group = asked.op === 'push' ? asked.push.group : asked.group;
    await this.parts.keeper.admitUid(group, layout);
    // This object, as the layout it was called by names it: it serves its own members in place.
    const self = shardOf(group, layout.objects);
    const member: MemberCaller = (to, memberCall, by) => (to === self ? this.parts.here(memberCall, by) : this.parts.member(to, memberCall, by));
    return (await this.answer(asked, group, { ...layout, width, member })) as HomeAnswers[K];
  }

  private async answer(call: HomeCall, group: string, layout: Routed): Promise<HomeAnswers[HomeCall['op']]> {
    switch (call.op) {
      case 'join': return this.locked(group, () => this.join(group, call.uids, layout));
      case 'leave': return this.locked(group, () => this.leave(group, call.uid, layout));
      case 'remove': return this.locked(group, async () => {
        const got = await this.fanOut(group, { kind: 'remove' }, layout);
        if (got.missing.length === 0) this.parts.index.clear(group);
        return got;
      });
      case 'counts': return this.fanOut(group, { kind: 'counts' }, layout);
      case 'members': return this.page(group, call.query, layout);
      case 'push':
        this.parts.pushed();
        return this.fanOut(group, { kind: 'push', push: call.push }, layout);
    }
  }

  // All or none: a uid over its MAX_GROUPS_PER_UID on its object, or the group past MAX_GROUP_MEMBERS once the
  // objects said who was new, takes back those that were added.
  private async join(group: string, uids: string[], layout: Routed): Promise<HomeAnswers['join']> {
    const { index, limits } = this.parts;
    const { member } = layout;
    const before = index.total(group);
    const asked = countByBucket(new Set(uids));
    // Counted before the members are written: a crash between leaves the count high, never low.
    index.add(group, asked);
    const settled = await Promise.allSettled([...byObject(uids, layout)].map(([shard, list]) =>
      member(shard, { op: 'join', group, uids: list, maxGroups: limits.maxGroupsPerUid }, layoutOf(layout))));
    const added: string[] = [];
    let refused: string | undefined;
    let failed: unknown;
    for (const answer of settled) {
      if (answer.status === 'rejected') failed ??= answer.reason;
      else if (Array.isArray(answer.value)) added.push(...answer.value);
      else refused ??= answer.value.refused;
    }
    if (refused === undefined && before + added.length > limits.maxGroupMembers) {
      refused = groupFull(group, before, added.length, limits.maxGroupMembers).refused;
    }
    const kept = refused === undefined && failed === undefined ? added : [];
    if (kept.length < added.length) await this.leaveAll(group, added, layout);
    index.add(group, difference(countByBucket(kept), asked));
    if (failed !== undefined) throw failed;
    return refused === undefined ? kept.length : { refused };
  }

  private async leave(group: string, uid: string, layout: Routed): Promise<boolean> {
    return (await this.leaveAll(group, [uid], layout)) > 0;
  }

  // Members first, the index after: a crash between leaves the count high, never low.
  private async leaveAll(group: string, uids: string[], layout: Routed): Promise<number> {
    const left = (await Promise.all([...byObject(uids, layout)].map(([shard, list]) =>
      layout.member(shard, { op: 'leave', group, uids: list }, layoutOf(layout))))).flat();
    this.parts.index.add(group, countByBucket(left, -1));
    return left.length;
  }

  // The buckets in order from the cursor's, as many as the index says fill the page, from the objects that own them
  // (through the tree past FAN_OUT); each object answers one more than the page, so whether another page follows is
  // known without asking again.
  private async page(group: string, query: MemberQuery, layout: Routed): Promise<Gathered<MemberPage>> {
    const after = query.cursor === undefined ? undefined : markOf(query.cursor);
    const chosen: number[] = [];
    let counted = 0;
    let more = false;
    for (const [bucket, members] of this.parts.index.buckets(group)) {
      if (after !== undefined && bucket < after.bucket) continue;
      if (counted > query.limit) {
        more = true;
        break;
      }
      chosen.push(bucket);
      counted += members;
    }
    const task: GroupTask = { kind: 'page', online: query.online, limit: query.limit + 1, ...(after === undefined ? {} : { after }) };
    const got = await this.fanOut(group, task, layout, chosen);
    // Each bucket lives in one object, in uid order there: ordering by bucket alone merges the parts.
    const marks = (got.value.marks ?? []).sort((a, b) => a.bucket - b.bucket);
    const uids = marks.slice(0, query.limit).map((m) => m.uid);
    if (marks.length > query.limit) return { value: { uids, cursor: cursorOf(marks[query.limit - 1]!) }, missing: got.missing };
    const cursor = more ? cursorOf({ bucket: chosen[chosen.length - 1]! + 1, uid: '' }) : undefined;
    return { value: cursor === undefined ? { uids } : { uids, cursor }, missing: got.missing };
  }

  // Parts that met a later layout are sent again by the layout in force, a few times at most; nothing was done there.
  private async fanOut(group: string, task: GroupTask, routed: Routed, buckets?: number[]): Promise<Gathered<GroupSum>> {
    let layout = layoutOf(routed);
    const call = (list: Iterable<number>, from: GroupSum) =>
      groupFanOut(from, group, task, partsOf(list, layout), routed.width, layout, routed.member);
    let got = await call(buckets ?? this.parts.index.buckets(group).keys(), noSum());
    for (let tries = 0; got.value.again !== undefined && got.value.again.length > 0; tries++) {
      const { again, ...done } = got.value;
      if (tries === AGAIN_TRIES) return { value: done, missing: [...got.missing, `${again.length} buckets kept moving`] };
      await rerouteDelay(tries);
      layout = await this.parts.currentLayout(layout.objects);
      const more = await call(again, done);
      got = { value: more.value, missing: [...got.missing, ...more.missing] };
    }
    return got;
  }

  private locked<T>(group: string, work: () => Promise<T>): Promise<T> {
    const run = (this.locks.get(group) ?? Promise.resolve()).then(work, work);
    const settled = run.then(() => undefined, () => undefined);
    this.locks.set(group, settled);
    void settled.then(() => {
      if (this.locks.get(group) === settled) this.locks.delete(group);
    });
    return run;
  }
}

// Rounds of sending again the parts of a fan-out that met a later layout.
const AGAIN_TRIES = 3;

// The layout a call was routed by, the fan-out width the Worker asked for, and how this home calls an object.
type Routed = Layout & { width: number; member: MemberCaller };

// Only the layout travels on to the member objects.
function layoutOf({ version, objects, reach }: Layout): Layout {
  return { version, objects, reach };
}

// The uids each object holds under `layout`.
function byObject(uids: readonly string[], layout: Layout): Map<number, string[]> {
  const groups = new Map<number, string[]>();
  for (const uid of new Set(uids)) {
    const shard = shardOf(uid, layout.objects);
    const list = groups.get(shard);
    if (list) list.push(uid);
    else groups.set(shard, [uid]);
  }
  return groups;
}

// What takes the counts of `from` to those of `to`, bucket by bucket.
function difference(to: ReadonlyMap<number, number>, from: ReadonlyMap<number, number>): Map<number, number> {
  const delta = new Map(to);
  for (const [bucket, n] of from) delta.set(bucket, (delta.get(bucket) ?? 0) - n);
  return delta;
}
