import type { Limits } from '../limits.ts';
import type { SqlDb } from '../mailbox/sql-db.ts';
import { groupFull, tooManyGroups, type GroupRefusal, type MemberPage } from './group-target.ts';

/**
 * The group tables, beside the mailbox's in the same store.
 * - group_members: one row per (group, uid); the index by uid answers a uid's groups.
 * - groups: each group's member count, so a join checks MAX_GROUP_MEMBERS without counting the members.
 */
const statements = [
  `CREATE TABLE IF NOT EXISTS pushport_group_members (grp TEXT NOT NULL, uid TEXT NOT NULL, PRIMARY KEY (grp, uid)) WITHOUT ROWID`,
  'CREATE INDEX IF NOT EXISTS pushport_group_members_uid ON pushport_group_members (uid, grp)',
  `CREATE TABLE IF NOT EXISTS pushport_groups (grp TEXT PRIMARY KEY, members INTEGER NOT NULL) WITHOUT ROWID`,
];

/** The limits membership is held to. */
export type GroupLimits = Pick<Limits, 'maxGroupsPerUid' | 'maxGroupMembers'>;

/**
 * Group membership in one SQL store (the local server's SQLite file, shared by its processes): joins and
 * leaves in transactions, so two processes joining at once cannot pass a limit together. Synchronous, like the
 * mailbox: on a write-behind store, show a change to nobody before `committed()` resolves.
 */
export class GroupStore {
  private readonly db: SqlDb;
  private readonly limits: GroupLimits;

  constructor(db: SqlDb, limits: GroupLimits) {
    this.db = db;
    this.limits = limits;
    for (const sql of statements) db.run(sql);
  }

  /** Adds uids to a group, all or none: the uids that were not members before, or why none were added. */
  join(group: string, uids: readonly string[]): string[] | GroupRefusal {
    return this.db.transaction(() => {
      const fresh = [...new Set(uids)].filter((uid) => !this.isMember(group, uid));
      if (fresh.length === 0) return fresh;
      const members = this.size(group);
      if (members + fresh.length > this.limits.maxGroupMembers) {
        return groupFull(group, members, fresh.length, this.limits.maxGroupMembers);
      }
      for (const uid of fresh) {
        const [row] = this.db.all<{ n: number }>('SELECT count(*) AS n FROM pushport_group_members WHERE uid = ?', uid);
        if (row!.n >= this.limits.maxGroupsPerUid) return tooManyGroups(uid, this.limits.maxGroupsPerUid);
      }
      for (const uid of fresh) this.db.run('INSERT INTO pushport_group_members (grp, uid) VALUES (?, ?)', group, uid);
      this.resize(group, members + fresh.length);
      return fresh;
    });
  }

  /** Takes a uid out of a group; answers whether it was a member. */
  leave(group: string, uid: string): boolean {
    return this.db.transaction(() => {
      const gone = this.db.all('DELETE FROM pushport_group_members WHERE grp = ? AND uid = ? RETURNING uid', group, uid).length > 0;
      if (gone) this.resize(group, this.size(group) - 1);
      return gone;
    });
  }

  /** Deletes a group; answers its members, who are no longer in it. */
  remove(group: string): string[] {
    return this.db.transaction(() => {
      const uids = this.db.all<{ uid: string }>('DELETE FROM pushport_group_members WHERE grp = ? RETURNING uid', group).map((r) => r.uid);
      this.resize(group, 0);
      return uids;
    });
  }

  /** How many members a group has. */
  size(group: string): number {
    return this.db.all<{ members: number }>('SELECT members FROM pushport_groups WHERE grp = ?', group)[0]?.members ?? 0;
  }

  /** One page of members in uid order, after `cursor` (the last uid of the page before). */
  page(group: string, cursor: string | undefined, limit: number): MemberPage {
    const rows = this.db.all<{ uid: string }>('SELECT uid FROM pushport_group_members WHERE grp = ? AND uid > ? ORDER BY uid LIMIT ?',
      group, cursor ?? '', limit + 1);
    const uids = rows.slice(0, limit).map((r) => r.uid);
    return rows.length > limit ? { uids, cursor: uids.at(-1)! } : { uids };
  }

  /** Every member of a group (at most MAX_GROUP_MEMBERS), for a push that is stored per member. */
  members(group: string): string[] {
    return this.db.all<{ uid: string }>('SELECT uid FROM pushport_group_members WHERE grp = ?', group).map((r) => r.uid);
  }

  /** The groups a uid belongs to, in name order. */
  groupsOf(uid: string): string[] {
    return this.db.all<{ grp: string }>('SELECT grp FROM pushport_group_members WHERE uid = ? ORDER BY grp', uid).map((r) => r.grp);
  }

  /** How many groups have members. */
  count(): number {
    return this.db.all<{ n: number }>('SELECT count(*) AS n FROM pushport_groups')[0]!.n;
  }

  /** Resolves once every change made so far is durable (see SqlDb); undefined when it is already. */
  committed(): Promise<void> | undefined {
    return this.db.committed();
  }

  private isMember(group: string, uid: string): boolean {
    return this.db.all('SELECT 1 FROM pushport_group_members WHERE grp = ? AND uid = ?', group, uid).length > 0;
  }

  // A group with no members has no row: `count()` is the number of groups in use.
  private resize(group: string, members: number): void {
    if (members > 0) this.db.run('INSERT INTO pushport_groups (grp, members) VALUES (?, ?) ON CONFLICT (grp) DO UPDATE SET members = excluded.members', group, members);
    else this.db.run('DELETE FROM pushport_groups WHERE grp = ?', group);
  }
}
