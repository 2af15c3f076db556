import { signal } from './deadline.ts';
import type { Probe } from './clients.ts';

/** What a text-port push line looks like; `seq` picks the uid round-robin, so the receiver can check routing. */
export function pushLine(run: number, seq: number, clients: number): string {
  return `{"uid":"u${seq % clients}","r":${run},"seq":${seq},"t":${performance.now().toFixed(3)}}\n`;
}

/**
 * Counts the replies and deliveries of numbered pushes: end-to-end latency per push, duplicates, and pushes
 * that reached a client other than their uid's. Signals once every push sent is answered and every push
 * answered `ok` has arrived (a `fail` reaches nobody, so waiting for it would only run into the deadline).
 */
export class PushTracker {
  private readonly clients: number;
  /** Latency of push `seq` in ms; NaN until it arrives. */
  readonly latencies: Float64Array;
  sent = 0;
  replies = 0;
  ok = 0;
  fail = 0;
  errors = 0;
  /** The first `error …` reply, to say why in the output. */
  firstError: string | undefined;
  arrived = 0;
  duplicates = 0;
  misrouted = 0;
  lastEventAt = 0;
  private finished = false;
  private readonly done = signal();
  /** Resolves once `finish()` was called, every push sent is answered, and every `ok` one has arrived. */
  readonly complete = this.done.promise;

  constructor(pushes: number, clients: number) {
    this.clients = clients;
    this.latencies = new Float64Array(pushes).fill(Number.NaN);
  }

  /** One reply line from the text port, for the oldest unanswered push on that connection. */
  reply(line: string): void {
    this.replies++;
    this.lastEventAt = performance.now();
    if (line === 'ok') this.ok++;
    else if (line === 'fail') this.fail++;
    else {
      this.errors++;
      this.firstError ??= line;
    }
    this.check();
  }

  /** One push arriving at WebSocket client `client`. */
  deliver(probe: Probe, client: number, arrivedAt: number): void {
    const seq = probe.seq;
    if (seq === undefined || !(seq >= 0 && seq < this.latencies.length)) return;
    if (!Number.isNaN(this.latencies[seq]!)) {
      this.duplicates++;
      return;
    }
    if (client !== seq % this.clients) this.misrouted++;
    this.latencies[seq] = arrivedAt - probe.t;
    this.arrived++;
    this.lastEventAt = arrivedAt;
    this.check();
  }

  /** No more pushes will be sent: from now on, the last reply and delivery completes the run. */
  finish(): void {
    this.finished = true;
    this.check();
  }

  private check(): void {
    if (this.finished && this.replies >= this.sent && this.arrived >= this.ok) this.done.resolve();
  }
}
