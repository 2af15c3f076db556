import type { Limits } from '../limits.ts';
import { QUEUED, refusal, type PushAnswer } from '../hub/push-answer.ts';
import { createMailboxTables } from './mailbox-schema.ts';
import type { SqlDb } from './sql-db.ts';

/** The mailbox's bounds and times, as the limits name them. */
export type MailboxLimits = Pick<Limits,
  'retainSeconds' | 'maxRetainedPerUid' | 'maxQueuedPerUid' | 'maxQueuedTotal' | 'idempotencySeconds' | 'markSeconds'>;

/** A stored push as a client receives it again. */
export interface StoredPush {
  seq: number;
  message: string;
}

/**
 * What storing a push came to: its new seq; or the answer of an earlier push with the same id; or, when that
 * earlier push was stored but never answered (its process died on the way), its seq, to be delivered again.
 */
export type Accepted = { seq: number; again?: true } | { repeat: number };

/** Mailbox figures for /stats and /metrics. */
export interface MailboxFigures {
  /** Pushes waiting for an offline uid now. */
  queued: number;
  /** Queued pushes whose ttl passed before their uid came back. */
  expired: number;
}

/**
 * Each uid's stored pushes, in one SQL store: the seq counter, retention for resume, the ttl queue and the
 * answers of pushes with an `id`. Synchronous, so that a push is stored before anyone is told about it.
 */
export class Mailbox {
  private readonly db: SqlDb;
  private readonly limits: MailboxLimits;
  // Until when each marked uid stays marked: read on every push, so it lives in memory.
  private readonly marks = new Map<string, number>();
  /** Told when a uid becomes marked (`true`) and when its mark is swept (`false`), for those who keep marked uids too. */
  onMarkChange: ((uid: string, marked: boolean) => void) | undefined;
  private queuedTotal = 0;
  private expiredTotal = 0;

  constructor(db: SqlDb, limits: MailboxLimits, now = Date.now()) {
    this.db = db;
    this.limits = limits;
    createMailboxTables(db);
    for (const row of db.all<{ uid: string; marked_until: number }>('SELECT uid, marked_until FROM pushport_uids WHERE marked_until > ?', now)) {
      this.marks.set(row.uid, row.marked_until);
    }
    this.queuedTotal = this.countQueued(now);
  }

  /** Whether every push to this uid is stored: a pushport.v1 client of it identified within MARK_SECONDS. */
  isMarked(uid: string): boolean {
    const until = this.marks.get(uid);
    return until !== undefined && until > Date.now();
  }

  /** A v1 client of the uid identified. Returns true when other processes should hear of it (new or renewed). */
  mark(uid: string, now = Date.now()): boolean {
    const until = now + this.limits.markSeconds * 1000;
    const known = this.marks.get(uid);
    this.marks.set(uid, until);
    if (known === undefined || known <= now) this.onMarkChange?.(uid, true);
    // Renewed in the store at most twice per MARK_SECONDS, not on every reconnect.
    if (known !== undefined && known - now > this.limits.markSeconds * 500) return false;
    this.db.run(`INSERT INTO pushport_uids (uid, seq, marked_until) VALUES (?, 0, ?)
                 ON CONFLICT (uid) DO UPDATE SET marked_until = excluded.marked_until`, uid, until);
    return true;
  }

  /** Another process marked a uid. */
  learnMark(uid: string, until: number, now = Date.now()): void {
    const known = this.marks.get(uid) ?? 0;
    if (known >= until || until <= now) return;
    this.marks.set(uid, until);
    if (known <= now) this.onMarkChange?.(uid, true);
  }

  /** The uids marked now. */
  markedUids(now = Date.now()): string[] {
    return [...this.marks].filter(([, until]) => until > now).map(([uid]) => uid);
  }

  /** Until when a uid is marked (0 when it is not), to tell other processes. */
  markedUntil(uid: string): number {
    return this.marks.get(uid) ?? 0;
  }

