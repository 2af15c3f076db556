import { broadcastBody, probeField } from './probe.ts';
import type { BenchServer, Broadcaster } from './bench-server.ts';
import type { Deadline } from './deadline.ts';
import type { Clients } from './raw-ws-pool.ts';
import { usageOf, type ProcessUsage } from './proc-stats.ts';
import { nextRun } from './scenario-pushes.ts';
import { latencySummary, round } from './stats.ts';

// One broadcast may take this long before the scenario gives up on it.
const BROADCAST_TIMEOUT_MS = 15_000;
// Untimed broadcasts before the timed ones.
const WARMUP_BROADCASTS = 11;

/** What a fan-out scenario runs against: one server, the clients every message must reach, and its deadline. */
export interface FanOutContext {
  server: BenchServer;
  pool: Clients;
  deadline: Deadline;
}

/**
 * `total` broadcasts one after another, each timed from its stamp until every client has it (full fan-out);
 * the next goes out only once the last client got this one and the server has answered.
 */
export function broadcast(ctx: FanOutContext, total: number): Promise<Record<string, unknown>> {
  const reference = ctx.server.name === 'reference';
  return fanOut(ctx, total, () => ctx.server.broadcaster(), (run, b) => broadcastBody(run, b, reference));
}

/**
 * `total` messages that must each reach every client of the pool, sent one at a time through `open()`'s sender
 * with the text `body(run, index)` (stamped at the call), timed like a broadcast. Besides latencies it tells
 * the server's CPU per socket written over the timed messages (their requests included), and the kernel's part.
 */
export async function fanOut(ctx: FanOutContext, total: number, open: () => Promise<Broadcaster>, body: (run: number, index: number) => string): Promise<Record<string, unknown>> {
  const { pool, deadline } = ctx;
  const run = nextRun();
  const clients = pool.size;
  // The first broadcasts are a warm-up, not timed: a first request's one-time costs (pushport loads its HTTP
  // API on the first one) and the JIT compiling the request path are not a steady-state tail. Timed one by
  // one, pushport's slow broadcasts (over 1.6× the median) were all among the first ten after the first,
  // the reference's were not. Both servers get the same warm-up.
  const sent = total + WARMUP_BROADCASTS;
  const seen = new Uint8Array(clients * sent);
  const arrived = new Uint32Array(sent);
  let [duplicates, stray, current, lastArrival] = [0, 0, -1, 0];
  let everyone: (() => void) | undefined;
  pool.onMessage = (client, payload, at) => {
    const b = probeField(payload, 'b');
    // Run 0 is registration's probes, still arriving: not this scenario's, and not stray either.
    if (probeField(payload, 'r') === 0) return;
    if (probeField(payload, 'r') !== run || b < 0 || b >= sent) return void stray++;
    if (seen[b * clients + client]) return void duplicates++;
    seen[b * clients + client] = 1;
    if (++arrived[b]! === clients && b === current) {
      lastArrival = at;
      everyone?.();
    }
  };
  const fanOuts: number[] = [];
  const sender = await open();
  let firstError: string | undefined;
  let started = performance.now();
  let usage: ProcessUsage | undefined;
  try {
    for (let b = 0; b < sent && !deadline.passed(); b++) {
      // A server with no process of its own here (the edge under wrangler) has no CPU to tell.
      if (b === WARMUP_BROADCASTS) [started, usage] = [performance.now(), ctx.server.pids().length > 0 ? usageOf(ctx.server.pids()) : undefined];
      current = b;
      const all = new Promise<void>((resolve) => (everyone = resolve));
      const text = body(run, b);
      const stamp = probeField(Buffer.from(text), 't');
      const limit = Math.min(BROADCAST_TIMEOUT_MS, deadline.remainingMs());
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), limit)));
      const outcome = await Promise.race([Promise.all([all, sender.send(text, limit)]), late]).catch((error: unknown) => {
        firstError ??= error instanceof Error ? error.message : String(error);
        return 'failed' as const;
      });
      clearTimeout(timer);
      if (outcome === 'late' || outcome === 'failed') break;
      if (b >= WARMUP_BROADCASTS) fanOuts.push(lastArrival - stamp);
    }
  } finally {
    sender.close();
  }
  const deliveries = arrived.subarray(WARMUP_BROADCASTS).reduce((a, b) => a + b, 0);
  const elapsedMs = performance.now() - started;
  const fanOut = latencySummary(fanOuts);
  const used = usage && usageOf(ctx.server.pids());
  return {
    clients, broadcasts: total, completed: fanOuts.length, fanOutP50Ms: fanOut.p50Ms, fanOutP99Ms: fanOut.p99Ms,
    fanOutMaxMs: fanOuts.length > 0 ? round(Math.max(...fanOuts), 3) : null,
    deliveries, deliveriesPerSec: round((deliveries * 1000) / elapsedMs),
    ...(used && usage && deliveries > 0 ? {
      cpuPerSocketUs: round(((used.cpuSeconds - usage.cpuSeconds) * 1e6) / deliveries, 2),
      kernelCpuPerSocketUs: round(((used.kernelSeconds - usage.kernelSeconds) * 1e6) / deliveries, 2),
    } : {}),
    duplicates, ...(stray ? { stray } : {}), ...(firstError ? { firstError } : {}),
    elapsedMs: round(elapsedMs, 1), timedOut: fanOuts.length < total,
  };
}
