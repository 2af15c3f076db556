/**
 * `npm run bench:edge-tree` (= `node bench/edge-broadcast-tree.ts`): how long a broadcast takes to reach every
 * shard under local workerd (`wrangler dev`), at 1, 8 and 64 shards with a few clients on each, once flat
 * (FAN_OUT at least the shard count) and once per tree depth that FAN_OUT=32 (the default) and FAN_OUT=4 give.
 * Each broadcast is timed from its request until the last client has it; the next one goes out once every
 * client has this one. Beside each row, the scale model's figure for production at the same depth.
 * Prints JSON lines, then a table. Flags: --clients-per-shard 4, --broadcasts 30, --shards 1,8,64.
 */
import WebSocket from 'ws';
import { EDGE_PLATFORM } from '../scripts/edge-platform.ts';
import { broadcastLevels, modelEdge } from '../scripts/scale-model.ts';
import { onCleanup, runBench } from './cleanup.ts';
import { Deadline, within } from './deadline.ts';
import { latencySummary, round } from './stats.ts';
import { startLocalEdge, type LocalEdge } from './wrangler-launcher.ts';

// The Worker's own hash, loaded at run time: its types need the Workers runtime's, which this script's check lacks.
const worker: string = '../worker/bucket-layout.ts';
const { shardOf } = (await import(worker)) as { shardOf: (uid: string, shards: number) => number };

const WARMUP = 5;
const BROADCAST_TIMEOUT_MS = 15_000;
const CONNECT_TIMEOUT_MS = 60_000;

interface Setup { shards: number; fanOut: number }
interface Client { ws: WebSocket; got: number }

// Resolves with the time the last client got message `n` (1-based), told by each client as it counts one.
class Arrivals {
  private target = 0;
  private reached = 0;
  private done: ((at: number) => void) | undefined;
  private readonly clients: number;

  constructor(clients: number) {
    this.clients = clients;
  }

  expect(n: number): Promise<number> {
    this.target = n;
    this.reached = 0;
    return new Promise((resolve) => (this.done = resolve));
  }

  counted(got: number): void {
    if (got === this.target && ++this.reached === this.clients) this.done?.(performance.now());
  }
}

function flag(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : process.argv[at + 1] ?? fallback;
}

function whole(name: string, raw: string, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`--${name} must be a whole number from 1 to ${max}, got ${raw}`);
  return value;
}

// `perShard` uids on every shard, found by trying names in order, as the Worker will route them.
function uidsFor(shards: number, perShard: number): string[] {
  const lists = Array.from({ length: shards }, () => [] as string[]);
  for (let n = 0; lists.some((l) => l.length < perShard); n++) {
    const list = lists[shardOf(`bt-${n}`, shards)]!;
    if (list.length < perShard) list.push(`bt-${n}`);
  }
  return lists.flat();
}

async function connect(edge: LocalEdge, uids: string[], clients: Client[], arrivals: Arrivals): Promise<void> {
  const deadline = new Deadline(CONNECT_TIMEOUT_MS);
  await Promise.all(uids.map(async (uid) => {
    const ws = new WebSocket(`ws://127.0.0.1:${edge.port}/ws?uid=${uid}`);
    const client = { ws, got: 0 };
    clients.push(client);
    ws.on('message', () => arrivals.counted(++client.got));
    const open = new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    if (!(await within(open, deadline))) throw new Error(`client ${uid} did not connect within ${CONNECT_TIMEOUT_MS / 1000} s`);
  }));
}

async function post(edge: LocalEdge, path: string, body: string): Promise<{ status: number; json: any }> {
  const res = await fetch(`http://127.0.0.1:${edge.port}${path}`, {
    method: 'POST', body, headers: { authorization: `Bearer ${edge.token}` }, signal: AbortSignal.timeout(BROADCAST_TIMEOUT_MS),
  });
  return { status: res.status, json: await res.json() };
}

