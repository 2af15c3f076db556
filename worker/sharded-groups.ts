import {
  groupAnswer, type GroupCounts, type GroupPush, type GroupRefusal, type GroupTarget, type MemberPage,
  type MemberQuery, type PushAnswer,
} from '../src/index.ts';
import { shardOf, type Layout } from './bucket-layout.ts';
import type { GroupSum, HomeAnswers, HomeCall, HomeCallOf, MemberAnswers, MemberCall, MemberCallOf } from './group-calls.ts';
import type { ShardedTarget } from './sharded-target.ts';
import { wholeOr } from './tree-answers.ts';

/**
 * Groups on the edge, as the Worker reaches them. A call about a group goes to its home: the object that owns the
 * bucket of the group's name, which keeps how many members the group has in each uid bucket and fans out to the
 * objects that own those buckets only (group-home.ts). A uid's groups are asked of the uid's own object. Every
 * call carries its layout and is routed again when an object answers that the bucket moved.
 */
export class ShardedGroups implements GroupTarget {
  private readonly target: ShardedTarget;

  constructor(target: ShardedTarget) {
    this.target = target;
  }

  join(group: string, uids: readonly string[]): Promise<number | GroupRefusal> {
    return this.home(group, { op: 'join', group, uids: [...uids] });
  }

  leave(group: string, uid: string): Promise<boolean> {
    return this.home(group, { op: 'leave', group, uid });
  }

  async remove(group: string): Promise<number> {
    const got = await this.home(group, { op: 'remove', group });
    const removed = wholeOr(got, (sum) => `group ${JSON.stringify(group)} lost ${sum.members} members on the shards that answered; `
      + 'ask again to remove the rest');
    return removed.members;
  }

  async counts(group: string): Promise<GroupCounts> {
    const got = await this.home(group, { op: 'counts', group });
    const { members, online, connections } = wholeOr(got, (sum) => `only part of the group was counted (${sum.members} members)`);
    return { members, online, connections };
  }

  async members(group: string, query: MemberQuery): Promise<MemberPage> {
    const got = await this.home(group, { op: 'members', group, query });
    return wholeOr(got, (page) => `only part of the page was read (${page.uids.length} members)`);
  }

  groupsOf(uid: string): Promise<string[]> {
    return this.target.routed((layout) => this.member(shardOf(uid, layout.objects), { op: 'groupsOf', uid }, layout));
  }

  async pushGroup(push: GroupPush): Promise<PushAnswer> {
    // Only what a member's push needs travels: not the parse's own fields.
    const { group, message, except, ttl, id } = push;
    const sent: GroupPush = { group, message };
    if (except !== undefined) sent.except = except;
    if (ttl !== undefined) sent.ttl = ttl;
    if (id !== undefined) sent.id = id;
    const got = await this.home(group, { op: 'push', push: sent });
    return answerOf(wholeOr(got, (sum) =>
      `the group push reached ${sum.delivered} connections on the shards that answered, and may or may not have reached the others`));
  }

  private home<K extends HomeCall['op']>(group: string, call: HomeCallOf<K>): Promise<HomeAnswers[K]> {
    return this.target.routed((layout) =>
      this.target.stub(shardOf(group, layout.objects)).groupHome(call, layout, this.target.fanOut) as unknown as Promise<HomeAnswers[K]>);
  }

  private member<K extends MemberCall['op']>(shard: number, call: MemberCallOf<K>, layout: Layout): Promise<MemberAnswers[K]> {
    return this.target.stub(shard).groupMember(call, layout) as unknown as Promise<MemberAnswers[K]>;
  }
}

// A group push's answer from its objects' sums, as the local server gives it.
function answerOf(sum: GroupSum): PushAnswer {
  return groupAnswer(sum.delivered, sum.queued > 0, sum.refused);
}
