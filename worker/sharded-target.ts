import {
  countsByUid, sumStats, type HubStats, type MailboxFigures, type Push, type PushAnswer, type PushOptions, type PushTarget,
} from '../src/index.ts';
import { objectAt, shardOf, type Layout } from './bucket-layout.ts';
import { rerouteDelay, rerouteReason } from './bucket-handoff.ts';
import { defaultFanOut } from './env.ts';
import { layoutHeader, misdirected } from './hub-handoff.ts';
import type { PushHub } from './push-hub.ts';
import { columnsOf } from './push-columns.ts';
import { gather, listName, spanName, splitList, splitSpan, type Gathered, type Span } from './shard-tree.ts';
import { addCounts, addFigures, appendCounts, noFigures, wholeOr, type TreeFigures, type UidGroup } from './tree-answers.ts';

// Tries of one routed call: a layout change answers `moved` once per bucket, and a bucket that is moving `busy`.
const TRIES = 5;
// How long an instance routes by the layout it read before reading it again: an instance of an earlier deployment
// that is never told `moved` still follows a new layout within this, and fans out to an added object.
const LAYOUT_MS = 10_000;

/** The positions of the uids each object holds under `objects`, in list order. */
export function byShard(uids: readonly string[], objects: number, positions: readonly number[] = uids.map((_, i) => i)): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (const i of positions) {
    const shard = shardOf(uids[i]!, objects);
    const group = groups.get(shard);
    if (group) group.push(i);
    else groups.set(shard, [i]);
  }
  return groups;
}

/**
 * Pushes into the Durable Object shards: a uid goes to the object that owns its bucket under the layout in force
 * (bucket-layout.ts), a broadcast and the figures to every object the layouts ever used (through the fan-out tree
 * of shard-tree.ts past `fanOut` objects). Every routed call carries its layout; an object that gave the uid's bucket
 * to a later layout answers `moved`, and the call is routed again by the layout object 0 has now.
 */
export class ShardedTarget implements PushTarget {
  private readonly namespace: DurableObjectNamespace<PushHub>;
  private readonly shards: number;
  /** Objects one invocation calls at most (FAN_OUT): past it a fan-out goes through the tree. */
  readonly fanOut: number;
  private layout: Promise<Layout> | undefined;
  private layoutAt = 0;

  /** `shards` is this instance's SHARDS: proposed to object 0 as the layout before the first routed call. */
  constructor(namespace: DurableObjectNamespace<PushHub>, shards: number, fanOut = defaultFanOut) {
    this.namespace = namespace;
    this.shards = shards;
    this.fanOut = fanOut;
  }

  /** The stub of one object of the layout. */
  stub(shard: number): DurableObjectStub<PushHub> {
    return objectAt(this.namespace, shard);
  }

  /** The layout this instance routes by: its SHARDS, proposed once, or the later one object 0 named since. */
  layoutNow(): Promise<Layout> {
    if (this.layout === undefined) return this.read((hub) => hub.proposeLayout(this.shards));
    if (Date.now() - this.layoutAt > LAYOUT_MS) return this.read((hub) => hub.currentLayout(this.shards));
    return this.layout;
  }

  push(uid: string, message: string, options?: PushOptions): Promise<PushAnswer> {
    // Only the options travel, not the whole parsed push: the message must not cross twice.
    const only = options?.ttl === undefined && options?.id === undefined ? undefined : { ttl: options.ttl, id: options.id };
    return this.routed((layout) => this.owner(uid, layout).push(uid, message, only, layout) as Promise<PushAnswer>);
  }

  async pushMany(pushes: Push[]): Promise<PushAnswer[]> {
    // One RPC per object, then the answers go back into request order.
    const counts = new Array<PushAnswer>(pushes.length).fill(0);
    await this.pushGroups(pushes, pushes.map((_, i) => i), counts, 0);
    return counts;
  }

  /** One RPC per object that holds any of the uids, not one per uid; past `fanOut` of them, through the tree. */
  onlineMany(uids: string[]): Promise<Record<string, number>> {
    return this.routed(async (layout) => {
      const groups = [...byShard(uids, layout.objects)].sort(([a], [b]) => a - b);
      const asked = groups.map(([shard, indexes]): UidGroup => ({ shard, uids: indexes.map((i) => uids[i]!) }));
      const got = await this.handOnList([], asked, this.fanOut, (stub, part) => stub.onlineTree(part, this.fanOut, layout), appendCounts);
      const answered = wholeOr(got, () => 'the counts of some uids are unknown');
      const counts = new Array<number>(uids.length).fill(0);
      let k = 0;
      for (const [, indexes] of groups) for (const i of indexes) counts[i] = answered[k++] ?? 0;
      return countsByUid(uids, counts);
    });
  }

