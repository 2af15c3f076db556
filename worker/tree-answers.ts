import {
  addLatency, emptyLatency, PartsMissing, type GroupFigures, type HubStats, type LatencyCounts, type MailboxFigures,
} from '../src/index.ts';
import type { Gathered } from './shard-tree.ts';

/** What /stats, /stats/parts and /metrics read from the objects: each one's stats in object order, the rest summed. */
export interface TreeFigures {
  parts: HubStats[];
  latency: LatencyCounts;
  queue: MailboxFigures;
  /** Groups whose home is among the objects, and the group pushes made from them. */
  groups: GroupFigures;
}

/** The uids of /online?uids= that one object holds, and that object's index. */
export interface UidGroup {
  shard: number;
  uids: string[];
}

/** One object's figures, copied, so a merge never adds into the object's own histogram. */
export function figuresOf(stats: HubStats, latency: LatencyCounts, queue: MailboxFigures, groups: GroupFigures): TreeFigures {
  return { parts: [stats], latency: addLatency(emptyLatency(), latency), queue: { ...queue }, groups: { ...groups } };
}

/** No figures yet: where the Worker starts its sum. */
export function noFigures(): TreeFigures {
  return { parts: [], latency: emptyLatency(), queue: { queued: 0, expired: 0 }, groups: { groups: 0, pushes: 0 } };
}

/** Figures of the objects after `sum`'s, appended in order; latency and queue added up on the way back. */
export function addFigures(sum: TreeFigures, more: TreeFigures): TreeFigures {
  return {
    parts: sum.parts.concat(more.parts),
    latency: addLatency(sum.latency, more.latency),
    queue: { queued: sum.queue.queued + more.queue.queued, expired: sum.queue.expired + more.queue.expired },
    groups: { groups: sum.groups.groups + more.groups.groups, pushes: sum.groups.pushes + more.groups.pushes },
  };
}

/** Adds delivered counts. */
export function addCounts(sum: number, more: number): number {
  return sum + more;
}

/** Appends the counts of later objects' uids after the earlier ones'. */
export function appendCounts(sum: number[], more: number[]): number[] {
  return sum.concat(more);
}

/**
 * The gathered value when every object answered; otherwise throws PartsMissing (HTTP 502) with `what` said
 * about the value and every missing part named, since a sum without them would be silently short.
 */
export function wholeOr<T>(got: Gathered<T>, what: (value: T) => string): T {
  if (got.missing.length > 0) throw new PartsMissing(`${what(got.value)}: ${got.missing.join('; ')}`);
  return got.value;
}