  /** Stores a push and gives it the uid's next seq; with an `id` seen before, returns that push's answer instead. */
  accept(uid: string, message: string, ttl: number | undefined, id: string | undefined, now = Date.now()): Accepted {
    return this.db.transaction(() => {
      if (id !== undefined) {
        const [seen] = this.db.all<{ seq: number; answer: number | null }>(
          'SELECT seq, answer FROM pushport_ids WHERE uid = ? AND id = ? AND keep_until > ?', uid, id, now);
        if (seen) return seen.answer === null ? { seq: seen.seq, again: true as const } : { repeat: seen.answer };
      }
      const [row] = this.db.all<{ seq: number }>(`INSERT INTO pushport_uids (uid, seq) VALUES (?, 1)
                                 ON CONFLICT (uid) DO UPDATE SET seq = seq + 1 RETURNING seq`, uid);
      const seq = row!.seq;
      const keep = now + Math.max(this.limits.retainSeconds, ttl ?? 0) * 1000;
      this.db.run('INSERT INTO pushport_messages VALUES (?, ?, ?, ?, ?)', uid, seq, message, keep, ttl ? now + ttl * 1000 : 0);
      this.db.run('DELETE FROM pushport_messages WHERE uid = ? AND seq <= ? AND queued_until = 0', uid, seq - this.limits.maxRetainedPerUid);
      if (id !== undefined) {
        this.db.run(`INSERT INTO pushport_ids VALUES (?, ?, ?, NULL, ?)
                     ON CONFLICT (uid, id) DO UPDATE SET seq = excluded.seq, answer = NULL, keep_until = excluded.keep_until`,
        uid, id, seq, now + this.limits.idempotencySeconds * 1000);
      }
      return { seq };
    });
  }

  /**
   * Records how a stored push went and returns its answer: the connections it reached, QUEUED (nobody, but it
   * has a ttl and waits), 0, or a refusal when it would wait but the queue is full.
   */
  settle(uid: string, seq: number, delivered: number, ttl: number | undefined, id: string | undefined, now = Date.now()): PushAnswer {
    if (ttl === undefined && id === undefined) return delivered;
    // A refusal is an answer, not a failure: what it changed is committed with it.
    return this.db.transaction(() => this.record(uid, seq, delivered, ttl, id, now));
  }

  private record(uid: string, seq: number, delivered: number, ttl: number | undefined, id: string | undefined, now: number): PushAnswer {
    let answer = delivered;
    let refused: string | undefined;
    if (ttl !== undefined && delivered === 0) {
      refused = this.queueFull(uid, seq, now);
      if (refused === undefined) {
        answer = QUEUED;
        this.queuedTotal++;
      }
    }
    if (refused !== undefined) {
      // Refused is not taken: it leaves the history (a resuming client never sees it) and its id is forgotten,
      // so that a retry once the queue has room is taken.
      this.db.run('DELETE FROM pushport_messages WHERE uid = ? AND seq = ?', uid, seq);
      if (id !== undefined) this.db.run('DELETE FROM pushport_ids WHERE uid = ? AND id = ?', uid, id);
      return refusal(refused);
    }
    if (ttl !== undefined && answer !== QUEUED) this.db.run('UPDATE pushport_messages SET queued_until = 0 WHERE uid = ? AND seq = ?', uid, seq);
    if (id !== undefined) this.db.run('UPDATE pushport_ids SET answer = ? WHERE uid = ? AND id = ?', answer, uid, id);
    return answer;
  }

  /**
   * What a client of the uid gets before live pushes: with `since`, every retained push after it; without, the
   * queued ones. Either way the queue is emptied: those pushes are being delivered now.
   */
  backlog(uid: string, since: number | undefined, now = Date.now()): StoredPush[] {
    return this.db.transaction(() => {
      const rows = since === undefined
        ? this.db.all<StoredPush>('SELECT seq, message FROM pushport_messages WHERE uid = ? AND queued_until > ? ORDER BY seq', uid, now)
        : this.db.all<StoredPush>('SELECT seq, message FROM pushport_messages WHERE uid = ? AND seq > ? AND keep_until > ? ORDER BY seq', uid, since, now);
      const emptied = this.db.all('UPDATE pushport_messages SET queued_until = 0 WHERE uid = ? AND queued_until > ? RETURNING seq', uid, now).length;
      this.queuedTotal = Math.max(0, this.queuedTotal - emptied);
      // A store that lost the uid's counter (wiped, or a new deployment) must not hand out seqs the client has seen.
      if (since !== undefined && since > 0) {
        this.db.run(`INSERT INTO pushport_uids (uid, seq) VALUES (?, ?)
                     ON CONFLICT (uid) DO UPDATE SET seq = max(seq, excluded.seq)`, uid, since);
      }
      return rows;
    });
  }

