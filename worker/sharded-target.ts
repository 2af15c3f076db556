import {
  countsByUid, sumStats, type HubStats, type MailboxFigures, type Push, type PushAnswer, type PushOptions, type PushTarget,
} from '../src/index.ts';
import type { PushHub } from './push-hub.ts';

/** The shard a uid lives on: FNV-1a of its UTF-8 bytes, so every Worker instance agrees without state. */
export function shardOf(uid: string, shards: number): number {
  if (shards <= 1) return 0;
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(uid)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}

/** Pushes into the Durable Object shards: a uid goes to its own shard, a broadcast to all of them. */
export class ShardedTarget implements PushTarget {
  private readonly namespace: DurableObjectNamespace<PushHub>;
  private readonly shards: number;

  constructor(namespace: DurableObjectNamespace<PushHub>, shards: number) {
    this.namespace = namespace;
    this.shards = shards;
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

  /** One RPC per shard that holds any of the uids, not one per uid. */
  async onlineMany(uids: string[]): Promise<Record<string, number>> {
    const counts = new Array<number>(uids.length).fill(0);
    await Promise.all([...this.byShard(uids)].map(async ([shard, indexes]) => {
      const answered = await this.stub(shard).onlineMany(indexes.map((i) => uids[i]!));
      indexes.forEach((i, k) => (counts[i] = answered[k] ?? 0));
    }));
    return countsByUid(uids, counts);
  }

  async broadcast(message: string): Promise<number> {
    const counts = await this.everyShard((stub) => stub.broadcast(message));
    return counts.reduce((a, b) => a + b, 0);
  }

  online(uid: string): Promise<number> {
    return this.stubFor(uid).online(uid);
  }

  kick(uid: string, reason?: string): Promise<number> {
    return this.stubFor(uid).kick(uid, reason);
  }

  async stats(): Promise<HubStats> {
    return sumStats(await this.statsByShard());
  }

  /** Every shard's queue figures, added up. */
  async queueFigures(): Promise<MailboxFigures> {
    const shares = await this.everyShard((stub) => stub.queueFigures());
    return shares.reduce((sum, share) => ({ queued: sum.queued + share.queued, expired: sum.expired + share.expired }));
  }

  /** Each shard's own figures, in shard order. */
  statsByShard(): Promise<HubStats[]> {
    return this.everyShard((stub) => stub.stats());
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

  /** Asks every shard the same thing, in shard order. */
  everyShard<T>(call: (stub: DurableObjectStub<PushHub>) => Promise<T>): Promise<T[]> {
    return Promise.all(Array.from({ length: this.shards }, (_, i) => call(this.stub(i))));
  }
}
