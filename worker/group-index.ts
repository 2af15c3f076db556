import type { SqlDb } from '../src/index.ts';
import { bucketOf } from './bucket-layout.ts';

const statements = [
  // How many members a group has in each uid bucket, kept by the group's home: the shard that owns the bucket of
  // the group's name (`home`), so the index moves with that bucket and no layout change ever rewrites it.
  `CREATE TABLE IF NOT EXISTS pushport_group_index (
     grp TEXT NOT NULL, bucket INTEGER NOT NULL, members INTEGER NOT NULL, home INTEGER NOT NULL,
     PRIMARY KEY (grp, bucket)) WITHOUT ROWID`,
  'CREATE INDEX IF NOT EXISTS pushport_group_index_home ON pushport_group_index (home)',
];

/** Creates the index table where it is missing. */
export function createIndexTable(db: SqlDb): void {
  for (const sql of statements) db.run(sql);
}

/**
 * Which uid buckets hold members of each group whose home is here, and how many: a group push, its counts and its
 * pages go only to the shards that own those buckets, and MAX_GROUP_MEMBERS is checked against the sum. A count may
 * run high (a join is counted before its members are written, so a crash between leaves it high), never low.
 */
export class GroupIndex {
  private readonly db: SqlDb;

  constructor(db: SqlDb) {
    this.db = db;
    createIndexTable(db);
  }

  /** The buckets that hold members of a group, in order, with their counts. */
  buckets(group: string): Map<number, number> {
    const rows = this.db.all<{ bucket: number; members: number }>(
      'SELECT bucket, members FROM pushport_group_index WHERE grp = ? AND members > 0 ORDER BY bucket', group);
    return new Map(rows.map((r) => [r.bucket, r.members]));
  }

  /** Members of a group, as counted here. */
  total(group: string): number {
    return this.db.all<{ n: number | null }>('SELECT sum(members) AS n FROM pushport_group_index WHERE grp = ?', group)[0]?.n ?? 0;
  }

  /** Adds to the counts of some buckets (a negative amount takes away); a bucket counted down to 0 goes. */
  add(group: string, counts: ReadonlyMap<number, number>): void {
    const home = bucketOf(group);
    this.db.transaction(() => {
      for (const [bucket, delta] of counts) {
        if (delta === 0) continue;
        this.db.run('UPDATE pushport_group_index SET members = max(0, members + ?) WHERE grp = ? AND bucket = ?', delta, group, bucket);
        if (delta > 0) this.db.run('INSERT OR IGNORE INTO pushport_group_index VALUES (?, ?, ?, ?)', group, bucket, delta, home);
        else this.db.run('DELETE FROM pushport_group_index WHERE grp = ? AND bucket = ? AND members = 0', group, bucket);
      }
    });
  }

  /** Forgets a group. */
  clear(group: string): void {
    this.db.run('DELETE FROM pushport_group_index WHERE grp = ?', group);
  }

  /** How many groups with members have their home here: this shard's share of `pushport_groups`. */
  groups(): number {
    return this.db.all<{ n: number }>('SELECT count(DISTINCT grp) AS n FROM pushport_group_index WHERE members > 0')[0]?.n ?? 0;
  }
}

/** Counts of uids by bucket: what a join or leave of these uids adds to a group's index. */
export function countByBucket(uids: Iterable<string>, sign = 1): Map<number, number> {
  const counts = new Map<number, number>();
  for (const uid of uids) {
    const bucket = bucketOf(uid);
    counts.set(bucket, (counts.get(bucket) ?? 0) + sign);
  }
  return counts;
}
