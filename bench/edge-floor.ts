import type { BenchServer } from './bench-server.ts';
import { Deadline } from './deadline.ts';
import { within } from './deadline.ts';
import { httpBroadcaster } from './http-broadcaster.ts';
import { pushLine } from './probe.ts';
import { RawWsPool } from './raw-ws-pool.ts';
import { httpRequest, RawHttpConnection } from './raw-http.ts';
import { broadcast } from './scenario-broadcast.ts';
import { round } from './stats.ts';

/** The bench's own wrangler config: pushport's Worker with the runtime's floor beside it (bench/floor/). */
export const FLOOR_CONFIG = 'bench/floor/wrangler.toml';

/** How a route is loaded: kept-alive sockets, requests in flight on each, and how long to send. */
export interface Load {
  connections: number;
  depth: number;
  sendMs: number;
}

/**
 * Requests per second one route answers under a load: the same raw pipelined HTTP/1.1 client as the push
 * scenarios, so a floor route and a pushport route are measured alike. `body(i)` is the i-th request's body.
 */
export async function requestRate(port: number, token: string, method: string, path: string, body: (i: number) => string, load: Load, deadline: Deadline): Promise<Record<string, number | string>> {
  const links = await Promise.all(Array.from({ length: load.connections }, () => RawHttpConnection.open(port)));
  let [sent, answered, errors] = [0, 0, 0];
  let firstError = '';
  const started = performance.now();
  let last = started;
  const sending = () => performance.now() - started < load.sendMs && !deadline.passed();
  let allAnswered: () => void = () => {};
  const done = new Promise<void>((resolve) => (allAnswered = resolve));
  try {
    for (const link of links) {
      let inFlight = 0;
      const fill = () => {
        let out = '';
        for (; inFlight < load.depth && sending(); inFlight++) out += httpRequest(method, path, port, token, body(sent++));
        if (out) link.write(out);
        if (!sending() && answered === sent) allAnswered();
      };
      link.onResponse = (status, reply) => {
        inFlight--;
        answered++;
        last = performance.now();
        if (status >= 300) {
          errors++;
          firstError ||= `HTTP ${status}: ${reply.toString().slice(0, 120)}`;
        }
        fill();
      };
      fill();
    }
    await within(done, deadline);
    const elapsedMs = last - started;
    return { route: `${method} ${path}`, requests: answered, requestsPerSec: round((answered * 1000) / elapsedMs, 2), errors, ...(firstError ? { firstError } : {}), elapsedMs: round(elapsedMs, 1) };
  } finally {
    for (const link of links) link.close();
  }
}

/** The floor's figures beside pushport's, measured in one `wrangler dev` with one load client. */
export interface FloorFigures {
  helloPerSec: number;
  objectCallPerSec: number;
  pushPerSec: number;
  floorBatchLinesPerSec: number;
  floorBatchSendPerSec?: number;
  floorBroadcastP50Ms?: number;
  floorBroadcastP99Ms?: number;
}

/** One floor body of `batch` lines in the push scenarios' format, for the bare object's clients `0…clients−1`. */
export function floorLines(batch: number, clients: number): string {
  return Array.from({ length: batch }, (_, i) => pushLine(0, i, i % clients)).join('');
}

/** Opens as many hibernatable sockets on the bare object as pushport holds; undefined (and printed) when some failed. */
export async function openFloorPool(port: number, clients: number, seconds: number, print: (line: object) => void): Promise<RawWsPool | undefined> {
  const pool = await RawWsPool.open(port, clients, 0, new Deadline(seconds * 1000), 'query', '/floor/ws');
  if (pool.open >= clients) return pool;
  print({ scenario: 'floor-sockets-failed', opened: pool.open, wanted: clients, firstError: pool.firstError });
  pool.close();
  return undefined;
}

/**
 * The floor of the local runtime: a hello-world route and a bare object call under the load of pushport's
 * single `/push` scenario, pushport's `/push` again under exactly that load, a bare object taking the
 * batch scenario's bodies, and, with the bare object's sockets (`pool`: as many as pushport holds), the same
 * bodies sent line by line and a broadcast to all of them.
 */
