import type { EdgePlatform } from './edge-platform.ts';
import { modelGroupPush, type GroupLoad, type GroupPushFigures } from './group-model.ts';

/** The group sizes docs/scale.md answers for. */
const GRID_MEMBERS = [10, 10_000, 1_000_000];

const count = (v: number) => (v >= 100 ? Math.round(v).toLocaleString('en-US') : String(Number(v.toPrecision(3))));
const usd = (v: number) => (v >= 100 ? `$${Math.round(v).toLocaleString('en-US')}` : `$${v.toPrecision(3)}`);

const rows: Array<[string, (f: GroupPushFigures) => string]> = [
  ['objects with members', (f) => count(f.objectsWithMembers)],
  ['Worker invocations / object requests', (f) => `${count(f.workerInvocations)} / ${count(f.objectRequests)}`],
  ['object requests if sent to every object', (f) => count(f.objectRequestsToEveryObject)],
  ['time to the last member (ms, levels)', (f) => `${count(f.ms)} (${f.levels})`],
  ['object time, all objects (ms)', (f) => count(f.objectMs)],
  ['SQLite rows read / written', (f) => `${count(f.rowsRead)} / ${count(f.rowsWritten)}`],
  ['cost per group push', (f) => usd(f.cost)],
  ['cost per million group pushes', (f) => usd(f.cost * 1e6)],
];

/** One table of group pushes on `shards` objects: a column per group size, a row per figure. */
export function groupTable(groups: Omit<GroupLoad, 'shards'>[], shards: number, platform: EdgePlatform): string {
  const figures = groups.map((g) => modelGroupPush({ ...g, shards }, platform));
  const what = (g: Omit<GroupLoad, 'shards'>) => `${count(g.members)} members, ${count(g.onlineShare * 100)}% online${g.stored ? ', ttl' : ''}`;
  const heads = groups.map(what);
  const cells = rows.map(([label, show]) => [label, ...figures.map(show)]);
  const title = `group push on ${count(shards)} shards`;
  const width = Math.max(title.length, ...rows.map(([label]) => label.length));
  const cols = heads.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i + 1]!.length)));
  const line = (label: string, values: string[]) => `${label.padEnd(width)}  ${values.map((v, i) => v.padStart(cols[i]!)).join('  ')}`;
  return [line(title, heads), ...cells.map(([label, ...values]) => line(label!, values))].join('\n');
}

/**
 * The group pushes of docs/scale.md on a deployment of `clients`: 10, 10,000 and 1,000,000 members, as many of them
 * online as the deployment has clients (plain), then none online (with a ttl, so every member's push is queued).
 */
export function gridGroups(clients: number): Omit<GroupLoad, 'shards'>[][] {
  return [
    GRID_MEMBERS.map((members) => ({ members, onlineShare: Math.min(1, clients / members), tabs: 1, stored: false })),
    GRID_MEMBERS.map((members) => ({ members, onlineShare: 0, tabs: 1, stored: true })),
  ];
}