  /**
   * The uid's retained pushes with `after < seq < before`, in order, taken off the queue: what a live socket
   * missed before the push `before` (see fillSeqGap).
   */
  between(uid: string, after: number, before: number, now = Date.now()): StoredPush[] {
    return this.db.transaction(() => {
      const rows = this.db.all<StoredPush>('SELECT seq, message FROM pushport_messages WHERE uid = ? AND seq > ? AND seq < ? AND keep_until > ? ORDER BY seq',
        uid, after, before, now);
      const emptied = this.db.all('UPDATE pushport_messages SET queued_until = 0 WHERE uid = ? AND seq > ? AND seq < ? AND queued_until > ? RETURNING seq',
        uid, after, before, now).length;
      this.queuedTotal = Math.max(0, this.queuedTotal - emptied);
      return rows.map((row) => ({ seq: row.seq, message: row.message }));
    });
  }

  /** Resolves when what was stored so far is durable (see SqlDb's write-behind); undefined when it is. */
  committed(): Promise<void> | undefined {
    return this.db.committed();
  }

  /** Drops what has expired; returns how many queued pushes expired unseen. */
  sweep(now = Date.now()): number {
    const expired = this.db.transaction(() => {
      const dropped = this.db.all('UPDATE pushport_messages SET queued_until = 0 WHERE queued_until > 0 AND queued_until <= ? RETURNING seq', now).length;
      this.db.run('DELETE FROM pushport_messages WHERE keep_until <= ?', now);
      this.db.run('DELETE FROM pushport_ids WHERE keep_until <= ?', now);
      return dropped;
    });
    for (const [uid, until] of this.marks) {
      if (until > now) continue;
      this.marks.delete(uid);
      this.onMarkChange?.(uid, false);
    }
    this.expiredTotal += expired;
    this.queuedTotal = this.countQueued(now);
    return expired;
  }

  /**
   * When the store next has something to expire (ms since the epoch): a queued push's ttl, a stored push's
   * retention, or a remembered id; undefined when it holds nothing. A runtime that sweeps by alarm wakes then.
   */
  nextExpiry(): number | undefined {
    const [row] = this.db.all<{ t: number | null }>(`SELECT min(t) AS t FROM (
      SELECT min(queued_until) AS t FROM pushport_messages WHERE queued_until > 0
      UNION ALL SELECT min(keep_until) FROM pushport_messages
      UNION ALL SELECT min(keep_until) FROM pushport_ids)`);
    return row?.t ?? undefined;
  }

  /** Queued and expired counts, for the operator. */
  figures(): MailboxFigures {
    return { queued: this.queuedTotal, expired: this.expiredTotal };
  }

  private queueFull(uid: string, seq: number, now: number): string | undefined {
    if (this.queuedTotal >= this.limits.maxQueuedTotal) {
      return `queue full: ${this.limits.maxQueuedTotal} pushes wait already (MAX_QUEUED_TOTAL)`;
    }
    // Only the pushes before this one count: later ones may be stored already, still on their way.
    const [row] = this.db.all<{ n: number }>('SELECT count(*) AS n FROM pushport_messages WHERE uid = ? AND seq < ? AND queued_until > ?', uid, seq, now);
    if (row!.n >= this.limits.maxQueuedPerUid) {
      return `queue full: ${this.limits.maxQueuedPerUid} pushes wait for this uid already (MAX_QUEUED_PER_UID)`;
    }
    return undefined;
  }

  private countQueued(now: number): number {
    const [row] = this.db.all<{ n: number }>('SELECT count(*) AS n FROM pushport_messages WHERE queued_until > ?', now);
    return row!.n;
  }
}