export async function runFloor(edge: { port: number; token: string }, clients: number, batch: number, load: Load, batchLoad: Load, broadcasts: number, seconds: number, print: (line: object) => void, pool?: RawWsPool): Promise<FloorFigures> {
  const { port, token } = edge;
  const fresh = () => new Deadline(seconds * 1000);
  const rate = async (label: string, method: string, path: string, body: (i: number) => string, l = load) => {
    const figures = await requestRate(port, token, method, path, body, l, fresh());
    print({ scenario: label, target: 'edge', ...l, ...figures });
    return Number(figures.requestsPerSec);
  };
  const helloPerSec = await rate('floor-hello', 'GET', '/floor/hello', () => '');
  const objectCallPerSec = await rate('floor-object-call', 'GET', '/floor/object', () => '');
  const pushPerSec = await rate('edge-push-same-client', 'POST', '/push', (i) => pushLine(0, i, i % clients).slice(0, -1));
  const lines = floorLines(batch, clients);
  const floorBatchLinesPerSec = batch * await rate('floor-object-batch', 'POST', '/floor/batch', () => lines, batchLoad);
  const out: FloorFigures = { helloPerSec, objectCallPerSec, pushPerSec, floorBatchLinesPerSec };
  if (!pool) return out;
  out.floorBatchSendPerSec = batch * await rate('floor-object-batch-send', 'POST', '/floor/batch-send', () => lines, batchLoad);
  const server: BenchServer = { name: 'floor', count: 1, port, textPort: 0, stores: false, pids: () => [], broadcaster: async () => httpBroadcaster(port, token, '/floor/broadcast'), stop: async () => {} };
  const fan = await broadcast({ server, pool, deadline: fresh() }, broadcasts);
  print({ scenario: 'floor-broadcast', target: 'edge', ...fan });
  return { ...out, floorBroadcastP50Ms: fan.fanOutP50Ms as number, floorBroadcastP99Ms: fan.fanOutP99Ms as number };
}

/** Each edge figure beside its floor, as a ratio: above 1 a rate is faster than the floor, a time slower. */
export function floorTable(edge: Record<string, number | undefined>): string {
  const floor = edge as Partial<FloorFigures>;
  const ratio = (a: number | undefined | null, b: number | undefined | null) => (a == null || b == null || b === 0 ? '—' : `${(a / b).toFixed(2)}×`);
  // A broadcast that never completed has no percentile (null): shown as missing, like a figure not taken.
  const show = (v: number | undefined | null) => (v === undefined || v === null ? '—' : v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(2));
  const rows: Array<[string, number | undefined, string, number | undefined]> = [
    ['single /push requests/s (same client as the floor)', floor.pushPerSec, 'hello-world Worker', floor.helloPerSec],
    ['', floor.pushPerSec, 'Worker → bare object method', floor.objectCallPerSec],
    ['single /push requests/s (push scenario)', edge.singleRequestsPerSec, 'Worker → bare object method', floor.objectCallPerSec],
    ['/push/batch pushes/s', edge.batchPushesPerSec, 'bare object taking the lines', floor.floorBatchLinesPerSec],
    ['', edge.batchPushesPerSec, 'bare object sending each line', floor.floorBatchSendPerSec],
    ['broadcast to N p50 (ms)', edge.broadcastP50Ms, 'bare object broadcast p50', floor.floorBroadcastP50Ms],
    ['broadcast to N p99 (ms)', edge.broadcastP99Ms, 'bare object broadcast p99', floor.floorBroadcastP99Ms],
  ];
  const w = [Math.max(...rows.map((r) => r[0].length)), 9, Math.max(...rows.map((r) => r[2].length)), 9, 7];
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === 2 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  const pct = (v: number | undefined) => (v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);
  const us = (v: number | undefined) => (v === undefined ? '—' : v.toFixed(1));
  const cpu = edge.cpuUsPerPush === undefined ? 'CPU per push of /push/batch: not measured (no floor sockets, or no workerd process found)'
    : `CPU per push (workerd's CPU time, Worker and object): pushport /push/batch ${us(edge.cpuUsPerPush)} µs, bare object sending each line ${us(edge.floorCpuUsPerPush)} µs: `
      + `pushport's share ${pct(edge.pushportShare)} (goal: at most 20%)`;
  const profile = edge.scriptShare === undefined ? 'CPU profile of /push/batch: not taken (see edge-push-batch-profile-failed)'
    : `CPU profile of /push/batch (one isolate): script JS ${pct(edge.scriptShare)}, runtime send (where the profiler sees it apart) ${pct(edge.sendShare)}, `
      + `rest of the runtime ${pct(edge.runtimeShare)} (outside JS ${pct(edge.programShare)}, GC ${pct(edge.gcShare)}); the object's own JavaScript ${us(edge.objectUsPerPush)} µs per push, its sends included`;
  return [line(['pushport under wrangler dev', 'pushport', 'floor (same wrangler dev, same client)', 'floor', 'ratio']),
    ...rows.map(([label, value, floorLabel, floorValue]) => line([label, show(value), floorLabel, show(floorValue), ratio(value, floorValue)])), cpu, profile].join('\n');
}
