import type { EdgePlatform } from './edge-platform.ts';

/** The load the edge is asked to carry. */
export interface EdgeLoad {
  /** WebSocket connections held at once. */
  clients: number;
  /** Pushes to single uids per second. */
  pushesPerSec: number;
  /** Broadcasts to every client per minute. */
  broadcastsPerMin: number;
  /** Pushes per HTTP request: 1 is `POST /push`, more is `POST /push/batch`. */
  batch: number;
  /** Connections each pushed uid holds (tabs): frames sent per push. */
  socketsPerPush: number;
  /** How long a connection lives on average; each one costs an upgrade through the Worker and an object. */
  sessionMinutes: number;
  /** A shard count to model instead of the one the model would pick. */
  shards?: number;
}

/** What the model says about one load. Costs are in USD, marginal (past the plans' included usage). */
export interface EdgeFigures {
  shards: number;
  /**
   * What set the shard count: the sockets one object holds, the requests or the frames it serves per second;
   * `fits` when one object carries the load, `given` when the count was asked for.
   */
  bound: 'fits' | 'sockets' | 'requests' | 'sends' | 'given';
  socketsPerShard: number;
  pushesPerSecPerShard: number;
  objectRequestsPerSecPerShard: number;
  /** Share of the time each object is awake (billed duration). */
  awakeShare: number;
  /** Rounds of calls before every shard has a broadcast: 1 while one invocation may call them all. */
  broadcastLevels: number;
  /** From the Worker receiving a broadcast to the last frame leaving the slowest shard. */
  broadcastMs: number;
  workerInvocationsPerPush: number;
  objectRequestsPerPush: number;
  workerInvocationsPerBroadcast: number;
  objectRequestsPerBroadcast: number;
  costPerMillionPushes: number;
  costPerBroadcast: number;
  costPerMillionConnectionMinutes: number;
  /** Everything above at this load for a 30-day month. */
  costPerMonth: number;
}

/** A load the model cannot describe (negative, not a number, a batch of zero…). */
export class ModelError extends Error {}

const MAX_SHARDS = 1_000_000;
const SECONDS_PER_MONTH = 30 * 24 * 3600;

/** The shards a batch of `batch` pushes to random uids reaches, on average: S·(1 − (1 − 1/S)^B). */
export function shardsTouched(batch: number, shards: number): number {
  if (batch === 1 || shards === 1) return 1;
  return shards * (1 - (1 - 1 / shards) ** batch);
}

/** Rounds of calls for a broadcast to reach `shards` objects when each caller may call `fanout` of them. */
export function broadcastLevels(shards: number, fanout: number): number {
  let levels = 1;
  for (let reach = fanout; reach < shards; reach *= fanout) levels++;
  return levels;
}

/** Throws ModelError unless every field of the load is a finite number in its range. */
export function checkLoad(load: EdgeLoad): void {
  const atLeast = (name: string, value: number, min: number) => {
    if (!Number.isFinite(value) || value < min) throw new ModelError(`${name} must be a number ≥ ${min}, got ${value}`);
  };
  atLeast('clients', load.clients, 0);
  atLeast('pushes per second', load.pushesPerSec, 0);
  atLeast('broadcasts per minute', load.broadcastsPerMin, 0);
  atLeast('batch', load.batch, 1);
  atLeast('sockets per push', load.socketsPerPush, 1);
  atLeast('session minutes', load.sessionMinutes, 1 / 60);
  if (!Number.isInteger(load.batch)) throw new ModelError(`batch must be a whole number, got ${load.batch}`);
  if (load.shards !== undefined && !(Number.isInteger(load.shards) && load.shards >= 1 && load.shards <= MAX_SHARDS)) {
    throw new ModelError(`shards must be a whole number from 1 to ${MAX_SHARDS}, got ${load.shards}`);
  }
}

// What each shard carries per second at a given shard count.
function perShard(load: EdgeLoad, shards: number, p: EdgePlatform) {
  const pushRequests = (load.pushesPerSec / load.batch) * shardsTouched(load.batch, shards) / shards;
  const broadcastRequests = load.broadcastsPerMin / 60;
  const connectRequests = load.clients / (load.sessionMinutes * 60) / shards;
  const sockets = load.clients / shards;
  const sends = (load.pushesPerSec * load.socketsPerPush) / shards + sockets * broadcastRequests;
  return { pushRequests, broadcastRequests, connectRequests, requests: pushRequests + broadcastRequests + connectRequests, sockets, sends, busy: sends / p.objectSendsPerSec };
}

