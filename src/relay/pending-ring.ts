/** Called with a peer's answer, or with `undefined` when the peer went away before answering. */
export type AnswerHandler = (value: number | undefined, message?: string | Uint8Array) => void;

/** Takes one peer's count for a request made for many (a RoutedPush): an object rather than a closure per request. */
export interface Gatherer {
  gathered(n: number | undefined): void;
}

/** Who waits for a request's answer. */
export type Waiter = AnswerHandler | Gatherer;

const U32 = 0x1_0000_0000;

/**
 * The requests waiting for an answer, matched by a running number: request n sits in slot n mod the ring's
 * size, in parallel arrays (no object or map entry per request), and travels as n mod 2^32. The ring doubles
 * when the slot of a new request is still taken, so every waiting request is among the last `size` made.
 */
export class PendingRing {
  private size = 256;
  private waiters: (Waiter | undefined)[] = new Array<Waiter | undefined>(256);
  private numbers = new Float64Array(256);
  private peers = new Int32Array(256);
  private ages = new Float64Array(256);
  private next = 1;

  /** Records a request to `peer`, made in expiry round `age`; returns its id for the frame (never 0). */
  add(peer: number, age: number, waiter: Waiter): number {
    // Id 0 marks a frame that wants no answer: skipped when the running number wraps onto it.
    if (this.next % U32 === 0) this.next++;
    const n = this.next++;
    if (this.waiters[n & (this.size - 1)] !== undefined) this.grow();
    const slot = n & (this.size - 1);
    this.waiters[slot] = waiter;
    this.numbers[slot] = n;
    this.peers[slot] = peer;
    this.ages[slot] = age;
    return n % U32;
  }

  /** The waiter of request `id` if `from` was asked it and it still waits; it waits no more. */
  take(from: number, id: number): Waiter | undefined {
    const slot = id & (this.size - 1);
    const waiter = this.waiters[slot];
    if (waiter === undefined || this.peers[slot] !== from || this.numbers[slot]! % U32 !== id) return undefined;
    this.waiters[slot] = undefined;
    return waiter;
  }

  /** Takes every waiter whose peer matches (and whose round is before `before`, when given), oldest first. */
  takeAll(peer: (p: number) => boolean, before?: number): Waiter[] {
    const due: Waiter[] = [];
    for (let n = Math.max(1, this.next - this.size); n < this.next; n++) {
      const slot = n & (this.size - 1);
      const waiter = this.waiters[slot];
      if (waiter === undefined || this.numbers[slot] !== n || !peer(this.peers[slot]!)) continue;
      if (before !== undefined && this.ages[slot]! >= before) continue;
      this.waiters[slot] = undefined;
      due.push(waiter);
    }
    return due;
  }

  private grow(): void {
    const [waiters, numbers, peers, ages] = [this.waiters, this.numbers, this.peers, this.ages];
    this.size *= 2;
    this.waiters = new Array<Waiter | undefined>(this.size);
    this.numbers = new Float64Array(this.size);
    this.peers = new Int32Array(this.size);
    this.ages = new Float64Array(this.size);
    for (let slot = 0; slot < waiters.length; slot++) {
      const waiter = waiters[slot];
      if (waiter === undefined) continue;
      const to = numbers[slot]! & (this.size - 1);
      this.waiters[to] = waiter;
      this.numbers[to] = numbers[slot]!;
      this.peers[to] = peers[slot]!;
      this.ages[to] = ages[slot]!;
    }
  }
}
