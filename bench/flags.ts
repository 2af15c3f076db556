/** What one benchmark run does; every field has a flag. */
export interface BenchOptions {
  /** WebSocket clients, uids u0…u(N−1). */
  clients: number;
  /** Pushes in the pipelined scenario. */
  pushes: number;
  /** Pushes in the request-response scenario (min(pushes, 10,000) unless --rr-pushes). */
  rrPushes: number;
  /** Text-port connections of the pipelined scenario. */
  connections: number;
  /** Lines each pipelined connection keeps outstanding at most. */
  window: number;
  /** Server process counts to run, in order; ratios compare each to the first. */
  counts: number[];
  /** Broadcasts in the broadcast scenario. */
  broadcasts: number;
  /** Time budget per count setting, in seconds. */
  deadlineSeconds: number;
}

/** A flag the run cannot use; run.ts prints its message on one line and exits 2. */
export class FlagError extends Error {}

const defaults = { clients: 1000, pushes: 50_000, connections: 4, window: 256, broadcasts: 20, deadlineSeconds: 120 };
const quick = { clients: 200, pushes: 5000, broadcasts: 5 };

// Flag → option, with the bounds that keep a run meaningful and finite.
const numeric: Record<string, { key: keyof typeof defaults | 'rrPushes'; min: number; max: number }> = {
  '--clients': { key: 'clients', min: 1, max: 100_000 },
  '--pushes': { key: 'pushes', min: 1, max: 10_000_000 },
  '--rr-pushes': { key: 'rrPushes', min: 1, max: 10_000_000 },
  '--connections': { key: 'connections', min: 1, max: 256 },
  '--window': { key: 'window', min: 1, max: 65_536 },
  '--broadcasts': { key: 'broadcasts', min: 1, max: 10_000 },
  '--deadline-seconds': { key: 'deadlineSeconds', min: 1, max: 86_400 },
};

function whole(flag: string, raw: string | undefined, min: number, max: number): number {
  if (raw === undefined || raw.startsWith('--')) throw new FlagError(`${flag} needs a value`);
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new FlagError(`${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function countList(raw: string | undefined): number[] {
  if (raw === undefined || raw.startsWith('--')) throw new FlagError('--counts needs a value, e.g. --counts 1,2');
  const counts = raw.split(',').map((part) => whole('--counts', part.trim(), 1, 64));
  if (new Set(counts).size !== counts.length) throw new FlagError(`--counts lists a count twice: ${raw}`);
  return counts;
}

/** Reads the command line; --quick sets smaller defaults that explicit flags still override. */
export function parseFlags(args: string[]): BenchOptions & { help: boolean } {
  const given: Partial<Record<string, number>> = {};
  let counts = [1, 2];
  let isQuick = false;
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--quick' || flag === '--help' || flag === '-h') {
      if (inline !== undefined) throw new FlagError(`${flag} takes no value`);
      if (flag === '--quick') isQuick = true;
      else help = true;
      continue;
    }
    const value = inline ?? args[++i];
    if (flag === '--counts') counts = countList(value);
    else if (numeric[flag]) given[numeric[flag].key] = whole(flag, value, numeric[flag].min, numeric[flag].max);
    else throw new FlagError(`unknown flag ${flag} (see --help)`);
  }
  const base = { ...defaults, ...(isQuick ? quick : {}) };
  const pick = (key: keyof typeof defaults) => given[key] ?? base[key];
  const pushes = pick('pushes');
  return {
    clients: pick('clients'), pushes, rrPushes: given.rrPushes ?? Math.min(pushes, 10_000),
    connections: pick('connections'), window: pick('window'), counts, broadcasts: pick('broadcasts'),
    deadlineSeconds: pick('deadlineSeconds'), help,
  };
}
