import {
  countsByUid, sumStats, type HubStats, type MailboxFigures, type Push, type PushAnswer, type PushOptions, type PushTarget,
} from '../src/index.ts';
import { shardOf } from './bucket-layout.ts';
import { defaultFanOut } from './env.ts';
import type { PushHub } from './push-hub.ts';
import { gather, listName, spanName, splitList, splitSpan, type Gathered, type Span } from './shard-tree.ts';
import { addCounts, addFigures, appendCounts, noFigures, wholeOr, type TreeFigures, type UidGroup } from './tree-answers.ts';
/**
 * Pushes into the Durable Object shards: a uid goes to its own shard, a broadcast to all of them (through the
 * fan-out tree of shard-tree.ts past `fanOut` shards).
 */
export class ShardedTarget implements PushTarget {
  private readonly namespace: DurableObjectNamespace<PushHub>;
  private readonly shards: number;
  private readonly fanOut: number;

  constructor(namespace: DurableObjectNamespace<PushHub>, shards: number, fanOut = defaultFanOut) {
    this.namespace = namespace;
    this.shards = shards;
    this.fanOut = fanOut;
  }

  /** The stub of one shard. */
  stub(shard: number): DurableObjectStub<PushHub> {
    return this.namespace.get(this.namespace.idFromName(`shard-${shard}`));
  }

  /** The stub of the shard that holds a uid. */
  stubFor(uid: string): DurableObjectStub<PushHub> {
    return this.stub(shardOf(uid, this.shards));
  }

  push(uid: string, message: string, options?: PushOptions): Promise<PushAnswer> {
    const stub = this.stubFor(uid);
    if (options?.ttl === undefined && options?.id === undefined) return stub.push(uid, message) as Promise<PushAnswer>;
    // Only the options travel, not the whole parsed push: the message must not cross twice.
    return stub.push(uid, message, { ttl: options.ttl, id: options.id }) as Promise<PushAnswer>;
  }

  async pushMany(pushes: Push[]): Promise<PushAnswer[]> {
    // One RPC per shard, then the answers go back into request order.
    const counts = new Array<PushAnswer>(pushes.length).fill(0);
    await Promise.all([...this.byShard(pushes.map((p) => p.uid))].map(async ([shard, indexes]) => {
      const answered = await this.stub(shard).pushMany(indexes.map((i) => pushes[i]!));
      indexes.forEach((i, k) => (counts[i] = answered[k] ?? 0));
    }));
    return counts;
  }

  /** One RPC per shard that holds any of the uids, not one per uid; past `fanOut` of them, through the tree. */
  async onlineMany(uids: string[]): Promise<Record<string, number>> {
    const groups = [...this.byShard(uids)].sort(([a], [b]) => a - b);
    const asked = groups.map(([shard, indexes]): UidGroup => ({ shard, uids: indexes.map((i) => uids[i]!) }));
    const got = await this.handOnList([], asked, this.fanOut, (stub, part) => stub.onlineTree(part, this.fanOut), appendCounts);
    const answered = wholeOr(got, () => 'the counts of some uids are unknown');
    const counts = new Array<number>(uids.length).fill(0);
    let k = 0;
    for (const [, indexes] of groups) for (const i of indexes) counts[i] = answered[k++] ?? 0;
    return countsByUid(uids, counts);
  }

  async broadcast(message: string): Promise<number> {
    const got = await this.handOn(0, this.everyShard(), this.fanOut, (stub, part) => stub.broadcastTree(message, part, this.fanOut), addCounts);
    return wholeOr(got, (delivered) => `the broadcast reached ${delivered} connections on the shards that answered, and may or may not have reached the others`);
  }

  online(uid: string): Promise<number> {
    return this.stubFor(uid).online(uid);
  }

  kick(uid: string, reason?: string): Promise<number> {
    return this.stubFor(uid).kick(uid, reason);
  }

  async stats(): Promise<HubStats> {
    return sumStats((await this.figures()).parts);
  }

  /** Every shard's queue figures, added up. */
  async queueFigures(): Promise<MailboxFigures> {
    return (await this.figures()).queue;
  }

  /** Each shard's stats in shard order, with the latency and queue figures of all of them added up. */
  async figures(): Promise<TreeFigures> {
    const got = await this.handOn(noFigures(), this.everyShard(), this.fanOut, (stub, part) => stub.figuresTree(part, this.fanOut), addFigures);
    return wholeOr(got, (f) => `only ${f.parts.length} of ${this.shards} shards answered, so the figures would be short`);
  }

  /** The positions of the uids each shard holds, in list order. */
  byShard(uids: readonly string[]): Map<number, number[]> {
    const groups = new Map<number, number[]>();
    uids.forEach((uid, i) => {
      const shard = shardOf(uid, this.shards);
      const group = groups.get(shard);
      if (group) group.push(i);
      else groups.set(shard, [i]);
    });
    return groups;
  }

  /** Every shard, as the span a fan-out covers. */
  everyShard(): Span {
    return { from: 0, to: this.shards };
  }

  /**
   * Calls the first object of each of at most `width` parts of `span` with its whole part, and merges the
   * answers after `own`. The Worker starts here with every shard; each object continues with the rest of its part.
   */
  handOn<T>(own: T, span: Span, width: number, call: (stub: DurableObjectStub<PushHub>, part: Span) => Promise<Gathered<T>>,
    merge: (sum: T, more: T) => T): Promise<Gathered<T>> {
    return gather(own, splitSpan(span, width), (part) => call(this.stub(part.from), part), merge, spanName);
  }

  /** The same for a list of the objects that hold some uids: each part goes to the object of its first group. */
  handOnList<T>(own: T, groups: readonly UidGroup[], width: number,
    call: (stub: DurableObjectStub<PushHub>, part: UidGroup[]) => Promise<Gathered<T>>, merge: (sum: T, more: T) => T): Promise<Gathered<T>> {
    return gather(own, splitList(groups, width), (part) => call(this.stub(part[0]!.shard), part), merge,
      (part) => listName(part.map((g) => g.shard)));
  }
}
