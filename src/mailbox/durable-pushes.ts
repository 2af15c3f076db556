import type { PushAnswer } from '../hub/push-answer.ts';
import type { Mailbox } from './mailbox.ts';

/**
 * Where a uid's durable pushes are decided: the uid's home process, or its Durable Object shard. A push is
 * stored (it gets its seq) before anyone is told about it, then delivered, then answered; a retry with the
 * same id while the first is still on its way gets the first one's answer.
 */
export class DurablePushes {
  /** The store. */
  readonly mailbox: Mailbox;
  private readonly inFlight = new Map<string, Promise<PushAnswer>>();

  constructor(mailbox: Mailbox) {
    this.mailbox = mailbox;
  }

  /** Whether a push goes through the store: it has a ttl or an id, or its uid has v1 clients to resume. */
  needed(uid: string, ttl: number | undefined, id: string | undefined): boolean {
    return ttl !== undefined || id !== undefined || this.mailbox.isMarked(uid);
  }

  /**
   * Stores, delivers and answers one push. `deliver` sends the stored push (with its seq) wherever the uid's
   * clients are and returns how many it reached; on a write-behind store it is called only once the push is
   * durable (SqlDb's ordering rule), so it may come after `push` returned. Answers a count, QUEUED or a refusal.
   */
  push(uid: string, message: string, ttl: number | undefined, id: string | undefined,
    deliver: (seq: number) => number | Promise<number>): PushAnswer | Promise<PushAnswer> {
    const key = id === undefined ? undefined : `${uid}\n${id}`;
    if (key !== undefined) {
      const first = this.inFlight.get(key);
      if (first) return first;
    }
    const accepted = this.mailbox.accept(uid, message, ttl, id);
    if ('repeat' in accepted) return accepted.repeat;
    // `again`: stored before, never answered; sent again with its seq, which v1 clients drop if they have it.
    const { seq } = accepted;
    // Delivered only once stored for good: a client must never see a seq that a crash could hand out again.
    const committed = this.mailbox.committed();
    const delivered = committed === undefined ? deliver(seq) : committed.then(() => deliver(seq));
    if (typeof delivered === 'number') return this.mailbox.settle(uid, seq, delivered, ttl, id);
    const answer = delivered.then((n) => this.mailbox.settle(uid, seq, n, ttl, id));
    if (key !== undefined) {
      this.inFlight.set(key, answer);
      const forget = () => void this.inFlight.delete(key);
      answer.then(forget, forget);
    }
    return answer;
  }
}
