import { describe, expect, it } from 'vitest';
import type { Figures } from '../../bench/figures.ts';
import { medianFigures } from '../../bench/figures.ts';
import { goalsTable } from '../../bench/goals-table.ts';
import { storeTable } from '../../bench/store-table.ts';

const base: Figures = { lost: 0, misrouted: 0, clientSaturated: false };
const rowOf = (table: string, label: string) => table.split('\n').find((line) => line.startsWith(label)) ?? '';

describe('the bench goals table', () => {
  it('takes medians per figure and sums losses over rounds', () => {
    const merged = medianFigures([{ ...base, cpuPerPushUs: 9, lost: 1 }, { ...base, cpuPerPushUs: 3 }, { ...base, cpuPerPushUs: 5, misrouted: 2 }]);
    expect(merged).toMatchObject({ cpuPerPushUs: 5, lost: 1, misrouted: 2 });
  });

  it('judges each goal as a ratio to the reference, to count 1, or to its own figures', () => {
    const medians = new Map<string, Figures>([
      ['reference', { ...base, cpuPerPushUs: 10, pushesPerSec: 100, broadcastP50Ms: 10 }],
      ['pushport c1', { ...base, cpuPerPushUs: 6, pushesPerSec: 90, broadcastP50Ms: 4, broadcastP99Ms: 9, rssAfterRegistrationMB: 100, rssAfterRunMB: 200 }],
      ['pushport c2', { ...base, cpuPerPushUs: 6.6 }],
    ]);
    const table = goalsTable(medians, [1, 2], 3);
    expect(rowOf(table, 'server CPU per pipelined push')).toMatch(/0\.60×\s+PASS$/);
    expect(rowOf(table, 'pipelined pushes/s')).toMatch(/0\.90×\s+MISS$/);
    expect(rowOf(table, 'broadcast to N p99')).toMatch(/2\.25×\s+MISS$/);
    expect(rowOf(table, 'RSS after the run')).toMatch(/2\.00×\s+MISS$/);
    expect(rowOf(table, 'count 2 CPU per push')).toMatch(/1\.10×\s+PASS$/);
    expect(rowOf(table, 'idle RSS per process')).toMatch(/n\/a$/);
  });

  it('shows memory per connection against the reference: the RSS goal judged, the warm and heap figures as ratios alone', () => {
    const medians = new Map<string, Figures>([
      ['reference', { ...base, rssPerConnKB: 10, warmRssPerConnKB: 8, heapPerConnB: 3000 }],
      ['pushport c1', { ...base, rssPerConnKB: 4.8, warmRssPerConnKB: 2, heapPerConnB: 1500 }],
    ]);
    const table = goalsTable(medians, [1], 1);
    expect(rowOf(table, 'RSS per connection at big N')).toMatch(/≤ 0\.45× ref\s+0\.48×\s+MISS$/);
    expect(rowOf(table, '… from a baseline after 1000 clients')).toMatch(/\s2\.00\s+0\.25×$/);
    expect(rowOf(table, '… live heap per connection')).toMatch(/\s1500\s+0\.50×$/);
  });

  it('shows the crossing\'s own cost per crossing push: what a count adds over count 1, over the share that crosses', () => {
    const medians = new Map<string, Figures>([
      ['reference', { ...base, cpuPerPushUs: 10 }],
      ['pushport c1', { ...base, cpuPerPushUs: 6, kernelCpuPerPushUs: 2, writeSyscallsPerPush: 0.2 }],
      ['pushport c2', { ...base, cpuPerPushUs: 7, kernelCpuPerPushUs: 2.5, writeSyscallsPerPush: 0.25 }],
      ['pushport c4', { ...base, cpuPerPushUs: 9, kernelCpuPerPushUs: 3.5, writeSyscallsPerPush: 0.35 }],
    ]);
    const table = goalsTable(medians, [1, 2, 4], 1);
    // Half of the pushes cross at count 2, three quarters at count 4.
    expect(rowOf(table, 'crossing: CPU per crossing push (µs)')).toMatch(/\s2\.00\s+4\.00$/);
    expect(rowOf(table, 'crossing: … of it in the kernel (µs)')).toMatch(/\s1\.00\s+2\.00$/);
    expect(rowOf(table, 'crossing: write syscalls per crossing push')).toMatch(/\s0\.100\s+0\.200$/);
    expect(rowOf(table, 'count 4 CPU per push vs count 1')).toMatch(/≤ 1\.5× c1\s+1\.50×\s+PASS$/);
  });

  it('shows the kernel part of the CPU per push and the writes per push beside it, with no goal of their own', () => {
    const medians = new Map<string, Figures>([
      ['reference', { ...base, cpuPerPushUs: 10, kernelCpuPerPushUs: 6, writeSyscallsPerPush: 0.9 }],
      ['pushport c1', { ...base, cpuPerPushUs: 8, kernelCpuPerPushUs: 5.5, writeSyscallsPerPush: 0.75 }],
    ]);
    const table = goalsTable(medians, [1], 1);
    expect(rowOf(table, '… of it in the kernel').trim().split(/\s+/).slice(-2)).toEqual(['6.00', '5.50']);
    expect(rowOf(table, 'write syscalls per pipelined push').trim().split(/\s+/).slice(-2)).toEqual(['0.90', '0.75']);
  });

  it('judges the broadcasts against the reference and their own p50s, and the tabs push against the reference', () => {
    const medians = new Map<string, Figures>([
      ['reference', { ...base, broadcastP50Ms: 10, bigBroadcastP50Ms: 100, tabsP50Ms: 0.4 }],
      ['pushport c1', { ...base, broadcastP50Ms: 9, broadcastP99Ms: 17, bigBroadcastP50Ms: 120, bigBroadcastP99Ms: 250, tabsP50Ms: 0.5 }],
    ]);
    const table = goalsTable(medians, [1], 1);
    expect(rowOf(table, 'broadcast to N p50')).toMatch(/≤ 1× ref\s+0\.90×\s+PASS$/);
    expect(rowOf(table, 'broadcast to N p99')).toMatch(/1\.89×\s+PASS$/);
    expect(rowOf(table, 'broadcast to big N p99')).toMatch(/≤ 2× own big p50\s+2\.08×\s+MISS$/);
    expect(rowOf(table, "push to one uid's tabs p50")).toMatch(/1\.25×\s+MISS$/);
  });

  it('shows the CPU per socket of each fan-out and its kernel part, with no goal of their own', () => {
    const medians = new Map<string, Figures>([
      ['reference', { ...base, broadcastCpuPerSocketUs: 7, broadcastKernelPerSocketUs: 5.5, bigBroadcastCpuPerSocketUs: 8, tabsCpuPerSocketUs: 12 }],
      ['pushport c1', { ...base, broadcastCpuPerSocketUs: 7.5, broadcastKernelPerSocketUs: 5.25, bigBroadcastKernelPerSocketUs: 6 }],
    ]);
    const table = goalsTable(medians, [1], 1);
    const cells = (label: string) => rowOf(table, label).slice(label.length).trim().split(/\s+/);
    expect(cells('broadcast CPU per socket at N (µs)')).toEqual(['7.00', '7.50']);
    expect(cells('… its kernel part at N (µs)')).toEqual(['5.50', '5.25']);
    expect(cells('broadcast CPU per socket at big N (µs)')).toEqual(['8.00', '—']);
    expect(cells('… its kernel part at big N (µs)')).toEqual(['—', '6.00']);
    expect(cells('… CPU per tab written (µs)')).toEqual(['12.00', '—']);
  });

  it('fails the delivery row on any lost or misrouted push and flags a saturated load client', () => {
    const medians = new Map<string, Figures>([['reference', base], ['pushport c1', { ...base, lost: 1, clientSaturated: true }]]);
    const table = goalsTable(medians, [1], 1);
    expect(rowOf(table, 'lost + misrouted')).toMatch(/MISS$/);
    expect(table).toMatch(/saturated its core while measuring pushport c1/);
  });

  it('shows the store cost as stored CPU per push over the plain pipelined one, for pushport only', () => {
    const medians = new Map<string, Figures>([
      ['reference', { ...base, cpuPerPushUs: 10 }],
      ['pushport c1', { ...base, cpuPerPushUs: 8, ttlCpuPerPushUs: 20, v1CpuPerPushUs: 12 }],
    ]);
    const rows = storeTable(medians).split('\n').filter((line) => line.includes('store cost'));
    expect(rows.map((line) => line.trim().split(/\s+/).pop())).toEqual(['2.50×', '1.50×']);
    expect(storeTable(new Map([['reference', base]]))).toBe('');
  });
});
