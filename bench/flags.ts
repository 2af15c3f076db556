/** What one benchmark run does; every field has a flag. */
export interface BenchOptions {
  /** WebSocket clients of the main scenarios, uids u0…u(N−1). */
  clients: number;
  /** Pushes in the pipelined scenario. */
  pushes: number;
  /** Unmeasured pipelined pushes first, so the figures are of a warmed-up server (JIT), not its first second. */
  warmupPushes: number;
  /** Pushes in each stored pipelined scenario (pushport only; 0 skips them). */
  storedPushes: number;
  /** Text-port connections of the pipelined scenario. */
  connections: number;
  /** Lines outstanding at most, in total over those connections. */
  window: number;
  /** Pushes in the request-response scenario. */
  rrPushes: number;
  /**
   * Broadcasts to all N clients (and pushes to their group). Enough that their p99 is a percentile: with 50,
   * the p99 is the slowest one, and a single stall of the machine decides it.
   */
  broadcasts: number;
  /** Broadcasts to the big client count (each takes about a tenth of a second). */
  bigBroadcasts: number;
  /** Clients of the memory and big-broadcast scenario (0 skips it). */
  bigClients: number;
  /** Tabs of the one uid in the tabs scenario (0 skips it); the server's default MAX_CONNECTIONS_PER_UID is 32. */
  tabs: number;
  /** Pushes to that uid, each timed until every tab has it. */
  tabPushes: number;
  /** pushport process counts; ratios compare each to count 1 (or the first). */
  counts: number[];
  /** Interleaved rounds (reference, pushport c1, c2, …, again); the table shows medians. */
  runs: number;
  /** Time budget of each scenario, in seconds. */
  scenarioSeconds: number;
  /** Also run the edge bench (wrangler dev) at the end. */
  edge: boolean;
  /** Only the fan-out scenarios: registration, broadcast at N, tabs, and the big N (no pipelined, request-response or stored). */
  broadcastOnly: boolean;
  /** Only pushport, and only a broadcast to the N clients and a push to a group of the same N, in that order. */
  groupOnly: boolean;
}

/** A flag the run cannot use; run.ts prints its message on one line and exits 2. */
export class FlagError extends Error {}

type Numeric = Exclude<keyof BenchOptions, 'counts' | 'edge' | 'broadcastOnly' | 'groupOnly'>;
const defaults: Record<Numeric, number> = {
  clients: 1000, pushes: 200_000, warmupPushes: 20_000, storedPushes: 200_000, connections: 4, window: 1000, rrPushes: 5000, broadcasts: 200, bigBroadcasts: 50, bigClients: 10_000, tabs: 32, tabPushes: 200, runs: 3, scenarioSeconds: 60,
};
const quick: Partial<Record<Numeric, number>> = { clients: 100, pushes: 4000, warmupPushes: 400, storedPushes: 4000, rrPushes: 300, broadcasts: 5, bigBroadcasts: 5, bigClients: 300, tabPushes: 20, runs: 1, scenarioSeconds: 20 };

// Flag → option, with the bounds that keep a run meaningful and finite.
const numeric: Record<string, { key: Numeric; min: number; max: number }> = {
  '--clients': { key: 'clients', min: 1, max: 100_000 },
  '--pushes': { key: 'pushes', min: 1, max: 10_000_000 },
  '--warmup-pushes': { key: 'warmupPushes', min: 0, max: 10_000_000 },
  '--stored-pushes': { key: 'storedPushes', min: 0, max: 10_000_000 },
  '--connections': { key: 'connections', min: 1, max: 256 },
  '--window': { key: 'window', min: 1, max: 1_000_000 },
  '--rr-pushes': { key: 'rrPushes', min: 1, max: 1_000_000 },
  '--broadcasts': { key: 'broadcasts', min: 1, max: 10_000 },
  '--big-broadcasts': { key: 'bigBroadcasts', min: 1, max: 10_000 },
  '--big-clients': { key: 'bigClients', min: 0, max: 100_000 },
  '--tabs': { key: 'tabs', min: 0, max: 32 },
  '--tab-pushes': { key: 'tabPushes', min: 1, max: 100_000 },
  '--runs': { key: 'runs', min: 1, max: 99 },
  '--scenario-seconds': { key: 'scenarioSeconds', min: 1, max: 3600 },
};

/** The usage line --help prints. */
export const USAGE = 'usage: node bench/run.ts [--quick] [--edge] [--broadcast-only] [--group-only] [--clients N] [--pushes M] [--connections K] [--window W] '
  + '[--warmup-pushes W] [--stored-pushes P] [--rr-pushes R] [--broadcasts B] [--big-clients N] [--big-broadcasts B] [--tabs T] [--tab-pushes P] [--counts 1,2,4] [--runs 3] [--scenario-seconds S]';

function whole(flag: string, raw: string | undefined, min: number, max: number): number {
  if (raw === undefined || raw.startsWith('--')) throw new FlagError(`${flag} needs a value`);
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new FlagError(`${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function countList(raw: string | undefined): number[] {
  if (raw === undefined || raw.startsWith('--')) throw new FlagError('--counts needs a value, e.g. --counts 1,2,4');
  const counts = raw.split(',').map((part) => whole('--counts', part.trim(), 1, 64));
  if (new Set(counts).size !== counts.length) throw new FlagError(`--counts lists a count twice: ${raw}`);
  return counts;
}

/** Reads the command line; --quick sets smaller defaults that explicit flags still override. */
export function parseFlags(args: string[]): BenchOptions & { help: boolean } {
  const given: Partial<Record<Numeric, number>> = {};
  let counts = [1, 2, 4];
  let [isQuick, help, edge, broadcastOnly, groupOnly] = [false, false, false, false, false];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const [flag, inline] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    if (flag === '--quick' || flag === '--help' || flag === '-h' || flag === '--edge' || flag === '--broadcast-only' || flag === '--group-only') {
      if (inline !== undefined) throw new FlagError(`${flag} takes no value`);
      if (flag === '--quick') isQuick = true;
      else if (flag === '--edge') edge = true;
      else if (flag === '--broadcast-only') broadcastOnly = true;
      else if (flag === '--group-only') groupOnly = true;
      else help = true;
      continue;
    }
    const value = inline ?? args[++i];
    if (flag === '--counts') counts = countList(value);
    else if (numeric[flag]) given[numeric[flag].key] = whole(flag, value, numeric[flag].min, numeric[flag].max);
    else throw new FlagError(`unknown flag ${flag} (see --help)`);
  }
  const pick = (key: Numeric) => given[key] ?? (isQuick ? quick[key] : undefined) ?? defaults[key];
  const options = Object.fromEntries(Object.keys(defaults).map((key) => [key, pick(key as Numeric)])) as Record<Numeric, number>;
  if (options.connections > options.window) throw new FlagError(`--window (${options.window}) must be at least --connections (${options.connections})`);
  return { ...options, counts, edge, broadcastOnly, groupOnly, help };
}
