import type { SqlDb } from '../src/index.ts';
import { bucketOf } from './bucket-layout.ts';

/**
 * Every row of one bucket, as it travels from the object that held the bucket to its new owner: its uids' mailbox
 * rows (see src/mailbox/mailbox-schema.ts: seq counters and marks, stored pushes with their deadlines, remembered
 * ids), their group memberships (group-members.ts), and the index of every group whose name falls in the bucket
 * (group-index.ts).
 */
export interface BucketRows {
  uids: [uid: string, seq: number, markedUntil: number][];
  messages: [uid: string, seq: number, message: string, keepUntil: number, queuedUntil: number][];
  ids: [uid: string, id: string, seq: number, answer: number | null, keepUntil: number][];
  members: [group: string, uid: string][];
  groups: [group: string, bucket: number, members: number][];
}

/** No rows: what an object that never held the bucket gives. */
export function noRows(): BucketRows {
  return { uids: [], messages: [], ids: [], members: [], groups: [] };
}

/** Whether there is nothing to hand over. */
export function isEmpty(rows: BucketRows): boolean {
  return rows.uids.length + rows.messages.length + rows.ids.length + rows.members.length + rows.groups.length === 0;
}

/** Appends the rows of another giver. */
export function appendRows(rows: BucketRows, more: BucketRows): void {
  rows.uids.push(...more.uids);
  rows.messages.push(...more.messages);
  rows.ids.push(...more.ids);
  rows.members.push(...more.members);
  rows.groups.push(...more.groups);
}

// The uids of a bucket with mailbox rows here: each has a seq counter (every stored push and id has one).
function uidsOfBucket(db: SqlDb, bucket: number): string[] {
  return db.all('SELECT uid FROM pushport_uids').map((row) => row.uid as string).filter((uid) => bucketOf(uid) === bucket);
}

/** Every row of a bucket held here: its uids' rows, their memberships and the index of the groups whose home it is. */
export function readBucket(db: SqlDb, bucket: number): BucketRows {
  const rows = readRows(db, uidsOfBucket(db, bucket));
  // A membership row carries its uid's bucket: one read, whatever the uids.
  for (const r of db.all('SELECT grp, uid FROM pushport_group_members WHERE bucket = ?', bucket)) rows.members.push([r.grp as string, r.uid as string]);
  for (const r of db.all('SELECT grp, bucket, members FROM pushport_group_index WHERE home = ?', bucket)) {
    rows.groups.push([r.grp as string, r.bucket as number, r.members as number]);
  }
  return rows;
}

/** Deletes every row of a bucket: it has a new owner, which holds the copy. */
export function deleteBucket(db: SqlDb, bucket: number): void {
  db.transaction(() => {
    deleteRows(db, uidsOfBucket(db, bucket));
    db.run('DELETE FROM pushport_group_members WHERE bucket = ?', bucket);
    db.run('DELETE FROM pushport_group_index WHERE home = ?', bucket);
  });
}

// Reads the mailbox rows of these uids, exactly as stored.
function readRows(db: SqlDb, uids: readonly string[]): BucketRows {
  const rows = noRows();
  for (const uid of uids) {
    for (const r of db.all('SELECT seq, marked_until FROM pushport_uids WHERE uid = ?', uid)) {
      rows.uids.push([uid, r.seq as number, r.marked_until as number]);
    }
    for (const r of db.all('SELECT seq, message, keep_until, queued_until FROM pushport_messages WHERE uid = ?', uid)) {
      rows.messages.push([uid, r.seq as number, r.message as string, r.keep_until as number, r.queued_until as number]);
    }
    for (const r of db.all('SELECT id, seq, answer, keep_until FROM pushport_ids WHERE uid = ?', uid)) {
      rows.ids.push([uid, r.id as string, r.seq as number, r.answer as number | null, r.keep_until as number]);
    }
  }
  return rows;
}

/**
 * Writes rows given by another object, in one transaction. Writing the same rows twice changes nothing, and a
 * seq counter or mark only ever goes up: a copy that arrives again after a crash cannot take anything back.
 */
export function writeRows(db: SqlDb, rows: BucketRows): void {
  db.transaction(() => {
    for (const [uid, seq, marked] of rows.uids) {
      db.run(`INSERT INTO pushport_uids (uid, seq, marked_until) VALUES (?, ?, ?) ON CONFLICT (uid) DO UPDATE
              SET seq = max(seq, excluded.seq), marked_until = max(marked_until, excluded.marked_until)`, uid, seq, marked);
    }
    for (const [uid, seq, message, keep, queued] of rows.messages) {
      db.run('INSERT OR REPLACE INTO pushport_messages VALUES (?, ?, ?, ?, ?)', uid, seq, message, keep, queued);
    }
    for (const [uid, id, seq, answer, keep] of rows.ids) {
      db.run('INSERT OR REPLACE INTO pushport_ids VALUES (?, ?, ?, ?, ?)', uid, id, seq, answer, keep);
    }
    for (const [group, uid] of rows.members) db.run('INSERT OR IGNORE INTO pushport_group_members VALUES (?, ?, ?)', group, bucketOf(uid), uid);
    for (const [group, bucket, members] of rows.groups) {
      db.run('INSERT OR REPLACE INTO pushport_group_index VALUES (?, ?, ?, ?)', group, bucket, members, bucketOf(group));
    }
  });
}

// Deletes the mailbox rows of these uids.
function deleteRows(db: SqlDb, uids: readonly string[]): void {
  db.transaction(() => {
    for (const table of ['pushport_uids', 'pushport_messages', 'pushport_ids']) {
      for (const uid of uids) db.run(`DELETE FROM ${table} WHERE uid = ?`, uid);
    }
  });
}
