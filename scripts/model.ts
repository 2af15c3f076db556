/**
 * `npm run model -- --clients 1000000 --pushes 50000`: what the edge needs and costs at a load, from the
 * platform figures in scripts/edge-platform.ts (sources in docs/scale.md). Without a load it prints the grid
 * of docs/scale.md: 10k, 1M and 10M clients at 1k, 50k and 500k pushes/s, a broadcast to all once a minute.
 */
import type { EdgePlatform } from './edge-platform.ts';
import { gridGroups, groupTable } from './group-table.ts';
import { modelGroupPush } from './group-model.ts';
import { MODEL_USAGE, parseModelFlags, type ModelRequest } from './model-flags.ts';
import { modelEdge, ModelError, type EdgeFigures, type EdgeLoad } from './scale-model.ts';

/** The grid's client counts and push rates. */
export const GRID_CLIENTS = [10_000, 1_000_000, 10_000_000];
export const GRID_PUSHES = [1000, 50_000, 500_000];

const count = (v: number) => (v >= 100 ? Math.round(v).toLocaleString('en-US') : String(Number(v.toPrecision(3))));
// Three significant digits without an exponent: a broadcast costs millionths of a dollar.
const usd = (v: number) => (v >= 100 ? `$${Math.round(v).toLocaleString('en-US')}`
  : v <= 0 ? '$0' : `$${v.toFixed(Math.min(12, Math.max(2, 2 - Math.floor(Math.log10(v)))))}`);

const rows: Array<[string, (f: EdgeFigures) => string]> = [
  ['shards (what set it)', (f) => `${count(f.shards)} (${f.bound})`],
  ['sockets per shard', (f) => count(f.socketsPerShard)],
  ['pushes/s per shard', (f) => count(f.pushesPerSecPerShard)],
  ['object requests/s per shard', (f) => count(f.objectRequestsPerSecPerShard)],
  ['share of time each object is awake', (f) => `${count(f.awakeShare * 100)}%`],
  ['broadcast to every client (ms, levels)', (f) => `${count(f.broadcastMs)} (${f.broadcastLevels})`],
  ['Worker invocations / object requests per push', (f) => `${count(f.workerInvocationsPerPush)} / ${count(f.objectRequestsPerPush)}`],
  ['Worker invocations / object requests per broadcast', (f) => `${count(f.workerInvocationsPerBroadcast)} / ${count(f.objectRequestsPerBroadcast)}`],
  ['cost per million pushes', (f) => usd(f.costPerMillionPushes)],
  ['cost per broadcast', (f) => usd(f.costPerBroadcast)],
  ['cost per million connection-minutes', (f) => usd(f.costPerMillionConnectionMinutes)],
  ['cost per 30-day month at this load', (f) => usd(f.costPerMonth)],
];

/** One table: a column per load, a row per figure. */
export function modelTable(loads: EdgeLoad[], platform: EdgePlatform): string {
  const figures = loads.map((load) => modelEdge(load, platform));
  const heads = loads.map((l) => `${count(l.clients)} clients, ${count(l.pushesPerSec)} pushes/s`);
  const cells = rows.map(([label, show]) => [label, ...figures.map(show)]);
  const width = Math.max(...rows.map(([label]) => label.length));
  const cols = heads.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i + 1]!.length)));
  const line = (label: string, values: string[]) => `${label.padEnd(width)}  ${values.map((v, i) => v.padStart(cols[i]!)).join('  ')}`;
  return [line('', heads), ...cells.map(([label, ...values]) => line(label!, values))].join('\n');
}

/** The loads asked for: the one given, or the grid, one list per client count. */
export function requestedLoads(argv: readonly string[]): { tables: EdgeLoad[][]; platform: EdgePlatform; json: boolean; help: boolean; group: ModelRequest['group'] } {
  const { load, base, platform, json, help, group } = parseModelFlags(argv);
  const tables = load ? [[load]] : GRID_CLIENTS.map((clients) => GRID_PUSHES.map((pushesPerSec) => ({ ...base, clients, pushesPerSec })));
  return { tables, platform, json, help, group };
}

// The group push asked for, with the tabs of the one load it goes with.
function askedGroup(tables: EdgeLoad[][], group: NonNullable<ModelRequest['group']>) {
  return { ...group, tabs: tables[0]![0]!.socketsPerPush };
}

/**
 * The group pushes to print: the one asked for on the load's shards, or those of docs/scale.md on the shards the
 * grid picks for each client count at its lowest push rate. None for one load without --group-members.
 */
function groupTables(tables: EdgeLoad[][], platform: EdgePlatform, group: ModelRequest['group']): string[] {
  const shardsOf = (load: EdgeLoad) => modelEdge(load, platform).shards;
  if (group) return [groupTable([askedGroup(tables, group)], shardsOf(tables[0]![0]!), platform)];
  if (tables.length === 1) return [];
  return tables.flatMap((loads) => gridGroups(loads[0]!.clients).map((groups) => groupTable(groups, shardsOf(loads[0]!), platform)));
}

if (import.meta.main) {
  try {
    const { tables, platform, json, help, group } = requestedLoads(process.argv.slice(2));
    if (help) {
      process.stdout.write(`${MODEL_USAGE}\nWithout --clients and --pushes: the grid of docs/scale.md. Inputs and their sources: docs/scale.md.\n`);
    } else if (json) {
      const figures = tables.flat().map((load) => ({ load, figures: modelEdge(load, platform) }));
      const groupFigures = group && { group, figures: modelGroupPush({ ...askedGroup(tables, group), shards: figures[0]!.figures.shards }, platform) };
      process.stdout.write(`${JSON.stringify(groupFigures ? [...figures, groupFigures] : figures, null, 2)}\n`);
    } else {
      const note = 'USD, marginal (past the included usage of the Workers Paid plan); inputs and their sources: docs/scale.md';
      const all = [...tables.map((loads) => modelTable(loads, platform)), ...groupTables(tables, platform, group)];
      process.stdout.write(`${all.join('\n\n')}\n\n${note}\n`);
    }
  } catch (error) {
    if (!(error instanceof ModelError)) throw error;
    process.stderr.write(`model: ${error.message}\n${MODEL_USAGE}\n`);
    process.exit(2);
  }
}