// The clients must sit where the bench meant them to: `perShard` on each of `shards` shards, all identified.
async function checkPlacement(edge: LocalEdge, shards: number, perShard: number): Promise<void> {
  const deadline = new Deadline(CONNECT_TIMEOUT_MS);
  let seen = '';
  while (!deadline.passed()) {
    const res = await fetch(`http://127.0.0.1:${edge.port}/stats/parts`, { headers: { authorization: `Bearer ${edge.token}` }, signal: AbortSignal.timeout(5000) });
    const { parts } = (await res.json()) as { parts: { identified: number }[] };
    seen = parts.map((p) => p.identified).join(',');
    if (parts.length === shards && parts.every((p) => p.identified === perShard)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`expected ${perShard} identified clients on each of ${shards} shards; /stats/parts says ${seen}`);
}

async function measure(setup: Setup, perShard: number, broadcasts: number): Promise<Record<string, unknown>> {
  const edge = await startLocalEdge(undefined, { SHARDS: String(setup.shards), FAN_OUT: String(setup.fanOut) });
  const uids = uidsFor(setup.shards, perShard);
  const clients: Client[] = [];
  const arrivals = new Arrivals(uids.length);
  const forget = onCleanup(() => clients.forEach((c) => c.ws.terminate()));
  try {
    await connect(edge, uids, clients, arrivals);
    await checkPlacement(edge, setup.shards, perShard);
    const times: number[] = [];
    for (let b = 0; b < WARMUP + broadcasts; b++) {
      const everyone = arrivals.expect(b + 1);
      const started = performance.now();
      const answer = await post(edge, '/broadcast', `tree ${b}`);
      if (answer.status !== 200 || answer.json.delivered !== uids.length) {
        throw new Error(`broadcast ${b} answered ${answer.status} ${JSON.stringify(answer.json)}; expected ${uids.length} delivered`);
      }
      if (!(await within(everyone, new Deadline(BROADCAST_TIMEOUT_MS)))) {
        throw new Error(`broadcast ${b} did not reach every client within ${BROADCAST_TIMEOUT_MS / 1000} s`);
      }
      if (b >= WARMUP) times.push((await everyone) - started);
    }
    const { p50Ms, p99Ms } = latencySummary(times);
    // Production at the same depth: the model with this fan-out as the calls one invocation may make.
    const model = modelEdge({ clients: uids.length, pushesPerSec: 0, broadcastsPerMin: 1, batch: 1, socketsPerPush: 1, sessionMinutes: 30, shards: setup.shards },
      { ...EDGE_PLATFORM, subrequestsPerInvocation: setup.fanOut });
    return {
      shards: setup.shards, fanOut: setup.fanOut, levels: broadcastLevels(setup.shards, setup.fanOut), clients: uids.length, broadcasts,
      p50Ms, p99Ms, minMs: round(Math.min(...times), 1), modelMs: round(model.broadcastMs, 1),
      clientsWithExtraMessages: clients.filter((c) => c.got !== WARMUP + broadcasts).length,
    };
  } finally {
    clients.forEach((c) => c.ws.terminate());
    forget();
    await edge.stop();
  }
}

// The default FAN_OUT, flat (FAN_OUT = shards) and FAN_OUT=4: one run per tree depth they give, shallowest first.
function setupsFor(shards: number): Setup[] {
  const byLevels = new Map<number, Setup>();
  for (const fanOut of [32, Math.max(2, shards), 4]) {
    const levels = broadcastLevels(shards, fanOut);
    if (!byLevels.has(levels)) byLevels.set(levels, { shards, fanOut });
  }
  return [...byLevels.entries()].sort(([a], [b]) => a - b).map(([, setup]) => setup);
}

async function main(): Promise<void> {
  const perShard = whole('clients-per-shard', flag('clients-per-shard', '4'), 100);
  const broadcasts = whole('broadcasts', flag('broadcasts', '30'), 1000);
  const counts = flag('shards', '1,8,64').split(',').map((s) => whole('shards', s, 1024));
  const rows: Record<string, unknown>[] = [];
  for (const setup of counts.flatMap(setupsFor)) {
    const row = await measure(setup, perShard, broadcasts);
    console.log(JSON.stringify({ scenario: 'edge-broadcast-tree', ...row }));
    rows.push(row);
  }
  console.log('\n| shards | FAN_OUT | levels | clients | local p50 ms | local p99 ms | model, production ms |\n| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(`| ${r.shards} | ${r.fanOut} | ${r.levels} | ${r.clients} | ${r.p50Ms} | ${r.p99Ms} | ${r.modelMs} |`);
}

await runBench(main);
