import type { SqlDb } from '../src/index.ts';
import { bucketOf } from './bucket-layout.ts';

/**
 * Every mailbox row of one bucket's uids (see src/mailbox/mailbox-schema.ts), as it travels from the object that
 * held the bucket to its new owner: seq counters and marks, stored pushes with their deadlines, remembered ids.
 */
export interface BucketRows {
  uids: [uid: string, seq: number, markedUntil: number][];
  messages: [uid: string, seq: number, message: string, keepUntil: number, queuedUntil: number][];
  ids: [uid: string, id: string, seq: number, answer: number | null, keepUntil: number][];
}

/** No rows: what an object that never held the bucket gives. */
export function noRows(): BucketRows {
  return { uids: [], messages: [], ids: [] };
}

/** The uids of a bucket that have a row here (every stored push and id has one: its seq counter). */
export function uidsOfBucket(db: SqlDb, bucket: number): string[] {
  return db.all('SELECT uid FROM pushport_uids').map((row) => row.uid as string).filter((uid) => bucketOf(uid) === bucket);
}

/** Reads every row of these uids, exactly as stored. */
export function readRows(db: SqlDb, uids: readonly string[]): BucketRows {
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
  });
}

/** Deletes every row of these uids: their bucket has a new owner, which holds the copy. */
export function deleteRows(db: SqlDb, uids: readonly string[]): void {
  db.transaction(() => {
    for (const table of ['pushport_uids', 'pushport_messages', 'pushport_ids']) {
      for (const uid of uids) db.run(`DELETE FROM ${table} WHERE uid = ?`, uid);
    }
  });
}
