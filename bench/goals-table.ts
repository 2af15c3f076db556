import type { Figures } from './figures.ts';

/** Medians per server name: `reference`, `pushport c1`, `pushport c2`, … */
export type Medians = Map<string, Figures>;

type Key = Exclude<keyof Figures, 'lost' | 'misrouted' | 'clientSaturated'>;

/** A figure's row: how to show it, and its goal as a bound on a ratio (to the reference or to count 1). */
interface Row {
  label: string;
  key: Key;
  digits: number;
  /** The ratio's numerator/denominator: pushport c1 over the reference, unless said otherwise; with no bound, the ratio alone is shown. */
  goal?: { max?: number; min?: number; against: 'reference' | 'own p50' | 'own big p50' | 'after registration' };
}

const ROWS: Row[] = [
  { label: 'server CPU per pipelined push (µs)', key: 'cpuPerPushUs', digits: 2, goal: { max: 0.7, against: 'reference' } },
  { label: '… of it in the kernel (µs)', key: 'kernelCpuPerPushUs', digits: 2 },
  { label: 'write syscalls per pipelined push', key: 'writeSyscallsPerPush', digits: 2 },
  { label: 'context switches per pipelined push', key: 'switchesPerPush', digits: 3 },
  { label: 'pipelined pushes/s', key: 'pushesPerSec', digits: 0, goal: { min: 1.0, against: 'reference' } },
  { label: 'end-to-end p50 (ms)', key: 'e2eP50Ms', digits: 2 },
  { label: 'end-to-end p99 (ms)', key: 'e2eP99Ms', digits: 2, goal: { max: 0.5, against: 'reference' } },
  { label: 'request-response p50 (ms)', key: 'rrP50Ms', digits: 3, goal: { max: 1.0, against: 'reference' } },
  { label: 'request-response p99 (ms)', key: 'rrP99Ms', digits: 3 },
  { label: 'idle RSS per process (MB)', key: 'idleRssMB', digits: 1, goal: { max: 1.2, against: 'reference' } },
  { label: 'RSS per connection at big N (KB)', key: 'rssPerConnKB', digits: 2, goal: { max: 0.45, against: 'reference' } },
  { label: '… from a baseline after 1000 clients came and went (KB)', key: 'warmRssPerConnKB', digits: 2, goal: { against: 'reference' } },
  { label: '… live heap per connection after GC (B)', key: 'heapPerConnB', digits: 0, goal: { against: 'reference' } },
  { label: 'broadcast to N p50 (ms)', key: 'broadcastP50Ms', digits: 2, goal: { max: 1.0, against: 'reference' } },
  { label: 'broadcast to N p99 (ms)', key: 'broadcastP99Ms', digits: 2, goal: { max: 2, against: 'own p50' } },
  { label: 'broadcast CPU per socket at N (µs)', key: 'broadcastCpuPerSocketUs', digits: 2 },
  { label: '… its kernel part at N (µs)', key: 'broadcastKernelPerSocketUs', digits: 2 },
  { label: 'push to a group of the N p50 (ms)', key: 'groupP50Ms', digits: 2, goal: { max: 1.2, against: 'own p50' } },
  { label: 'push to a group of the N p99 (ms)', key: 'groupP99Ms', digits: 2 },
  { label: 'group push CPU per socket at N (µs)', key: 'groupCpuPerSocketUs', digits: 2 },
  { label: 'broadcast to big N p50 (ms)', key: 'bigBroadcastP50Ms', digits: 2 },
  { label: 'broadcast to big N p99 (ms)', key: 'bigBroadcastP99Ms', digits: 2, goal: { max: 2, against: 'own big p50' } },
  { label: 'broadcast CPU per socket at big N (µs)', key: 'bigBroadcastCpuPerSocketUs', digits: 2 },
  { label: '… its kernel part at big N (µs)', key: 'bigBroadcastKernelPerSocketUs', digits: 2 },
  { label: 'push to one uid\'s tabs p50 (ms)', key: 'tabsP50Ms', digits: 3, goal: { max: 1.0, against: 'reference' } },
  { label: 'push to one uid\'s tabs p99 (ms)', key: 'tabsP99Ms', digits: 3 },
  { label: '… CPU per tab written (µs)', key: 'tabsCpuPerSocketUs', digits: 2 },
  { label: 'RSS after registration (MB)', key: 'rssAfterRegistrationMB', digits: 1 },
  { label: 'RSS after the run (MB)', key: 'rssAfterRunMB', digits: 1, goal: { max: 1.5, against: 'after registration' } },
];

// The figure a goal against pushport's own numbers divides by.
const OWN: Record<string, Key> = {
  'own p50': 'broadcastP50Ms', 'own big p50': 'bigBroadcastP50Ms', 'after registration': 'rssAfterRegistrationMB',
};