  async broadcast(message: string): Promise<number> {
    const got = await this.handOn(0, await this.everyShard(), this.fanOut, (stub, part) => stub.broadcastTree(message, part, this.fanOut), addCounts);
    return wholeOr(got, (delivered) => `the broadcast reached ${delivered} connections on the shards that answered, and may or may not have reached the others`);
  }

  online(uid: string): Promise<number> {
    return this.routed((layout) => this.owner(uid, layout).online(uid, layout));
  }

  kick(uid: string, reason?: string): Promise<number> {
    return this.routed((layout) => this.owner(uid, layout).kick(uid, reason, layout));
  }

  /** Hands a WebSocket upgrade for `uid` to its object, with the layout it was routed by; without a uid, to object 0. */
  upgrade(uid: string | undefined, url: URL, request: Request): Promise<Response> {
    if (uid === undefined) return this.stub(0).fetch(new Request(url, request));
    return this.routed(async (layout) => {
      const routed = new Request(url, request);
      routed.headers.set(layoutHeader, JSON.stringify(layout));
      const response = await this.owner(uid, layout).fetch(routed);
      if (response.status !== misdirected) return response;
      throw new Error((await response.json<{ error: string }>()).error);
    });
  }

  async stats(): Promise<HubStats> {
    return sumStats((await this.figures()).parts);
  }

  /** Every shard's queue figures, added up. */
  async queueFigures(): Promise<MailboxFigures> {
    return (await this.figures()).queue;
  }

  /** Each object's stats in object order, with the latency, queue and group figures of all of them added up. */
  async figures(): Promise<TreeFigures> {
    const every = await this.everyShard();
    const got = await this.handOn(noFigures(), every, this.fanOut, (stub, part) => stub.figuresTree(part, this.fanOut), addFigures);
    return wholeOr(got, (f) => `only ${f.parts.length} of ${every.to} shards answered, so the figures would be short`);
  }

  /**
   * Every object any layout used, as the span a fan-out covers: an object that gave its buckets away keeps its
   * counters, and its sockets until they move, so a broadcast and the figures still count it.
   */
  async everyShard(): Promise<Span> {
    const { objects, reach } = await this.layoutNow();
    return { from: 0, to: Math.max(objects, reach) };
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

  // A failed read is not kept: the next call asks again.
  private read(ask: (hub: DurableObjectStub<PushHub>) => Promise<Layout>): Promise<Layout> {
    const reading = ask(objectAt(this.namespace, 0));
    this.layout = reading;
    this.layoutAt = Date.now();
    reading.catch(() => {
      if (this.layout === reading) this.layout = undefined;
    });
    return reading;
  }

  private owner(uid: string, layout: Layout): DurableObjectStub<PushHub> {
    return this.stub(shardOf(uid, layout.objects));
  }

  // A group that an object refused as moved is split again by the layout in force and sent on its own.
  private async pushGroups(pushes: Push[], positions: number[], counts: PushAnswer[], tries: number): Promise<void> {
    const layout = await this.layoutNow();
    await Promise.all([...byShard(pushes.map((p) => p.uid), layout.objects, positions)].map(async ([shard, group]) => {
      try {
        const answered = await this.stub(shard).pushMany(columnsOf(pushes, group), layout);
        group.forEach((i, k) => (counts[i] = answered[k] ?? 0));
      } catch (error) {
        if (!(await this.again(error, tries))) throw error;
        await this.pushGroups(pushes, group, counts, tries + 1);
      }
    }));
  }

  /** Makes a call routed by the layout in force, again when an object answers moved or busy (it applied nothing). */
  async routed<T>(call: (layout: Layout) => Promise<T>): Promise<T> {
    for (let tries = 0; ; tries++) {
      try {
        return await call(await this.layoutNow());
      } catch (error) {
        if (!(await this.again(error, tries))) throw error;
      }
    }
  }

  // Moved: the layout is read again from object 0. Busy: the bucket is on its way; wait a little.
  private async again(error: unknown, tries: number): Promise<boolean> {
    const reason = rerouteReason(error);
    if (tries + 1 >= TRIES || reason === undefined) return false;
    if (reason === 'moved') await this.read((hub) => hub.currentLayout(this.shards));
    else await rerouteDelay(tries);
    return true;
  }
}