/** The first limit a shard count breaks, or undefined when it carries the load within the headroom. */
export function limitBrokenAt(load: EdgeLoad, shards: number, p: EdgePlatform): EdgeFigures['bound'] | undefined {
  const s = perShard(load, shards, p);
  if (s.sockets > p.socketsPerObject) return 'sockets';
  if (s.requests > p.objectRequestsPerSec * p.headroom) return 'requests';
  if (s.sends > p.objectSendsPerSec * p.headroom) return 'sends';
  return undefined;
}

/** The fewest shards that carry the load within the headroom, and which limit decided it. */
export function shardsNeeded(load: EdgeLoad, p: EdgePlatform): { shards: number; bound: EdgeFigures['bound'] } {
  if (load.shards !== undefined) return { shards: load.shards, bound: 'given' };
  const first = limitBrokenAt(load, 1, p);
  if (first === undefined) return { shards: 1, bound: 'fits' };
  // Every per-shard load falls as shards grow, so double to a count that fits, then halve the gap.
  let hi = 2;
  while (limitBrokenAt(load, hi, p) !== undefined) {
    hi *= 2;
    if (hi > MAX_SHARDS) throw new ModelError(`this load needs more than ${MAX_SHARDS} shards`);
  }
  let lo = hi / 2;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (limitBrokenAt(load, mid, p) === undefined) hi = mid;
    else lo = mid;
  }
  return { shards: hi, bound: limitBrokenAt(load, lo, p)! };
}

/** The whole model for one load: shards, per-shard rates, broadcast time, calls and costs. */
export function modelEdge(load: EdgeLoad, p: EdgePlatform): EdgeFigures {
  checkLoad(load);
  const { shards, bound } = shardsNeeded(load, p);
  const s = perShard(load, shards, p);
  // Awake from a request until pushport's write timer fires, then asleep until the next request: a share
  // λT / (1 + λT) for requests arriving at λ per second, and never less than the time spent sending.
  const lt = s.requests * p.awakeAfterRequestSec;
  const awakeShare = Math.min(1, Math.max(s.busy, lt / (1 + lt)));
  const durationPerSec = shards * awakeShare * p.objectGb * p.objectGbSecondPrice / 1e6;
  // The duration (USD/s, all shards) is shared out by each kind's share of the requests that keep objects awake.
  const shareOf = (rate: number) => (s.requests > 0 ? (durationPerSec * rate) / s.requests : 0);
  const invocation = (p.workerRequestPrice + p.workerCpuMsPerRequest * p.workerCpuMsPrice) / 1e6;
  const objectRequest = p.objectRequestPrice / 1e6;

  const objectRequestsPerPush = shardsTouched(load.batch, shards) / load.batch;
  const perPush = invocation / load.batch + objectRequest * objectRequestsPerPush
    + (load.pushesPerSec > 0 ? shareOf(s.pushRequests) / load.pushesPerSec : 0);
  const broadcastsPerSec = load.broadcastsPerMin / 60;
  const perBroadcast = invocation + objectRequest * shards + (broadcastsPerSec > 0 ? shareOf(s.broadcastRequests) / broadcastsPerSec : 0);
  const connectsPerSec = load.clients / (load.sessionMinutes * 60);
  const perConnect = invocation + objectRequest + (connectsPerSec > 0 ? shareOf(s.connectRequests) / connectsPerSec : 0);
  const levels = broadcastLevels(shards, p.subrequestsPerInvocation);
  const costPerMillionConnectionMinutes = (perConnect * 1e6) / load.sessionMinutes;
  return {
    shards, bound,
    socketsPerShard: s.sockets,
    pushesPerSecPerShard: load.pushesPerSec / shards,
    objectRequestsPerSecPerShard: s.requests,
    awakeShare,
    broadcastLevels: levels,
    broadcastMs: levels * p.hopMs + (s.sockets / p.objectSendsPerSec) * 1000,
    workerInvocationsPerPush: 1 / load.batch,
    objectRequestsPerPush,
    workerInvocationsPerBroadcast: 1,
    objectRequestsPerBroadcast: shards,
    costPerMillionPushes: perPush * 1e6,
    costPerBroadcast: perBroadcast,
    costPerMillionConnectionMinutes,
    costPerMonth: SECONDS_PER_MONTH * (load.pushesPerSec * perPush + broadcastsPerSec * perBroadcast
      + (load.clients / 60) * costPerMillionConnectionMinutes / 1e6),
  };
}