// The crossing's own cost: what a count adds over count 1, per push that crossed. With clients and text
// connections spread evenly, a push lands in a process that does not hold its uid (count − 1) / count of the time.
const CROSSING: Array<[string, Key, number]> = [
  ['crossing: CPU per crossing push (µs)', 'cpuPerPushUs', 2],
  ['crossing: … of it in the kernel (µs)', 'kernelCpuPerPushUs', 2],
  ['crossing: write syscalls per crossing push', 'writeSyscallsPerPush', 3],
  ['crossing: context switches per crossing push', 'switchesPerPush', 3],
];

function crossingRows(medians: Medians, names: string[]): string[][] {
  const one = medians.get('pushport c1');
  return CROSSING.map(([label, key, digits]) => [label, ...names.map((name) => {
    const count = Number(/^pushport c(\d+)$/.exec(name)?.[1] ?? 0);
    const mine = medians.get(name)?.[key];
    const base = one?.[key];
    if (count < 2 || mine === undefined || base === undefined) return '';
    return ((mine - base) / ((count - 1) / count)).toFixed(digits);
  }), '', '', '']);
}

const show = (value: number | undefined, digits: number) => (value === undefined ? '—' : value.toFixed(digits));

function verdict(ratio: number | undefined, goal: { max?: number; min?: number }): string {
  if (goal.max === undefined && goal.min === undefined) return '';
  if (ratio === undefined) return 'n/a';
  const pass = (goal.max === undefined || ratio <= goal.max) && (goal.min === undefined || ratio >= goal.min);
  return pass ? 'PASS' : 'MISS';
}

function goalText(goal: { max?: number; min?: number; against: string }): string {
  const who = goal.against === 'reference' ? 'ref' : goal.against;
  if (goal.max === undefined && goal.min === undefined) return '';
  return goal.max !== undefined ? `≤ ${goal.max}× ${who}` : `≥ ${goal.min}× ${who}`;
}

/** The human-readable table: every figure per server, and each goal as a ratio with PASS/MISS (pushport c1). */
export function goalsTable(medians: Medians, counts: number[], rounds: number): string {
  const names = ['reference', ...counts.map((c) => `pushport c${c}`)];
  const main = medians.get('pushport c1') ?? medians.get(names[1]!);
  const reference = medians.get('reference');
  const header = ['figure', ...names.map((n) => n.replace('pushport ', '')), 'goal (c1)', 'ratio', 'verdict'];
  const rows: string[][] = [];
  for (const row of ROWS) {
    const cells = names.map((n) => show(medians.get(n)?.[row.key], row.digits));
    let [goal, ratioText, result] = ['', '', ''];
    if (row.goal && main) {
      const mine = main[row.key];
      const base = row.goal.against === 'reference' ? reference?.[row.key] : main[OWN[row.goal.against]!];
      const ratio = mine !== undefined && base !== undefined && base > 0 ? mine / base : undefined;
      [goal, ratioText, result] = [goalText(row.goal), ratio === undefined ? '—' : `${ratio.toFixed(2)}×`, verdict(ratio, row.goal)];
      if (row.key === 'pushesPerSec' && main.clientSaturated) result += ' (client saturated: CPU/push counts)';
    }
    rows.push([row.label, ...cells, goal, ratioText, result]);
  }
  const base = medians.get('pushport c1')?.cpuPerPushUs;
  for (const [count, max] of [[2, 1.3], [4, 1.5]] as const) {
    if (!counts.includes(count)) continue;
    const other = medians.get(`pushport c${count}`)?.cpuPerPushUs;
    const ratio = other !== undefined && base !== undefined && base > 0 ? other / base : undefined;
    rows.push([`count ${count} CPU per push vs count 1`, ...names.map(() => ''), `≤ ${max}× c1`, ratio === undefined ? '—' : `${ratio.toFixed(2)}×`, verdict(ratio, { max })]);
  }
  rows.push(...crossingRows(medians, names));
  const losses = names.slice(1).map((n) => medians.get(n)).reduce((sum, f) => sum + (f ? f.lost + f.misrouted : 0), 0);
  rows.push(['lost + misrouted pushes (all rounds)', ...names.map((n) => {
    const f = medians.get(n);
    return f ? `${f.lost}+${f.misrouted}` : '—';
  }), '= 0 (pushport)', String(losses), losses === 0 ? 'PASS' : 'MISS']);
  const saturated = names.filter((n) => medians.get(n)?.clientSaturated);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [
    `Medians of ${rounds} interleaved round(s); ratios are pushport count 1 against the reference measured in the same run.`,
    line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line),
    saturated.length ? `The load client saturated its core while measuring ${saturated.join(', ')}: there, CPU per push is the figure that counts.` : 'The load client never saturated its core.',
  ].join('\n');
}
