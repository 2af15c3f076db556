import { QUEUED, type Hub, type PushAnswer, type PushOptions } from '../src/index.ts';
import type { Layout } from './bucket-layout.ts';
import type { BucketKeeper } from './bucket-handoff.ts';
import type { EdgeSocket } from './edge-socket.ts';
import { addSums, noSum, type BucketPart, type GroupSum, type GroupTask, type MemberAnswers, type MemberCall, type MemberCallOf } from './group-calls.ts';
import type { GroupMembers } from './group-members.ts';
import type { Gathered } from './shard-tree.ts';

/** What one object's share of the groups needs from the object it lives in. */
export interface GroupShardParts {
  members: GroupMembers;
  keeper: BucketKeeper;
  hub: Hub<EdgeSocket>;
  /** A push to one member held here: stored as a uid push is (a ttl, an id, or a v1 client); a plain one counts only its writes. */
  push(uid: string, message: string, options: PushOptions | undefined): PushAnswer | Promise<PushAnswer>;
  /** Hands the rest of a group fan-out on to the objects of `parts` (the tree of shard-tree.ts), after `own`. */
  handOn(own: GroupSum, parts: BucketPart[], call: MemberCallOf<'tree'>, layout: Layout): Promise<Gathered<GroupSum>>;
}

// A group push's answers, added up the way GroupSum counts them: a refused member (its queue is full) reached nobody.
function sumOf(answers: readonly PushAnswer[]): GroupSum {
  const sum = noSum();
  for (const answer of answers) {
    if (answer === QUEUED) sum.queued++;
    else if (typeof answer === 'number') sum.delivered += answer;
    else sum.refused ??= answer.refused;
  }
  return sum;
}

/**
 * The members of groups whose uids this object holds: joins and leaves for a group's home, a uid's
 * groups, and this object's part of a group fan-out. Every call first takes over the buckets it touches under
 * the caller's layout (bucket-handoff.ts), so a member is served only by the object that owns its uid.
 */
export class GroupShard {
  private readonly parts: GroupShardParts;

  constructor(parts: GroupShardParts) {
    this.parts = parts;
  }

  /** Serves one call from a group's home or the Worker. */
  async serve<K extends MemberCall['op']>(call: MemberCallOf<K>, layout: Layout): Promise<MemberAnswers[K]> {
    return (await this.answer(call as MemberCall, layout)) as MemberAnswers[K];
  }

  private async answer(call: MemberCall, layout: Layout): Promise<MemberAnswers[MemberCall['op']]> {
    const { members, keeper } = this.parts;
    switch (call.op) {
      case 'join':
        await keeper.admit(call.uids, layout);
        return members.join(call.group, call.uids, call.maxGroups);
      case 'leave':
        await keeper.admit(call.uids, layout);
        return members.leave(call.group, call.uids);
      case 'groupsOf':
        await keeper.admitUid(call.uid, layout);
        return members.groupsOf(call.uid);
      case 'tree': {
        const own = call.parts[0]?.buckets ?? [];
        await keeper.admitBuckets(own, layout);
        return this.parts.handOn(await this.run(call.group, call.task, own), call.parts.slice(1), call, layout);
      }
    }
  }

  // This object's part of a group fan-out, over the members of `buckets`.
  private async run(group: string, task: GroupTask, buckets: number[]): Promise<GroupSum> {
    const { members, hub } = this.parts;
    if (task.kind === 'remove') return { ...noSum(), members: members.remove(group, buckets) };
    if (task.kind === 'page') {
      const keep = task.online ? (uid: string) => hub.online(uid) > 0 : () => true;
      return { ...noSum(), marks: members.page(group, buckets, task.after, task.limit, keep) };
    }
    const uids = members.uidsIn(group, buckets);
    if (task.kind === 'counts') {
      const sum = { ...noSum(), members: uids.length };
      for (const uid of uids) {
        const connections = hub.online(uid);
        if (connections > 0) sum.online++;
        sum.connections += connections;
      }
      return sum;
    }
    const { push } = task;
    // Only the options travel to each member, as for a uid push: its ttl and its id (remembered per member).
    const options = push.ttl === undefined && push.id === undefined ? undefined : { ttl: push.ttl, id: push.id };
    const answers: (PushAnswer | Promise<PushAnswer>)[] = [];
    for (const uid of uids) if (uid !== push.except) answers.push(this.parts.push(uid, push.message, options));
    return sumOf(answers.some((a) => a instanceof Promise) ? await Promise.all(answers) : answers as PushAnswer[]);
  }
}
