import type { SqlDb } from './sql-db.ts';

/**
 * When the mailbox next has something to expire (ms since the epoch): a queued push's ttl, a stored push's
 * retention, or a remembered id; undefined when it holds nothing. A runtime that sweeps by alarm wakes then.
 */
export function nextExpiry(db: SqlDb): number | undefined {
  const [row] = db.all(`SELECT min(t) AS t FROM (
    SELECT min(queued_until) AS t FROM pushport_messages WHERE queued_until > 0
    UNION ALL SELECT min(keep_until) FROM pushport_messages
    UNION ALL SELECT min(keep_until) FROM pushport_ids)`);
  const at = row?.t;
  return typeof at === 'number' ? at : undefined;
}
