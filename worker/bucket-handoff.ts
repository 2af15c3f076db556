import type { SqlDb } from '../src/index.ts';
import { bucketOf, ownerOf, ownersUpTo, type Layout } from './bucket-layout.ts';
import { appendRows, deleteBucket, isEmpty, noRows, readBucket, writeRows, type BucketRows } from './bucket-rows.ts';

/** Marks the error an object throws for a bucket that a later layout took: the Worker reads the layout and routes again. */
export const movedMark = 'pushport-moved';
/** Marks the error for a bucket that is moving right now under another layout: the Worker tries again shortly. */
export const busyMark = 'pushport-busy';

/** Whether an error says a call met a later layout (`moved`) or a bucket on its way (`busy`): it applied nothing. */
export function rerouteReason(error: unknown): 'moved' | 'busy' | undefined {
  const reason = error instanceof Error ? error.message : String(error);
  return reason.includes(movedMark) ? 'moved' : reason.includes(busyMark) ? 'busy' : undefined;
}

/** The pause before the `tries`-th call again of a rerouted call: short, and doubling. */
export function rerouteDelay(tries: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 25 * 2 ** tries));
}

/** What an object answers when asked to give a bucket: its rows, and whether they wait for `forget` to be deleted. */
export interface GivenBucket {
  rows: BucketRows;
  forget: boolean;
}

/** What the keeper needs from its object. */
export interface HandoffPeers {
  /** Asks object `index` to give a bucket to `layout` (its `giveBucket`). */
  give(index: number, bucket: number, layout: Layout): Promise<GivenBucket>;
  /** Tells object `index` that the copy arrived, so it deletes its rows (its `forgetBucket`). */
  forget(index: number, bucket: number, version: number): Promise<void>;
  /** Closes this object's sockets of a bucket's uids with 1012: their clients reconnect to the new owner. */
  leave(bucket: number): void;
  /** Rows were written or deleted here: the mailbox recounts, learns the marks and sets its alarm. */
  changed(rows: BucketRows): void | Promise<void>;
}

const HELD = 1;
const GIVING = 2;
const GIVEN = 3;

interface BucketRecord {
  state: typeof HELD | typeof GIVING | typeof GIVEN;
  /** The layout version the bucket was taken or given under. */
  version: number;
}

function moved(bucket: number, version: number): Error {
  return new Error(`${movedMark}: bucket ${bucket} belongs to layout ${version} or later; route it again`);
}

/**
 * Which buckets this object holds, and the handoff that moves one. An object serves a uid only while it holds its
 * bucket: the first request for a bucket under a layout asks every object that owned it in an earlier layout (the
 * bucket's owners up to the reach) to give its rows, writes them, has them deleted there, and only then holds it.
 * A giver refuses the bucket from then on with `moved`, so no two objects ever write the same uid's seq or ids.
 */
export class BucketKeeper {
  private readonly db: SqlDb;
  private readonly peers: HandoffPeers;
  private readonly records = new Map<number, BucketRecord>();
  private readonly acquiring = new Map<number, Promise<void>>();

  constructor(db: SqlDb, peers: HandoffPeers) {
    this.db = db;
    this.peers = peers;
    db.run(`CREATE TABLE IF NOT EXISTS pushport_buckets (
              bucket INTEGER PRIMARY KEY, state INTEGER NOT NULL, version INTEGER NOT NULL)`);
    for (const row of db.all('SELECT bucket, state, version FROM pushport_buckets')) {
      this.records.set(row.bucket as number, { state: row.state as BucketRecord['state'], version: row.version as number });
    }
  }

  /**
   * Undefined when this object holds the buckets of all the uids (the usual case, answered from memory); else a
   * promise that takes them over. Throws `moved` for a bucket a later layout than the caller's took.
   */
  admit(uids: readonly string[], layout: Layout): Promise<void> | undefined {
    let waits: Promise<void>[] | undefined;
    for (const uid of uids) {
      const wait = this.admitBucket(bucketOf(uid), layout);
      if (wait !== undefined) (waits ??= []).push(wait);
    }
    return waits && Promise.all(waits).then(() => undefined);
  }

