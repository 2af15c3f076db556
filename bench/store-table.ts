import type { Figures } from './figures.ts';
import type { Medians } from './goals-table.ts';

type Key = keyof Figures;

// One block per stored variant: its figures and the plain pipelined figure each one is read against.
const VARIANTS: Array<{ title: string; cpu: Key; rate: Key; p50: Key; p99: Key }> = [
  { title: 'every push with "ttl":60', cpu: 'ttlCpuPerPushUs', rate: 'ttlPushesPerSec', p50: 'ttlE2eP50Ms', p99: 'ttlE2eP99Ms' },
  { title: 'plain pushes to pushport.v1 clients', cpu: 'v1CpuPerPushUs', rate: 'v1PushesPerSec', p50: 'v1E2eP50Ms', p99: 'v1E2eP99Ms' },
];

const num = (f: Figures | undefined, key: Key) => (typeof f?.[key] === 'number' ? (f[key] as number) : undefined);
const show = (value: number | undefined, digits: number) => (value === undefined ? '—' : value.toFixed(digits));

/**
 * The cost of the store, per pushport server: the pipelined workload with every push stored, next to the plain
 * pipelined figures of the same rounds ("store cost": stored CPU per push over plain). Empty when no round
 * measured it (the reference server has no store; --stored-pushes 0 skips it).
 */
export function storeTable(medians: Medians): string {
  const names = [...medians.keys()].filter((name) => name !== 'reference' && VARIANTS.some((v) => num(medians.get(name), v.cpu) !== undefined));
  if (names.length === 0) return '';
  const rows: string[][] = [
    ['plain pipelined: CPU per push (µs)', ...names.map((n) => show(num(medians.get(n), 'cpuPerPushUs'), 2))],
    ['plain pipelined: pushes/s', ...names.map((n) => show(num(medians.get(n), 'pushesPerSec'), 0))],
  ];
  for (const v of VARIANTS) {
    const at = (n: string) => medians.get(n);
    rows.push(
      [`${v.title}: CPU per push (µs)`, ...names.map((n) => show(num(at(n), v.cpu), 2))],
      ['  store cost: CPU per push vs plain', ...names.map((n) => {
        const [stored, plain] = [num(at(n), v.cpu), num(at(n), 'cpuPerPushUs')];
        return stored !== undefined && plain ? `${(stored / plain).toFixed(2)}×` : '—';
      })],
      ['  pushes/s', ...names.map((n) => show(num(at(n), v.rate), 0))],
      ['  end-to-end p50 / p99 (ms)', ...names.map((n) => `${show(num(at(n), v.p50), 2)} / ${show(num(at(n), v.p99), 2)}`)],
    );
  }
  const header = ['stored pushes (pushport only: the reference has no store)', ...names.map((n) => n.replace('pushport ', ''))];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
