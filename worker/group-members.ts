import { tooManyGroups, type GroupRefusal, type SqlDb } from '../src/index.ts';
import { BUCKETS, bucketOf } from './bucket-layout.ts';

/** Where a page of members ends: members are ordered by bucket, then uid, which no layout change reorders. */
export interface MemberMark {
  bucket: number;
  uid: string;
}

/** A member page's cursor: the bucket and uid it ended at. */
export function cursorOf(mark: MemberMark): string {
  return `${mark.bucket}.${mark.uid}`;
}

/** Where a cursor ends; a cursor this server did not make reads as past the last member. */
export function markOf(cursor: string): MemberMark {
  const dot = cursor.indexOf('.');
  const bucket = dot > 0 && /^\d+$/.test(cursor.slice(0, dot)) ? Number(cursor.slice(0, dot)) : NaN;
  return bucket >= 0 && bucket <= BUCKETS ? { bucket, uid: cursor.slice(dot + 1) } : { bucket: BUCKETS, uid: '' };
}


const statements = [
  // A member lives with its uid: in the shard that owns the uid's bucket, keyed so that a group's members in a
  // bucket, and the members after a page's end, are a range of the key.
  `CREATE TABLE IF NOT EXISTS pushport_group_members (
     grp TEXT NOT NULL, bucket INTEGER NOT NULL, uid TEXT NOT NULL, PRIMARY KEY (grp, bucket, uid)) WITHOUT ROWID`,
  'CREATE INDEX IF NOT EXISTS pushport_group_members_uid ON pushport_group_members (uid)',
  'CREATE INDEX IF NOT EXISTS pushport_group_members_bucket ON pushport_group_members (bucket)',
];

/** Creates the member table where it is missing. */
export function createMemberTable(db: SqlDb): void {
  for (const sql of statements) db.run(sql);
}

// A list of buckets as SQL: the numbers are ours, never a client's, so they go into the text.
function inList(buckets: readonly number[]): string {
  return buckets.map((b) => String(Math.trunc(b))).join(',');
}

/**
 * The group members of the uids one shard holds, in its SQLite: they move with their uid's bucket
 * (bucket-rows.ts) and survive eviction and restarts. Every read names the buckets asked for, so rows of a bucket
 * that was given away but not yet forgotten are never served.
 */
export class GroupMembers {
  private readonly db: SqlDb;

  constructor(db: SqlDb) {
    this.db = db;
    createMemberTable(db);
  }

  /**
   * Adds uids to a group, all or none: the uids that were not members, or a refusal naming a uid that is
   * already in `maxGroups` groups.
   */
  join(group: string, uids: readonly string[], maxGroups: number): string[] | GroupRefusal {
    // Every uid is checked before any is written: a transaction that returns commits what it wrote.
    const added = [...new Set(uids)].filter((uid) => !this.has(group, uid));
    const full = added.find((uid) => this.groupsOf(uid).length >= maxGroups);
    if (full !== undefined) return tooManyGroups(full, maxGroups);
    this.db.transaction(() => {
      for (const uid of added) this.db.run('INSERT INTO pushport_group_members VALUES (?, ?, ?)', group, bucketOf(uid), uid);
    });
    return added;
  }

  /** Takes uids out of a group; answers those that were members. */
  leave(group: string, uids: readonly string[]): string[] {
    return this.db.transaction(() => uids.filter((uid) =>
      this.db.all('DELETE FROM pushport_group_members WHERE grp = ? AND bucket = ? AND uid = ? RETURNING uid', group, bucketOf(uid), uid).length > 0));
  }

  /** Deletes a group's members in these buckets (and any stale copy of others); answers how many were in them. */
  remove(group: string, buckets: readonly number[]): number {
    return this.db.transaction(() => {
      const gone = this.db.all<{ bucket: number }>('DELETE FROM pushport_group_members WHERE grp = ? RETURNING bucket', group);
      const asked = new Set(buckets);
      return gone.filter((row) => asked.has(row.bucket)).length;
    });
  }

  /** The group's members in these buckets. */
  uidsIn(group: string, buckets: readonly number[]): string[] {
    if (buckets.length === 0) return [];
    return this.db.all<{ uid: string }>(`SELECT uid FROM pushport_group_members WHERE grp = ? AND bucket IN (${inList(buckets)})`, group)
      .map((row) => row.uid);
  }

  /** Up to `limit` members in these buckets after `after`, in (bucket, uid) order, for which `keep` holds. */
  page(group: string, buckets: readonly number[], after: MemberMark | undefined, limit: number, keep: (uid: string) => boolean): MemberMark[] {
    const marks: MemberMark[] = [];
    const sorted = [...buckets].sort((a, b) => a - b).filter((b) => after === undefined || b >= after.bucket);
    for (const bucket of sorted) {
      const from = after !== undefined && bucket === after.bucket ? after.uid : undefined;
      const rows = from === undefined
        ? this.db.all<{ uid: string }>('SELECT uid FROM pushport_group_members WHERE grp = ? AND bucket = ? ORDER BY uid', group, bucket)
        : this.db.all<{ uid: string }>('SELECT uid FROM pushport_group_members WHERE grp = ? AND bucket = ? AND uid > ? ORDER BY uid', group, bucket, from);
      for (const { uid } of rows) {
        if (!keep(uid)) continue;
        marks.push({ bucket, uid });
        if (marks.length >= limit) return marks;
      }
    }
    return marks;
  }

  /** The groups a uid belongs to, by name. */
  groupsOf(uid: string): string[] {
    return this.db.all<{ grp: string }>('SELECT grp FROM pushport_group_members WHERE uid = ? ORDER BY grp', uid).map((row) => row.grp);
  }

  private has(group: string, uid: string): boolean {
    return this.db.all('SELECT 1 FROM pushport_group_members WHERE grp = ? AND bucket = ? AND uid = ?', group, bucketOf(uid), uid).length > 0;
  }
}