  /** `admit` for buckets named by number: those that hold a group's members, or its index. */
  admitBuckets(buckets: readonly number[], layout: Layout): Promise<void> | undefined {
    let waits: Promise<void>[] | undefined;
    for (const bucket of buckets) {
      const wait = this.admitBucket(bucket, layout);
      if (wait !== undefined) (waits ??= []).push(wait);
    }
    return waits && Promise.all(waits).then(() => undefined);
  }

  /** `admit` for one uid (or a group, whose name hashes as a uid's does), allocating nothing when its bucket is held here. */
  admitUid(uid: string, layout: Layout): Promise<void> | undefined {
    return this.admitBucket(bucketOf(uid), layout);
  }

  /** Gives a bucket's rows to the object that owns it under `layout`, and refuses the bucket from now on. */
  give(bucket: number, layout: Layout): GivenBucket {
    if (this.acquiring.has(bucket)) throw new Error(`${busyMark}: bucket ${bucket} is moving here; try again`);
    const record = this.records.get(bucket);
    if (record !== undefined && record.version > layout.version) throw moved(bucket, record.version);
    if (record?.state === GIVEN) {
      this.record(bucket, GIVEN, layout.version);
      return { rows: noRows(), forget: false };
    }
    // Held, or given once before without word that the copy arrived, or never asked for: whatever is here goes.
    this.peers.leave(bucket);
    const rows = readBucket(this.db, bucket);
    this.record(bucket, isEmpty(rows) ? GIVEN : GIVING, layout.version);
    return { rows, forget: !isEmpty(rows) };
  }

  /** The new owner under `version` wrote the copy: the rows here are deleted. */
  forget(bucket: number, version: number): void | Promise<void> {
    const record = this.records.get(bucket);
    if (record?.state !== GIVING || record.version !== version) return;
    deleteBucket(this.db, bucket);
    this.record(bucket, GIVEN, version);
    return this.peers.changed(noRows());
  }

  private admitBucket(bucket: number, layout: Layout): Promise<void> | undefined {
    const record = this.records.get(bucket);
    if (record?.state === HELD) return undefined;
    const running = this.acquiring.get(bucket);
    if (running !== undefined) return running;
    if (record !== undefined && record.version >= layout.version) throw moved(bucket, record.version);
    const self = ownerOf(bucket, layout.objects);
    const earlier = ownersUpTo(bucket, Math.max(layout.reach, layout.objects)).filter((index) => index !== self);
    // Under the first layout no other object has held anything: the bucket is this one's from the start.
    if (earlier.length === 0 || layout.version === 1) {
      this.record(bucket, HELD, layout.version);
      return undefined;
    }
    const acquiring = this.acquire(bucket, earlier, layout).finally(() => this.acquiring.delete(bucket));
    this.acquiring.set(bucket, acquiring);
    return acquiring;
  }

  // Written before the givers delete theirs, and held only once they have: a crash anywhere leaves a copy.
  private async acquire(bucket: number, earlier: number[], layout: Layout): Promise<void> {
    const given = await Promise.all(earlier.map((index) => this.peers.give(index, bucket, layout)));
    const rows = noRows();
    for (const { rows: more } of given) appendRows(rows, more);
    if (!isEmpty(rows)) {
      writeRows(this.db, rows);
      await this.peers.changed(rows);
    }
    await Promise.all(earlier.filter((_, k) => given[k]!.forget).map((index) => this.peers.forget(index, bucket, layout.version)));
    this.record(bucket, HELD, layout.version);
  }

  private record(bucket: number, state: BucketRecord['state'], version: number): void {
    this.db.run('INSERT OR REPLACE INTO pushport_buckets VALUES (?, ?, ?)', bucket, state, version);
    this.records.set(bucket, { state, version });
  }
}
