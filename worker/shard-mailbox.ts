import {
  DurablePushes, Mailbox, type Hub, type MailboxFigures, type MailboxLimits, type PushAnswer, type PushTally,
} from '../src/index.ts';
import type { AlarmSchedule } from './alarm-schedule.ts';
import type { EdgeSocket } from './edge-socket.ts';
import { DurableObjectSqlDb } from './sql-db.ts';

const expiredKey = 'queue-expired';

/**
 * A shard's durable pushes, in its own SQLite: the uids it holds get their seqs, retention, queue and
 * remembered ids here. Expiry runs from the object's alarm, set no later than the first thing to expire.
 */
export class ShardMailbox {
  private readonly storage: DurableObjectStorage;
  private readonly mailbox: Mailbox;
  private readonly durable: DurablePushes;
  private readonly hub: Hub<EdgeSocket>;
  private readonly tally: PushTally;
  private readonly limits: MailboxLimits;
  private readonly alarm: AlarmSchedule;
  // Queued pushes that expired unseen, over the shard's life: a counter must not restart with an eviction.
  private expired: number;

  constructor(storage: DurableObjectStorage, limits: MailboxLimits, hub: Hub<EdgeSocket>, tally: PushTally, alarm: AlarmSchedule) {
    this.storage = storage;
    this.mailbox = new Mailbox(new DurableObjectSqlDb(storage), limits);
    this.durable = new DurablePushes(this.mailbox);
    this.hub = hub;
    this.tally = tally;
    this.limits = limits;
    this.alarm = alarm;
    this.expired = storage.kv.get<number>(expiredKey) ?? 0;
  }

  /** Whether a push goes through the store (it has a ttl or an id, or its uid has v1 clients). */
  needed(uid: string, ttl: number | undefined, id: string | undefined): boolean {
    return this.durable.needed(uid, ttl, id);
  }

  /**
   * Stores, delivers and counts one durable push. Answers a count, QUEUED, or a refusal; after
   * the expiry alarm is set, when this push needs it earlier than the pending one (rarely: a promise then).
   */
  push(uid: string, message: string, ttl: number | undefined, id: string | undefined): PushAnswer | Promise<PushAnswer> {
    const answer = this.store(uid, message, ttl, id);
    // The earliest this push's rows can expire: its ttl, its retention, its id.
    const seconds = Math.min(ttl ?? this.limits.retainSeconds, id === undefined ? Infinity : this.limits.idempotencySeconds);
    const scheduling = this.alarm.atMost(Date.now() + seconds * 1000);
    return scheduling === undefined ? answer : scheduling.then(() => answer, (error: unknown) => {
      // The push is stored and answered all the same; the next alarm that runs sweeps it.
      console.error('pushport: could not schedule the expiry alarm', error);
      return answer;
    });
  }

  /**
   * A socket identified as `uid`: a v1 client marks the uid (its pushes are stored from now on) and gets what
   * it missed after its `?since=`; any client gets the pushes queued for the uid. Called in the identify's own
   * turn: the hub holds nothing live for it meanwhile.
   */
  welcome(socket: EdgeSocket, uid: string): void {
    try {
      if (socket.v1) this.mailbox.mark(uid);
      const since = socket.v1 ? socket.resumeAfter : undefined;
      // A client with nothing to resume and nothing queued anywhere costs no storage read; a v1 one still ends
      // its resume window (the hub holds its live pushes until then).
      const none = since === undefined && this.mailbox.figures().queued === 0;
      this.hub.sendBacklog(socket, none ? [] : this.mailbox.backlog(uid, since));
    } catch (error) {
      // A store that fails closes a v1 socket, whose client resumes from its own seq, rather than leave its live
      // pushes waiting for a backlog that never comes (as the local server does).
      console.error('pushport: could not read the store for a joining socket', error);
      if (socket.v1) this.hub.abandonBacklog(socket);
    }
  }

  /** Drops what has expired by `now`; returns when the next thing expires (undefined: nothing is stored). */
  sweep(now = Date.now()): number | undefined {
    const expired = this.mailbox.sweep(now);
    if (expired > 0) {
      this.expired += expired;
      this.storage.kv.put(expiredKey, this.expired);
    }
    return this.mailbox.nextExpiry();
  }

  /**
   * A bucket's rows arrived here or left: learns the marks that came with them, recounts the queue, and returns
   * when the next thing expires, as `sweep` does.
   */
  adopt(marks: readonly (readonly [uid: string, seq: number, markedUntil: number])[]): number | undefined {
    for (const [uid, , until] of marks) if (until > 0) this.mailbox.learnMark(uid, until);
    return this.sweep();
  }

  /** Pushes waiting for their uid now, and queued pushes that expired unseen so far. */
  figures(): MailboxFigures {
    return { queued: this.mailbox.figures().queued, expired: this.expired };
  }

  private store(uid: string, message: string, ttl: number | undefined, id: string | undefined): PushAnswer {
    // Delivery answers at once here, so the answer is never a promise.
    const answer = this.durable.push(uid, message, ttl, id, (seq) => this.hub.deliverSeq(uid, message, seq)) as PushAnswer;
    return this.tally.push(answer);
  }
}

