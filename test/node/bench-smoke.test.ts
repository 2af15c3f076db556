import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// Keeps `npm run bench` working end to end; it asserts what was delivered, never how fast.
describe('npm run bench (a tiny run)', () => {
  it('delivers every push answered ok to its own client, once, on both servers, stored ones too, and prints the tables', () => {
    const bench = spawnSync(process.execPath, ['bench/run.ts', '--quick', '--counts', '1', '--clients', '40', '--pushes', '400', '--stored-pushes', '100',
      '--rr-pushes', '50', '--broadcasts', '2', '--big-clients', '60', '--big-broadcasts', '2', '--tabs', '4', '--tab-pushes', '3'], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
    // Why it failed: the end of its stderr and the error lines it printed for a scenario.
    const errors = bench.stdout.split('\n').filter((line) => line.includes('"scenario":"error"'));
    const why = `bench exited ${bench.status ?? bench.signal}${bench.error ? ` (${bench.error.message})` : ''}:\n${[...bench.stderr.split('\n').slice(-30), ...errors].join('\n')}`;
    expect(bench.status, why).toBe(0);
    const out = bench.stdout;
    const [jsonPart, table] = out.split('\n\n');
    const lines = jsonPart!.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ scenario: 'machine' });
    expect(lines.filter((l) => l.scenario === 'error')).toEqual([]);
    for (const server of ['reference', 'pushport c1']) {
      const of = (scenario: string) => lines.find((l) => l.scenario === scenario && l.server === server);
      for (const scenario of ['warm-up', 'pipelined', 'request-response']) {
        expect(of(scenario)).toMatchObject({ okRatio: 1, lost: 0, misrouted: 0, duplicates: 0, timedOut: false });
      }
      expect(of('registration')).toMatchObject({ identified: 40, timedOut: false });
      expect(of('broadcast')).toMatchObject({ completed: 2, deliveries: 80, duplicates: 0, timedOut: false });
      expect(of('big-broadcast')).toMatchObject({ completed: 2, deliveries: 120, timedOut: false });
      expect(of('tabs')).toMatchObject({ tabs: 4, completed: 3, deliveries: 12, duplicates: 0, timedOut: false });
    }
    expect(table).toMatch(/lost \+ misrouted pushes \(all rounds\)\s+0\+0\s+0\+0/);
    // Stored pushes: pushport only, with ttl and to pushport.v1 clients (whose seqs come one by one); the reference says why not.
    const stored = (scenario: string, server: string) => lines.find((l) => l.scenario === scenario && l.server === server);
    expect(stored('stored', 'reference')).toMatchObject({ skipped: expect.stringMatching(/no store/) });
    for (const scenario of ['stored-ttl', 'stored-v1']) {
      expect(stored(scenario, 'pushport c1')).toMatchObject({ pushes: 100, okRatio: 1, lost: 0, misrouted: 0, duplicates: 0, timedOut: false });
    }
    expect(stored('stored-v1', 'pushport c1')).toMatchObject({ seqGaps: 0, unsequenced: 0 });
    expect(out).toMatch(/store cost: CPU per push vs plain/);
  }, 60_000);
});
