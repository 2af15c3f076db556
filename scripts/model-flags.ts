import { EDGE_PLATFORM, type EdgePlatform } from './edge-platform.ts';
import { ModelError, type EdgeLoad } from './scale-model.ts';

/** What `npm run model` was asked: one load (or the grid of docs/scale.md), and the platform figures to use. */
export interface ModelRequest {
  /** Undefined for the grid: 10k / 1M / 10M clients at 1k / 50k / 500k pushes/s. */
  load?: EdgeLoad;
  /** Applied to every load of the grid too. */
  base: Omit<EdgeLoad, 'clients' | 'pushesPerSec'>;
  platform: EdgePlatform;
  json: boolean;
  /** `--help`: print the usage and nothing else. */
  help: boolean;
  /** `--group-members N`: also a push to a group of N members on the load's shards (with its online share, stored or not). */
  group?: { members: number; onlineShare: number; stored: boolean };
}

/** The usage line printed with every flag error. */
export const MODEL_USAGE = 'usage: npm run model -- [--clients N --pushes P] [--broadcasts-per-minute 1] [--batch 1] [--tabs 1] '
  + '[--session-minutes 30] [--shards S] [--sends-per-sec 15000] [--sockets-per-shard 20000] [--hop-ms 25] [--fan-out 10000] [--headroom 0.5] '
  + '[--group-members N [--group-online 1] [--group-stored 0]] [--member-us 15] [--stored-member-us 180] [--json]';

type Target = { load: keyof EdgeLoad } | { platform: keyof EdgePlatform } | { group: 'members' | 'onlineShare' | 'stored' };
const flags: Record<string, Target & { min: number; max: number; whole?: boolean }> = {
  '--clients': { load: 'clients', min: 0, max: 1e10, whole: true },
  '--pushes': { load: 'pushesPerSec', min: 0, max: 1e9 },
  '--broadcasts-per-minute': { load: 'broadcastsPerMin', min: 0, max: 60_000 },
  '--batch': { load: 'batch', min: 1, max: 100_000, whole: true },
  '--tabs': { load: 'socketsPerPush', min: 1, max: 1000 },
  '--session-minutes': { load: 'sessionMinutes', min: 0.1, max: 1e7 },
  '--shards': { load: 'shards', min: 1, max: 1_000_000, whole: true },
  '--sends-per-sec': { platform: 'objectSendsPerSec', min: 1, max: 1e9 },
  '--sockets-per-shard': { platform: 'socketsPerObject', min: 1, max: 1e9, whole: true },
  '--hop-ms': { platform: 'hopMs', min: 0, max: 60_000 },
  // The calls one invocation makes: the Worker's FAN_OUT (default 32), at most the plan's subrequest limit.
  '--fan-out': { platform: 'subrequestsPerInvocation', min: 2, max: 10_000_000, whole: true },
  '--headroom': { platform: 'headroom', min: 0.01, max: 1 },
  '--group-members': { group: 'members', min: 1, max: 1e9, whole: true },
  '--group-online': { group: 'onlineShare', min: 0, max: 1 },
  '--group-stored': { group: 'stored', min: 0, max: 1, whole: true },
  '--member-us': { platform: 'groupMemberUs', min: 0, max: 1e6 },
  '--stored-member-us': { platform: 'storedMemberUs', min: 0, max: 1e6 },
};

// A plain decimal, with `_` or `,` allowed between digit groups: "1000000", "1_000_000", "0.5".
function number(flag: string, raw: string | undefined): number {
  if (raw === undefined || raw.startsWith('--')) throw new ModelError(`${flag} needs a value`);
  const plain = raw.replace(/[_,]/g, '');
  if (!/^\d+(\.\d+)?$/.test(plain)) throw new ModelError(`${flag} must be a number, got "${raw}"`);
  return Number(plain);
}

/** Reads the command line; throws ModelError naming the flag that is wrong. */
export function parseModelFlags(argv: readonly string[]): ModelRequest {
  const load: Record<string, number> = { broadcastsPerMin: 1, batch: 1, socketsPerPush: 1, sessionMinutes: 30 };
  const platform: EdgePlatform = { ...EDGE_PLATFORM };
  const seen = new Set<string>();
  const group: Record<string, number> = { onlineShare: 1, stored: 0 };
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--help' || flag === '-h') return { base: load as unknown as ModelRequest['base'], platform, json, help: true };
    if (flag === '--json') {
      json = true;
      continue;
    }
    const spec = flags[flag];
    if (!spec) throw new ModelError(`unknown flag ${flag}`);
    if (seen.has(flag)) throw new ModelError(`${flag} was given twice`);
    seen.add(flag);
    const value = number(flag, argv[++i]);
    if (value < spec.min || value > spec.max) throw new ModelError(`${flag} must be from ${spec.min} to ${spec.max}, got ${value}`);
    if (spec.whole && !Number.isInteger(value)) throw new ModelError(`${flag} must be a whole number, got ${value}`);
    if ('load' in spec) load[spec.load] = value;
    else if ('group' in spec) group[spec.group] = value;
    else platform[spec.platform] = value;
  }
  if (seen.has('--clients') !== seen.has('--pushes')) {
    throw new ModelError('give both --clients and --pushes for one load, or neither for the grid of docs/scale.md');
  }
  if ((seen.has('--group-online') || seen.has('--group-stored')) && !seen.has('--group-members')) {
    throw new ModelError('--group-online and --group-stored describe the group of --group-members: give it too');
  }
  const { clients, pushesPerSec, ...rest } = load;
  const base = rest as unknown as ModelRequest['base'];
  const asked: ModelRequest = { load: clients === undefined ? undefined : { ...base, clients, pushesPerSec: pushesPerSec! }, base, platform, json, help: false };
  if (group.members !== undefined) asked.group = { members: group.members, onlineShare: group.onlineShare!, stored: group.stored === 1 };
  return asked;
}
