import { QUEUED, type PushAnswer } from './push-answer.ts';

/** Running totals of the pushes served; a runtime may persist and restore them. */
export interface HubCounters {
  /** Pushes to a uid, delivered or not. */
  pushes: number;
  /** Messages that went out to a connection (one push to two tabs counts two). */
  delivered: number;
  /** Pushes that reached nobody. */
  failed: number;
  /** Pushes that reached nobody and wait for their uid (they had a ttl). */
  queued: number;
  /** Broadcasts sent. */
  broadcasts: number;
}

/** A fresh set of counters, all zero. */
export function zeroCounters(): HubCounters {
  return { pushes: 0, delivered: 0, failed: 0, queued: 0, broadcasts: 0 };
}

/**
 * Counts pushes where they are answered, once for the whole server: the layer that knows a push's total
 * (a shard for its uids, or the process a push landed in) counts it; whoever only delivered part counts nothing.
 */
export class PushTally {
  /** What has been served; a runtime may persist and restore it. */
  readonly counters: HubCounters;

  constructor(counters: HubCounters = zeroCounters()) {
    this.counters = counters;
  }

  /** Counts one push by its answer (a refused push was not taken, and counts nothing); returns the answer. */
  push(answer: number): number;
  push(answer: PushAnswer): PushAnswer;
  push(answer: PushAnswer): PushAnswer {
    if (typeof answer !== 'number') return answer;
    this.counters.pushes++;
    if (answer > 0) this.counters.delivered += answer;
    else if (answer === QUEUED) this.counters.queued++;
    else this.counters.failed++;
    return answer;
  }

  /** Counts the writes of a fan-out that is neither a uid push nor a broadcast (a group push); returns them. */
  delivered(n: number): number {
    this.counters.delivered += n;
    return n;
  }

  /**
   * Counts one broadcast this share fanned out, with the deliveries it answers for. Every share counts every
   * broadcast it sent to its sockets, so a sum keeps the largest count (see sumStats).
   */
  broadcast(delivered: number): number {
    this.counters.broadcasts++;
    this.counters.delivered += delivered;
    return delivered;
  }
}
