import type { BenchServer } from './bench-server.ts';
import { within, type Deadline } from './deadline.ts';
import { DeliveryTracker } from './delivery-tracker.ts';
import { pushLine } from './probe.ts';
import type { RawWsPool } from './raw-ws-pool.ts';
import { latencySummary, round } from './stats.ts';
import { TextClient, type Reply } from './text-client.ts';

/** What a scenario runs against: one server, its identified clients, and the scenario's own deadline. */
export interface ScenarioContext {
  server: BenchServer;
  pool: RawWsPool;
  deadline: Deadline;
}

// Each scenario tags its messages, so a late arrival from one that timed out never counts for the next.
let lastRun = 0;

/** A fresh run tag (0 is registration's). */
export function nextRun(): number {
  return ++lastRun;
}

/** The delivery figures every push scenario reports. */
function deliveryFigures(tracker: DeliveryTracker, started: number, completed: boolean): Record<string, unknown> {
  const elapsedMs = (tracker.lastEventAt || performance.now()) - started;
  const e2e = latencySummary(tracker.latencies);
  return {
    pushes: tracker.sent, pushesPerSec: elapsedMs > 0 ? round((tracker.arrived * 1000) / elapsedMs) : 0,
    e2eP50Ms: e2e.p50Ms, e2eP99Ms: e2e.p99Ms,
    okRatio: tracker.sent > 0 ? round(tracker.ok / tracker.sent, 4) : null,
    ok: tracker.ok, fail: tracker.fail, lost: tracker.lost, misrouted: tracker.misrouted, duplicates: tracker.duplicates,
    ...(tracker.errors ? { errors: tracker.errors, firstError: tracker.firstError } : {}),
    ...(tracker.stray ? { stray: tracker.stray } : {}),
    elapsedMs: round(elapsedMs, 1), timedOut: !completed,
  };
}

/**
 * `total` pushes to random online uids through `connections` text connections, each keeping at most its share
 * of `window` lines outstanding; the window is topped up in one write as soon as replies come back. Every line
 * carries `pushOptions` (see pushLine), e.g. a ttl that makes each push stored.
 */
export async function pipelined(ctx: ScenarioContext, total: number, connections: number, window: number, pushOptions = ''): Promise<Record<string, unknown>> {
  const { server, pool, deadline } = ctx;
  const tracker = new DeliveryTracker(nextRun(), total, pool.size);
  pool.onMessage = (client, payload, at) => tracker.deliver(client, payload, at);
  const perConnection = Math.max(1, Math.floor(window / connections));
  const texts = await Promise.all(Array.from({ length: connections }, () => TextClient.open(server.textPort)));
  try {
    const started = performance.now();
    for (const text of texts) {
      // Replies come in order, so a ring of the seqs in flight maps each reply to its push.
      const inFlight = new Uint32Array(perConnection);
      let [head, tail] = [0, 0];
      const fill = () => {
        let lines = '';
        while (tail - head < perConnection && tracker.sent < total && !deadline.passed()) {
          const seq = tracker.sent++;
          inFlight[tail++ % perConnection] = seq;
          lines += pushLine(tracker.run, seq, pool.first + tracker.targets[seq]!, pushOptions);
        }
        if (lines) text.write(lines);
        if (tracker.sent >= total || deadline.passed()) tracker.finish();
      };
      text.onReply = (reply: Reply) => tracker.reply(inFlight[head++ % perConnection]!, reply);
      text.onReplies = fill;
      fill();
    }
    const completed = await within(tracker.complete, deadline);
    return { ...deliveryFigures(tracker, started, completed), connections, window };
  } finally {
    for (const text of texts) text.close();
  }
}

/** `total` pushes over one text connection, each written only once the previous one was answered. */
export async function requestResponse(ctx: ScenarioContext, total: number): Promise<Record<string, unknown>> {
  const { server, pool, deadline } = ctx;
  const tracker = new DeliveryTracker(nextRun(), total, pool.size);
  pool.onMessage = (client, payload, at) => tracker.deliver(client, payload, at);
  const text = await TextClient.open(server.textPort);
  const roundTrips = new Float64Array(total).fill(Number.NaN);
  try {
    let answered: (() => void) | undefined;
    let seq = 0;
    let writtenAt = 0;
    text.onReply = (reply) => {
      roundTrips[seq] = performance.now() - writtenAt;
      tracker.reply(seq, reply);
      answered?.();
    };
    const started = performance.now();
    let stalled = false;
    for (; seq < total && !deadline.passed() && !text.closed; seq++) {
      const replied = new Promise<void>((resolve) => (answered = resolve));
      tracker.sent++;
      const line = pushLine(tracker.run, seq, pool.first + tracker.targets[seq]!);
      writtenAt = performance.now();
      text.write(line);
      if (!(await within(replied, deadline))) {
        stalled = true;
        break;
      }
    }
    tracker.finish();
    const completed = !stalled && tracker.sent === total && (await within(tracker.complete, deadline));
    const rr = latencySummary(roundTrips);
    return { ...deliveryFigures(tracker, started, completed), rrP50Ms: rr.p50Ms, rrP99Ms: rr.p99Ms };
  } finally {
    text.close();
  }
}
