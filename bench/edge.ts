/**
 * `npm run bench:edge` (= `node bench/edge.ts`), also run by `npm run bench -- --edge`: the Worker under local
 * workerd (`wrangler dev`). N raw WebSocket clients connect with `?uid=`; then `/push/batch` pushes/s (NDJSON,
 * one push per line), single `/push` requests/s (raw kept-alive HTTP/1.1 with pipelining, not fetch), and
 * broadcast fan-out to N and to the big client count, each bounded by the scenario deadline.
 * Same flags as run.ts (--quick, --clients, --big-clients, --pushes, --broadcasts, --scenario-seconds).
 */
import type { BenchServer } from './bench-server.ts';
import { runCleanup } from './cleanup.ts';
import { Deadline, pause } from './deadline.ts';
import { FLOOR_CONFIG, floorTable, openFloorPool, runFloor } from './edge-floor.ts';
import { profileBatchPush } from './edge-profile.ts';
import { httpPushes, type EdgeContext } from './edge-scenarios.ts';
import { FlagError, parseFlags, type BenchOptions } from './flags.ts';
import { httpBroadcaster } from './http-broadcaster.ts';
import { openFileLimit } from './proc-stats.ts';
import { JoinedPools, RawWsPool } from './raw-ws-pool.ts';
import { broadcast } from './scenario-broadcast.ts';
import { startLocalEdge, type LocalEdge } from './wrangler-launcher.ts';

type Print = (line: object) => void;
const EDGE_BATCH = 1000;
// The edge is slower than the local server; these keep its run within a couple of minutes.
const MAX_BATCH_PUSHES = 50_000;
const MAX_SINGLE_PUSHES = 20_000;
// pushport's CPU share alternates pushport and the floor this many times, each with this many pushes at most.
const PROFILE_ROUNDS = 5;
const PROFILED_PUSHES = 20_000;
// wrangler dev's workerd holds about 6 descriptors per WebSocket (proxy, entry, Durable Object), measured here:
// past RLIMIT_NOFILE / 6 it answers 500 and then stops, so the big broadcast is capped below that.
const EDGE_FDS_PER_SOCKET = 6;
const EDGE_SPARE_FDS = 1000;
// Each HTTP scenario stops sending after this long, so a slow edge still ends in bounded time.
const SEND_MS = 10_000;

// Polls GET /stats until `n` sockets are identified (bounded by the deadline); returns the last count.
async function identified(edge: LocalEdge, n: number, deadline: Deadline): Promise<number> {
  let seen = 0;
  for (let poll = 0; poll < 10_000 && !deadline.passed(); poll++) {
    const res = await fetch(`http://127.0.0.1:${edge.port}/stats`, { headers: { authorization: `Bearer ${edge.token}` }, signal: AbortSignal.timeout(5000) }).catch(() => undefined);
    seen = res?.ok ? Number(((await res.json()) as { identified?: number }).identified ?? 0) : seen;
    if (seen >= n) break;
    await pause(100, deadline);
  }
  return seen;
}

async function connect(edge: LocalEdge, n: number, first: number, options: BenchOptions, print: Print, label: string): Promise<RawWsPool | undefined> {
  const deadline = new Deadline(options.scenarioSeconds * 1000);
  const started = performance.now();
  const pool = await RawWsPool.open(edge.port, n, first, deadline, 'query');
  const count = await identified(edge, first + n, deadline);
  print({ scenario: label, target: 'edge', clients: n, identified: count, connectFailures: pool.failed, ...(pool.firstError ? { firstConnectError: pool.firstError } : {}), registrationMs: Math.round(performance.now() - started) });
  if (count >= first + n) return pool;
  print({ scenario: `${label}-failed`, wranglerSaid: edge.logTail() || 'nothing' });
  pool.close();
  return undefined;
}

