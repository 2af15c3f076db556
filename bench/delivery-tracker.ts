import { signal } from './deadline.ts';
import { probeField } from './probe.ts';
import type { Reply } from './text-client.ts';

const OK = 1;
const ARRIVED = 2;

/**
 * The ledger of numbered pushes: who each was sent to, how it was answered, where and when it arrived.
 * Every `ok` must arrive exactly once at the client it names; anything else is counted as lost, misrouted
 * or duplicate. Signals once every push sent is answered and every `ok` one has arrived.
 */
export class DeliveryTracker {
  /** Client index each push is addressed to. */
  readonly targets: Uint32Array;
  /** End-to-end latency of each push in ms (write to arrival); NaN until it arrives. */
  readonly latencies: Float64Array;
  private readonly flags: Uint8Array;
  sent = 0;
  replies = 0;
  ok = 0;
  fail = 0;
  errors = 0;
  firstError: string | undefined;
  arrived = 0;
  /** Arrivals of an ok push: the completion condition counts these. */
  private arrivedOk = 0;
  duplicates = 0;
  misrouted = 0;
  /** Messages of another run, or not numbered pushes. */
  stray = 0;
  lastEventAt = 0;
  private finished = false;
  private readonly done = signal();
  /** Resolves once finish() was called, every push sent is answered and every ok one has arrived. */
  readonly complete = this.done.promise;

  /** The run tag its pushes carry. */
  readonly run: number;

  constructor(run: number, total: number, clients: number) {
    this.run = run;
    this.targets = new Uint32Array(total);
    for (let i = 0; i < total; i++) this.targets[i] = Math.floor(Math.random() * clients);
    this.latencies = new Float64Array(total).fill(Number.NaN);
    this.flags = new Uint8Array(total);
  }

  /** The reply to push `seq`. */
  reply(seq: number, reply: Reply): void {
    this.replies++;
    this.lastEventAt = performance.now();
    if (reply === 'ok') {
      this.ok++;
      this.flags[seq]! |= OK;
      if (this.flags[seq]! & ARRIVED) this.arrivedOk++;
    } else if (reply === 'fail') this.fail++;
    else {
      this.errors++;
      this.firstError ??= reply;
    }
    this.check();
  }

  /** A message that reached client `client`. */
  deliver(client: number, payload: Buffer, arrivedAt: number): void {
    const seq = probeField(payload, 'seq');
    // Run 0 is registration's probes, still arriving: not this run's, and not stray either.
    if (probeField(payload, 'r') === 0) return;
    if (probeField(payload, 'r') !== this.run || seq < 0 || seq >= this.flags.length) {
      this.stray++;
      return;
    }
    if (this.flags[seq]! & ARRIVED) {
      this.duplicates++;
      return;
    }
    this.flags[seq]! |= ARRIVED;
    if (client !== this.targets[seq]) this.misrouted++;
    this.latencies[seq] = arrivedAt - probeField(payload, 't');
    this.arrived++;
    if (this.flags[seq]! & OK) this.arrivedOk++;
    this.lastEventAt = arrivedAt;
    this.check();
  }

  /** No more pushes will be sent. */
  finish(): void {
    this.finished = true;
    this.check();
  }

  /** Pushes answered `ok` that never arrived (so far). */
  get lost(): number {
    return this.ok - this.arrivedOk;
  }

  private check(): void {
    if (this.finished && this.replies >= this.sent && this.arrivedOk >= this.ok) this.done.resolve();
  }
}
