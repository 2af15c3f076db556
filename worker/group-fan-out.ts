import { ownerOf, type Layout } from './bucket-layout.ts';
import { rerouteReason } from './bucket-handoff.ts';
import { addSums, noSum, type BucketPart, type GroupSum, type GroupTask, type MemberAnswers, type MemberCall, type MemberCallOf } from './group-calls.ts';
import { gather, listName, splitList, type Gathered } from './shard-tree.ts';

/** Calls one object of the layout with a member call: by RPC, or directly when it is the caller itself. */
export type MemberCaller = <K extends MemberCall['op']>(shard: number, call: MemberCallOf<K>, layout: Layout) => Promise<MemberAnswers[K]>;

/** The buckets of `buckets` grouped by the object that owns each under `layout`, by object index. */
export function partsOf(buckets: Iterable<number>, layout: Layout): BucketPart[] {
  const byShard = new Map<number, number[]>();
  for (const bucket of buckets) {
    const shard = layout.objects <= 1 ? 0 : ownerOf(bucket, layout.objects);
    const list = byShard.get(shard);
    if (list) list.push(bucket);
    else byShard.set(shard, [bucket]);
  }
  return [...byShard].sort(([a], [b]) => a - b).map(([shard, list]) => ({ shard, buckets: list }));
}

/**
 * A group task over `parts`, in the fan-out tree of shard-tree.ts: at most `width` calls from here, each to the
 * first object of its part with the whole part, which serves its own buckets and hands the rest on the same way.
 * Every object that holds members is called once; a part that did not answer is named in `missing`.
 */
export function groupFanOut(own: GroupSum, group: string, task: GroupTask, parts: readonly BucketPart[], width: number,
  layout: Layout, call: MemberCaller): Promise<Gathered<GroupSum>> {
  return gather(own, splitList(parts, width), async (part) => {
    try {
      return await call(part[0]!.shard, { op: 'tree', group, task, parts: part, width }, layout);
    } catch (error) {
      // An object takes its buckets over before it serves or hands on anything: a part refused so did nothing.
      if (rerouteReason(error) === undefined) throw error;
      return { value: { ...noSum(), again: part.flatMap((p) => p.buckets) }, missing: [] };
    }
  }, addSums, (part) => listName(part.map((p) => p.shard)));
}
