import { QUEUED, refusal, type PushAnswer, type PushRefusal } from '../hub/push-answer.ts';
import type { PushOptions } from '../wire/push-message.ts';

/** The reason a runtime without groups gives for every group route and group push (HTTP 501). */
export const NO_GROUPS = 'groups are not available on this server';

/** A push to every member of a group: the exact text each connection gets, its ttl and id, and a uid to leave out. */
export interface GroupPush extends PushOptions {
  group: string;
  message: string;
  /** A member that does not get this push (the sender of a chat message). */
  except?: string;
}

/** What GET /groups/:group answers: members stored, members with a live connection, and their connections. */
export interface GroupCounts {
  members: number;
  online: number;
  connections: number;
}

/** One page of a group's members; `cursor` is absent on the last page. */
export interface MemberPage {
  uids: string[];
  cursor?: string;
}

/** How to read a group's members: only those online, from where the last page ended, at most `limit`. */
export interface MemberQuery {
  online: boolean;
  cursor?: string;
  limit: number;
}

/** Group figures for /stats, /metrics and the dashboard: groups with members now, and group pushes served. */
export interface GroupFigures {
  /** Groups with at least one member (pushport_groups). */
  groups: number;
  /** Group pushes answered since the server started, delivered or not (pushport_group_pushes_total). */
  pushes: number;
}

/** Why a membership change was not made (a limit): a refusal, returned and never thrown, as a push's is. */
export type GroupRefusal = PushRefusal;

/**
 * A group push's one answer from what its members' pushes came to, on every runtime: the connections reached;
 * else QUEUED when some member got it queued; else the first refusal (every member's queue was full), or 0.
 */
export function groupAnswer(delivered: number, queued: boolean, refused: string | undefined): PushAnswer {
  if (delivered > 0) return delivered;
  if (queued) return QUEUED;
  return refused === undefined ? 0 : refusal(refused);
}

/** The refusal of a join that would put `uid` in more than MAX_GROUPS_PER_UID groups: the same words on every runtime. */
export function tooManyGroups(uid: string, maxGroups: number): GroupRefusal {
  return refusal(`uid ${JSON.stringify(uid)} is in ${maxGroups} groups already (MAX_GROUPS_PER_UID is ${maxGroups})`);
}

/** The refusal of a join that would take a group of `members` past MAX_GROUP_MEMBERS with `more`. */
export function groupFull(group: string, members: number, more: number, maxMembers: number): GroupRefusal {
  return refusal(`group ${JSON.stringify(group)} has ${members} members; ${more} more would pass MAX_GROUP_MEMBERS (${maxMembers})`);
}

/**
 * Groups as the HTTP API and the text port see them, the same on every runtime. Membership is by uid and stored:
 * it outlives connections, reloads and restarts. Each count of connections is of connections reached.
 */
export interface GroupTarget {
  /** Adds uids to a group; answers how many were not members before, or why none were added. */
  join(group: string, uids: readonly string[]): Promise<number | GroupRefusal>;
  /** Takes one uid out of a group; answers whether it was a member. */
  leave(group: string, uid: string): Promise<boolean>;
  /** Deletes a group; answers how many members it had. */
  remove(group: string): Promise<number>;
  /** The group's members, online members and their connections. */
  counts(group: string): Promise<GroupCounts>;
  /** One page of the group's members, in a stable order, so paging while members change misses none that stayed. */
  members(group: string, query: MemberQuery): Promise<MemberPage>;
  /** The groups a uid belongs to. */
  groupsOf(uid: string): Promise<string[]>;
  /**
   * Delivers to every connection of every member but `except`: the connections reached, QUEUED when none were
   * online but some offline member got it queued (it had a ttl), or a refusal.
   */
  pushGroup(push: GroupPush): PushAnswer | Promise<PushAnswer>;
}
