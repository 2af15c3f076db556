/** Seqs that a client never received and the server no longer holds. */
export interface SeqGap {
  from: number;
  to: number;
}

/** What to do with a frame: deliver it, drop it as seen, fetch the missing ones first, or deliver past a lost gap. */
export type SeqVerdict = 'deliver' | 'duplicate' | 'refetch' | SeqGap;

/** Tracks the last seq delivered, so a resumed stream delivers each push once and in order. */
export class SeqTracker {
  /** The last seq delivered (0: none yet). */
  lastSeq: number;
  private resumed = false;
  private refetching = false;

  /** `since` that is not a positive integer (a missing or garbled stored value) counts as none. */
  constructor(since = 0) {
    this.lastSeq = Number.isSafeInteger(since) && since > 0 ? since : 0;
  }

  /**
   * A connection opened. One opened to fetch a gap gets every retained push first, so the same gap at its start
   * means the server no longer holds the missing ones: it is accepted rather than fetched again. Any other
   * reconnect refetches a gap once: the missing pushes may have been stored while this client was identifying.
   */
  connected(): void {
    this.resumed = this.refetching && this.lastSeq > 0;
    this.refetching = false;
  }

  /** Judges a stored frame's seq (> 0); seq 0 is never tracked. */
  check(seq: number): SeqVerdict {
    const last = this.lastSeq;
    if (seq <= last) return 'duplicate';
    const resumed = this.resumed;
    this.resumed = false;
    if (last === 0 || seq === last + 1) {
      this.lastSeq = seq;
      return 'deliver';
    }
    if (!resumed) {
      this.refetching = true;
      return 'refetch';
    }
    this.lastSeq = seq;
    return { from: last + 1, to: seq - 1 };
  }
}
