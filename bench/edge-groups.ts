/**
 * `npm run bench:edge-groups` (= `node bench/edge-groups.ts`): what a group push costs under local workerd
 * (`wrangler dev`, 4 shards by default), in one run:
 * - a push to a group of N online members (default 1,000, spread over the shards), timed from its request until
 *   the last member has it, beside a broadcast to the same N clients;
 * - a push to a group of M members none of whom is online (default 10,000), plain and with a ttl (each member then
 *   gets it stored and queued): the request's time over M is the cost per member the scale model takes
 *   (`--member-us`, `--stored-member-us` of `npm run model`).
 * Locally every object runs in one isolate on one thread, so a time is the CPU of all of them together.
 * Flags: --shards 4, --online 1000, --offline 10000, --pushes 20.
 */
import WebSocket from 'ws';
import { onCleanup, runBench } from './cleanup.ts';
import { Deadline, within } from './deadline.ts';
import { latencySummary, round } from './stats.ts';
import { startLocalEdge, type LocalEdge } from './wrangler-launcher.ts';

const WARMUP = 3;
const TIMEOUT_MS = 30_000;

function whole(name: string, fallback: number, max: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at === -1 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`--${name} must be a whole number from 1 to ${max}`);
  return value;
}

async function call(edge: LocalEdge, method: string, path: string, body?: string): Promise<any> {
  const res = await fetch(`http://127.0.0.1:${edge.port}${path}`, {
    method, body, headers: { authorization: `Bearer ${edge.token}` }, signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const json = await res.json();
  if (res.status !== 200) throw new Error(`${method} ${path} answered ${res.status} ${JSON.stringify(json)}`);
  return json;
}

// Joins in requests of 1,000 uids (MAX_BATCH).
async function joinAll(edge: LocalEdge, group: string, uids: string[]): Promise<void> {
  for (let i = 0; i < uids.length; i += 1000) {
    await call(edge, 'POST', `/groups/${group}/members`, JSON.stringify({ uids: uids.slice(i, i + 1000) }));
  }
}

// N clients, each counting what it got; resolves once all are open.
async function clients(edge: LocalEdge, uids: string[]): Promise<{ sockets: WebSocket[]; got: number[] }> {
  const got = uids.map(() => 0);
  const sockets = uids.map((uid, i) => {
    const ws = new WebSocket(`ws://127.0.0.1:${edge.port}/ws?uid=${uid}`);
    ws.on('message', () => void got[i]!++);
    return ws;
  });
  onCleanup(() => sockets.forEach((ws) => ws.terminate()));
  const open = Promise.all(sockets.map((ws) => new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); })));
  if (!(await within(open, new Deadline(TIMEOUT_MS * 2)))) throw new Error('the clients did not connect in time');
  return { sockets, got };
}

// Times `pushes` sends (after the warm-up) until every client has each; checks the answer's delivered count.
async function timedToAll(edge: LocalEdge, got: number[], pushes: number, send: (n: number) => Promise<any>): Promise<number[]> {
  const times: number[] = [];
  for (let n = 0; n < WARMUP + pushes; n++) {
    const before = got.map((g) => g);
    const started = performance.now();
    const answer = await send(n);
    if (answer.delivered !== got.length) throw new Error(`push ${n} reached ${answer.delivered} of ${got.length}`);
    const deadline = new Deadline(TIMEOUT_MS);
    while (got.some((g, i) => g === before[i])) {
      if (deadline.passed()) throw new Error(`push ${n} did not reach every client in time`);
      await new Promise((r) => setImmediate(r));
    }
    if (n >= WARMUP) times.push(performance.now() - started);
  }
  return times;
}

// Times `pushes` requests (after the warm-up): the answer comes once every member was served.
async function timedRequests(pushes: number, send: (n: number) => Promise<any>): Promise<number[]> {
  const times: number[] = [];
  for (let n = 0; n < WARMUP + pushes; n++) {
    const started = performance.now();
    await send(n);
    if (n >= WARMUP) times.push(performance.now() - started);
  }
  return times;
}

async function main(): Promise<void> {
  const shards = whole('shards', 4, 64);
  const online = whole('online', 1000, 3000);
  const offline = whole('offline', 10_000, 100_000);
  const pushes = whole('pushes', 20, 1000);
  const edge = await startLocalEdge(undefined, { SHARDS: String(shards) });
  try {
    const onlineUids = Array.from({ length: online }, (_, i) => `go-${i}`);
    await joinAll(edge, 'bench-online', onlineUids);
    const { got } = await clients(edge, onlineUids);
    const group = latencySummary(await timedToAll(edge, got, pushes, (n) => call(edge, 'POST', '/push', `{"group":"bench-online","n":${n}}`)));
    const broadcast = latencySummary(await timedToAll(edge, got, pushes, (n) => call(edge, 'POST', '/broadcast', `everyone ${n}`)));
    const offlineUids = Array.from({ length: offline }, (_, i) => `gq-${i}`);
    await joinAll(edge, 'bench-offline', offlineUids);
    const plain = latencySummary(await timedRequests(pushes, () => call(edge, 'POST', '/push', '{"group":"bench-offline"}')));
    const queuedPushes = Math.min(pushes, 5);
    const queued = latencySummary(await timedRequests(queuedPushes, (n) => call(edge, 'POST', '/push', `{"group":"bench-offline","ttl":60,"n":${n}}`)));
    const rows = [
      { scenario: `group push to ${online} online members`, ...group },
      { scenario: `broadcast to the same ${online}`, ...broadcast },
      { scenario: `group push to ${offline} offline members`, ...plain, perMemberUs: round(((plain.p50Ms ?? 0) * 1000) / offline, 2) },
      { scenario: `ttl group push to ${offline} offline members (queued)`, ...queued, perMemberUs: round(((queued.p50Ms ?? 0) * 1000) / offline, 2) },
    ];
    for (const row of rows) console.log(JSON.stringify({ bench: 'edge-groups', shards, ...row }));
    console.log(`\nshards: ${shards}; group p50 / broadcast p50: ${round((group.p50Ms ?? 0) / (broadcast.p50Ms ?? 1), 2)}`);
    console.log('| scenario | p50 ms | p99 ms | µs per member (p50) |\n| --- | --- | --- | --- |');
    for (const r of rows) console.log(`| ${r.scenario} | ${r.p50Ms} | ${r.p99Ms} | ${'perMemberUs' in r ? r.perMemberUs : ''} |`);
  } finally {
    await edge.stop();
  }
}

await runBench(main);
