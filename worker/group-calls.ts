import type { GroupPush, GroupRefusal, MemberPage, MemberQuery } from '../src/index.ts';
import type { MemberMark } from './group-members.ts';
import type { Gathered } from './shard-tree.ts';

/** The buckets of a group's members that one object owns under a layout. */
export interface BucketPart {
  shard: number;
  buckets: number[];
}

/** What a group fan-out adds up on its way back, whichever task it ran. */
export interface GroupSum {
  delivered: number;
  /** Members that had none online and got the push queued (it had a ttl). */
  queued: number;
  members: number;
  online: number;
  connections: number;
  /** The first refusal of a member's push (its queue was full), kept to answer a push that reached and queued nothing. */
  refused?: string;
  /** A page's members from each object, in (bucket, uid) order within each object's part. */
  marks?: MemberMark[];
  /**
   * Buckets of parts whose first object no longer owned its buckets under the caller's layout (it answered moved
   * or busy before serving anything): they go again under the layout in force.
   */
  again?: number[];
}

/** What every object of a group fan-out does with its own members. */
export type GroupTask =
  | { kind: 'push'; push: GroupPush }
  | { kind: 'counts' }
  | { kind: 'remove' }
  /** Up to `limit` members after `after` from each object's buckets: the home merges them into one page. */
  | { kind: 'page'; after?: MemberMark; online: boolean; limit: number };

/**
 * What the Worker asks of a group's home (the object that owns the bucket of the group's name, and keeps its
 * index), one RPC method for all of them: each call is one billed request whatever its kind.
 */
export type HomeCall =
  | { op: 'join'; group: string; uids: string[] }
  | { op: 'leave'; group: string; uid: string }
  | { op: 'remove'; group: string }
  | { op: 'counts'; group: string }
  | { op: 'members'; group: string; query: MemberQuery }
  | { op: 'push'; push: GroupPush };

/** What a home answers to each kind of call. */
export interface HomeAnswers {
  join: number | GroupRefusal;
  leave: boolean;
  /** Fan-outs answer what every part added up, and the parts that did not answer: the Worker decides what that means. */
  remove: Gathered<GroupSum>;
  counts: Gathered<GroupSum>;
  members: Gathered<MemberPage>;
  push: Gathered<GroupSum>;
}

/** A call of one kind, by its `op`. */
export type HomeCallOf<K extends HomeCall['op']> = Extract<HomeCall, { op: K }>;
/** A member call of one kind, by its `op`. */
export type MemberCallOf<K extends MemberCall['op']> = Extract<MemberCall, { op: K }>;

/** What a group's home, or the Worker, asks of the object that holds some of its members. */
export type MemberCall =
  | { op: 'join'; group: string; uids: string[]; maxGroups: number }
  | { op: 'leave'; group: string; uids: string[] }
  | { op: 'groupsOf'; uid: string }
  | { op: 'tree'; group: string; task: GroupTask; parts: BucketPart[]; width: number };

/** What a member object answers to each kind of call. */
export interface MemberAnswers {
  join: string[] | GroupRefusal;
  leave: string[];
  groupsOf: string[];
  tree: Gathered<GroupSum>;
}

/** Nothing added up yet. */
export function noSum(): GroupSum {
  return { delivered: 0, queued: 0, members: 0, online: 0, connections: 0 };
}

/** Adds one part's sum to another's. */
export function addSums(sum: GroupSum, more: GroupSum): GroupSum {
  const added: GroupSum = {
    delivered: sum.delivered + more.delivered,
    queued: sum.queued + more.queued,
    members: sum.members + more.members,
    online: sum.online + more.online,
    connections: sum.connections + more.connections,
  };
  const refused = sum.refused ?? more.refused;
  if (refused !== undefined) added.refused = refused;
  if (sum.marks !== undefined || more.marks !== undefined) added.marks = (sum.marks ?? []).concat(more.marks ?? []);
  if (sum.again !== undefined || more.again !== undefined) added.again = (sum.again ?? []).concat(more.again ?? []);
  return added;
}