/** The whole edge bench; prints JSON lines, returns the figures for the table, false when something failed. */
export async function runEdge(options: BenchOptions, print: Print, progress: (text: string) => void): Promise<Record<string, number | undefined> | false> {
  progress('edge: starting wrangler dev');
  // One wrangler dev serves pushport's Worker and the runtime's floor beside it, so both meet the same runtime.
  const edge = await startLocalEdge(FLOOR_CONFIG);
  const out: Record<string, number | undefined> = {};
  const asServer: BenchServer = { name: 'edge', count: 1, port: edge.port, textPort: 0, stores: false, pids: () => [], broadcaster: async () => httpBroadcaster(edge.port, edge.token), stop: edge.stop };
  try {
    const pool = await connect(edge, options.clients, 0, options, print, 'edge-registration');
    if (!pool) return false;
    const ctx = (): EdgeContext => ({ port: edge.port, token: edge.token, pool, deadline: new Deadline(options.scenarioSeconds * 1000) });
    progress('edge: /push/batch');
    const batch = await httpPushes(ctx(), Math.min(options.pushes, MAX_BATCH_PUSHES), EDGE_BATCH, 2, 2, SEND_MS);
    print({ scenario: 'edge-push-batch', ...batch });
    out.batchPushesPerSec = Number(batch.pushesPerSec);
    progress('edge: /push');
    const pushes = await httpPushes(ctx(), Math.min(options.pushes, MAX_SINGLE_PUSHES), 1, 32, 1, SEND_MS);
    print({ scenario: 'edge-push', ...pushes });
    out.singleRequestsPerSec = Number(pushes.requestsPerSec);
    progress('edge: broadcast');
    const fan = await broadcast({ server: asServer, pool, deadline: ctx().deadline }, options.broadcasts);
    print({ scenario: 'edge-broadcast', ...fan });
    [out.broadcastP50Ms, out.broadcastP99Ms] = [fan.fanOutP50Ms as number, fan.fanOutP99Ms as number];
    progress('edge: the floor of wrangler dev (hello-world, bare object call, bare batch, bare batch with sends, bare broadcast)');
    pool.onMessage = () => {};
    const floorPool = await openFloorPool(edge.port, options.clients, options.scenarioSeconds, print);
    try {
      const single = { connections: 32, depth: 1, sendMs: SEND_MS };
      Object.assign(out, await runFloor(edge, options.clients, EDGE_BATCH, single, { connections: 2, depth: 2, sendMs: SEND_MS }, options.broadcasts, options.scenarioSeconds, print, floorPool));
      const isolatePid = edge.isolatePid();
      if (floorPool && isolatePid !== undefined) {
        floorPool.onMessage = () => {};
        progress('edge: /push/batch and the bare batch with sends, under the CPU profiler');
        Object.assign(out, await profileBatchPush({ inspector: edge.inspector, isolatePid, ctx }, Math.min(options.pushes, PROFILED_PUSHES), EDGE_BATCH, PROFILE_ROUNDS, print));
      }
    } finally {
      floorPool?.close();
    }
    const fit = Math.floor((openFileLimit() - EDGE_SPARE_FDS) / EDGE_FDS_PER_SOCKET / 500) * 500;
    const bigClients = Math.min(options.bigClients, fit);
    if (bigClients < options.bigClients) {
      print({ scenario: 'edge-big-capped', wanted: options.bigClients, clients: bigClients, reason: `ulimit -n is ${openFileLimit()} and wrangler dev's workerd needs about ${EDGE_FDS_PER_SOCKET} descriptors per WebSocket: raise the limit to measure ${options.bigClients}` });
    }
    const big = bigClients - options.clients;
    if (big > 0) {
      progress(`edge: ${bigClients} clients`);
      const more = await connect(edge, big, options.clients, options, print, 'edge-big-registration');
      if (more) {
        const whole = new JoinedPools([pool, more]);
        out.bigClients = bigClients;
        const fanBig = await broadcast({ server: asServer, pool: whole, deadline: ctx().deadline }, options.broadcasts);
        print({ scenario: 'edge-big-broadcast', ...fanBig });
        [out.bigBroadcastP50Ms, out.bigBroadcastP99Ms] = [fanBig.fanOutP50Ms as number, fanBig.fanOutP99Ms as number];
        more.close();
      }
    }
    pool.close();
    return out;
  } finally {
    await edge.stop();
  }
}

/** The edge figures as a small table, beside the local server's (pushport c1) where given. */
export function edgeTable(edge: Record<string, number | undefined>, local?: Record<string, number | undefined>): string {
  const rows: Array<[string, number | undefined, number | undefined]> = [
    ['/push/batch pushes/s (local: text port pipelined)', edge.batchPushesPerSec, local?.pushesPerSec],
    ['single /push requests/s', edge.singleRequestsPerSec, undefined],
    ['broadcast to N p50 / p99 (ms)', edge.broadcastP50Ms, local?.broadcastP50Ms],
    ['', edge.broadcastP99Ms, local?.broadcastP99Ms],
    [`broadcast to ${edge.bigClients ?? 'big N'} p50 / p99 (ms) (local: big N)`, edge.bigBroadcastP50Ms, local?.bigBroadcastP50Ms],
    ['', edge.bigBroadcastP99Ms, local?.bigBroadcastP99Ms],
  ];
  const show = (v: number | undefined | null) => (v === undefined || v === null ? '—' : v >= 100 ? v.toFixed(0) : v.toFixed(2));
  const width = Math.max(...rows.map(([label]) => label.length));
  return [`${'edge under wrangler dev (local workerd)'.padEnd(width)}  ${'edge'.padStart(8)}  ${'local c1'.padStart(10)}`,
    ...rows.map(([label, e, l]) => `${label.padEnd(width)}  ${show(e).padStart(8)}  ${show(l).padStart(10)}`)].join('\n');
}

if (import.meta.main) {
  const print: Print = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);
  for (const signalName of ['SIGINT', 'SIGTERM'] as const) process.once(signalName, () => void runCleanup().finally(() => process.exit(130)));
  let options: BenchOptions;
  try {
    options = parseFlags(process.argv.slice(2));
  } catch (error) {
    console.error(`bench:edge: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(error instanceof FlagError ? 2 : 1);
  }
  runEdge(options, print, (t) => process.stderr.write(`bench: ${t}\n`)).then(async (figures) => {
    if (figures) process.stdout.write(`\n${edgeTable(figures)}\n\n${floorTable(figures)}\n`);
    await runCleanup();
    process.exit(figures ? 0 : 1);
  }, async (error: unknown) => {
    console.error(`bench:edge: ${error instanceof Error ? error.message : String(error)}`);
    await runCleanup();
    process.exit(1);
  });
}
