import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteDb } from '../../../emulator/push/sqlite-db.ts';
import { Mailbox, QUEUED, defaultLimits, isRefusal, refusal, type MailboxLimits } from '../../../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'pushport-mailbox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.now();
const mailbox = (limits: Partial<MailboxLimits> = {}, file = ':memory:') => new Mailbox(new SqliteDb(file), { ...defaultLimits, ...limits }, T0);

/** Stores and settles one push at `now`, as a runtime does; returns its seq and answer. */
function send(box: Mailbox, uid: string, message: string, delivered: number, options: { ttl?: number; id?: string } = {}, now = T0) {
  const accepted = box.accept(uid, message, options.ttl, options.id, now);
  if ('repeat' in accepted) return { repeat: accepted.repeat };
  return { seq: accepted.seq, answer: box.settle(uid, accepted.seq, delivered, options.ttl, options.id, now) };
}

describe('Mailbox', () => {
  it('numbers each uid\'s pushes from 1, separately per uid', () => {
    const box = mailbox();
    expect([send(box, 'a', 'x', 1).seq, send(box, 'a', 'y', 1).seq, send(box, 'b', 'z', 1).seq]).toEqual([1, 2, 1]);
  });

  it('answers the count reached, QUEUED for a ttl push that reached nobody, else 0', () => {
    const box = mailbox();
    expect(send(box, 'a', 'x', 2).answer).toBe(2);
    expect(send(box, 'a', 'y', 0, { ttl: 30 }).answer).toBe(QUEUED);
    expect(send(box, 'a', 'z', 0).answer).toBe(0);
    expect(box.figures().queued).toBe(1);
  });

  it('hands the queue over once, in seq order, and retains everything for resume after since', () => {
    const box = mailbox();
    send(box, 'u', 'one', 0, { ttl: 30 });
    send(box, 'u', 'two', 0);
    send(box, 'u', 'three', 0, { ttl: 30 });
    expect(box.backlog('u', undefined, T0)).toEqual([{ seq: 1, message: 'one' }, { seq: 3, message: 'three' }]);
    expect(box.backlog('u', undefined, T0)).toEqual([]);
    expect(box.figures().queued).toBe(0);
    expect(box.backlog('u', 1, T0).map((p) => p.message)).toEqual(['two', 'three']);
  });

  it('keeps the newest MAX_RETAINED_PER_UID for resume, but never drops a queued one for it', () => {
    const box = mailbox({ maxRetainedPerUid: 2 });
    send(box, 'u', 'q', 0, { ttl: 30 });
    for (const m of ['a', 'b', 'c', 'd']) send(box, 'u', m, 1);
    expect(box.backlog('u', 0, T0).map((p) => p.message)).toEqual(['q', 'c', 'd']);
  });

  it('refuses a ttl push past MAX_QUEUED_PER_UID or MAX_QUEUED_TOTAL, keeps it out of the queue, and forgets its id', () => {
    const box = mailbox({ maxQueuedPerUid: 2, maxQueuedTotal: 3 });
    send(box, 'u', '1', 0, { ttl: 30 });
    send(box, 'u', '2', 0, { ttl: 30 });
    expect(send(box, 'u', '3', 0, { ttl: 30, id: 'k' }).answer).toEqual(refusal('queue full: 2 pushes wait for this uid already (MAX_QUEUED_PER_UID)'));
    send(box, 'v', '4', 0, { ttl: 30 });
    expect(send(box, 'w', '5', 0, { ttl: 30 }).answer).toEqual(refusal(expect.stringMatching(/MAX_QUEUED_TOTAL/)));
    expect(box.backlog('u', undefined, T0).map((p) => p.message)).toEqual(['1', '2']);
    // The refused id was forgotten: a retry once there is room is taken.
    expect(send(box, 'u', '3', 0, { ttl: 30, id: 'k' }).answer).toBe(QUEUED);
  });

  it('answers a repeated id like the first until IDEMPOTENCY_SECONDS pass', () => {
    const box = mailbox({ idempotencySeconds: 10 });
    expect(send(box, 'u', 'x', 3, { id: 'a' }).answer).toBe(3);
    expect(send(box, 'u', 'x', 0, { id: 'a' })).toEqual({ repeat: 3 });
    expect(send(box, 'other', 'x', 0, { id: 'a' }).answer).toBe(0);
    box.sweep(T0 + 11_000);
    expect(send(box, 'u', 'x', 1, { id: 'a' }, T0 + 11_000)).toEqual({ seq: 2, answer: 1 });
  });

  it('hands back the seq of an id whose first push was stored but never answered (its process died), to send again', () => {
    const box = mailbox();
    box.accept('u', 'x', undefined, 'lost');
    expect(box.accept('u', 'x', undefined, 'lost')).toEqual({ seq: 1, again: true });
    expect(box.backlog('u', 0, T0)).toEqual([{ seq: 1, message: 'x' }]);
  });

  it('takes a refused push out of the history, so that a resuming client never receives it', () => {
    const box = mailbox({ maxQueuedPerUid: 1 });
    send(box, 'u', 'kept', 0, { ttl: 30 });
    expect(isRefusal(send(box, 'u', 'refused', 0, { ttl: 30 }).answer!)).toBe(true);
    expect(box.backlog('u', 0, T0).map((p) => p.message)).toEqual(['kept']);
  });

  it('drops a queued push whose ttl passed and counts it, and forgets retained pushes after RETAIN_SECONDS', () => {
    const box = mailbox({ retainSeconds: 60 });
    send(box, 'u', 'short', 0, { ttl: 5 });
    send(box, 'u', 'long', 0, { ttl: 600 });
    expect(box.sweep(T0 + 6000)).toBe(1);
    expect(box.figures()).toEqual({ queued: 1, expired: 1 });
    expect(box.backlog('u', undefined, T0 + 6000).map((p) => p.message)).toEqual(['long']);
    box.sweep(T0 + 61_000);
    // Retention follows the ttl when it is longer than RETAIN_SECONDS.
    expect(box.backlog('u', 0, T0 + 61_000).map((p) => p.message)).toEqual(['long']);
  });

  it('marks a uid for MARK_SECONDS, tells when peers must hear of it, and learns marks from peers', () => {
    const box = mailbox({ markSeconds: 100 });
    expect(box.isMarked('u')).toBe(false);
    expect(box.mark('u', Date.now())).toBe(true);
    expect(box.mark('u', Date.now())).toBe(false);
    expect(box.isMarked('u')).toBe(true);
    box.learnMark('p', Date.now() + 5000);
    expect(box.isMarked('p')).toBe(true);
    box.learnMark('gone', Date.now() - 1);
    expect(box.isMarked('gone')).toBe(false);
  });

  it('tells when a uid becomes marked and when its mark is swept, once each, and lists the marked uids', () => {
    const box = mailbox({ markSeconds: 100 });
    const changes: string[] = [];
    box.onMarkChange = (uid, marked) => changes.push(`${uid} ${marked}`);
    const now = Date.now();
    box.mark('u', now);
    box.mark('u', now + 1);
    box.learnMark('u', now + 500_000);
    box.learnMark('p', now + 5000);
    box.learnMark('p', now + 6000);
    box.learnMark('late', now - 1);
    expect(changes).toEqual(['u true', 'p true']);
    expect(box.markedUids().sort()).toEqual(['p', 'u']);
    box.sweep(now + 10_000);
    expect(changes).toEqual(['u true', 'p true', 'p false']);
    box.mark('p', now + 20_000);
    expect(changes.at(-1)).toBe('p true');
  });

  it('keeps seqs, queue and marks in the file: a new process continues where the last one stopped', async () => {
    const file = join(dir, 'store.db');
    const first = mailbox({}, file);
    send(first, 'u', 'a', 1);
    send(first, 'u', 'b', 0, { ttl: 60 });
    first.mark('u', Date.now());
    // The writes of one run are committed together, when it ends.
    await first.committed();
    const second = mailbox({}, file);
    expect(second.isMarked('u')).toBe(true);
    expect(second.figures().queued).toBe(1);
    expect(send(second, 'u', 'c', 1).seq).toBe(3);
    expect(second.backlog('u', undefined, T0)).toEqual([{ seq: 2, message: 'b' }]);
  });

  it('says when it next has something to expire: the first ttl, retention or id', () => {
    const box = mailbox({ retainSeconds: 60, idempotencySeconds: 30 });
    expect(box.nextExpiry()).toBeUndefined();
    send(box, 'u', 'a', 1, { id: 'k' });
    expect(box.nextExpiry()).toBe(T0 + 30_000);
    send(box, 'u', 'b', 0, { ttl: 5 });
    expect(box.nextExpiry()).toBe(T0 + 5000);
  });

  it('never hands out a seq a resuming client has seen, even from a store that lost the uid', () => {
    const box = mailbox();
    expect(box.backlog('u', 41, T0)).toEqual([]);
    expect(send(box, 'u', 'x', 1).seq).toBe(42);
  });
});
