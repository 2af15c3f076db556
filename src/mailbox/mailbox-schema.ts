import type { SqlDb } from './sql-db.ts';

/**
 * The mailbox tables. Times are milliseconds since the epoch.
 * - uids: each uid's last seq (kept, so a seq never goes back) and until when it is marked (a v1 client was here).
 * - messages: stored pushes, exact text; `queued_until` > 0 while a ttl push waits for its uid to come online.
 * - ids: the seq and answer of each (uid, id) push; the answer is NULL while it is being delivered.
 */
const statements = [
  `CREATE TABLE IF NOT EXISTS pushport_uids (
     uid TEXT PRIMARY KEY, seq INTEGER NOT NULL, marked_until INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS pushport_messages (
     uid TEXT NOT NULL, seq INTEGER NOT NULL, message TEXT NOT NULL, keep_until INTEGER NOT NULL,
     queued_until INTEGER NOT NULL, PRIMARY KEY (uid, seq)) WITHOUT ROWID`,
  'CREATE INDEX IF NOT EXISTS pushport_messages_queued ON pushport_messages (queued_until) WHERE queued_until > 0',
  'CREATE INDEX IF NOT EXISTS pushport_messages_keep ON pushport_messages (keep_until)',
  `CREATE TABLE IF NOT EXISTS pushport_ids (
     uid TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL, answer INTEGER, keep_until INTEGER NOT NULL,
     PRIMARY KEY (uid, id)) WITHOUT ROWID`,
  'CREATE INDEX IF NOT EXISTS pushport_ids_keep ON pushport_ids (keep_until)',
];

/** Creates the mailbox tables where they are missing. */
export function createMailboxTables(db: SqlDb): void {
  for (const sql of statements) db.run(sql);
}
