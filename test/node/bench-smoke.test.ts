import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// Keeps `npm run bench` working; it asserts what was delivered, never how fast.
describe('npm run bench (a small run)', () => {
  it('prints one JSON line per scenario with every push answered ok and delivered', () => {
    const out = execFileSync('node', ['bench/run.ts', '--clients', '40', '--pushes', '400', '--rr-pushes', '100', '--broadcasts', '2', '--counts', '1,2'], {
      encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'ignore'],
    });
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ scenario: 'machine' });
    const runs = lines.filter((l) => ['pipelined', 'request-response', 'broadcast'].includes(l.scenario as string));
    expect(runs.map((l) => `${l.scenario}@${l.count}`)).toEqual([
      'pipelined@1', 'request-response@1', 'broadcast@1', 'pipelined@2', 'request-response@2', 'broadcast@2',
    ]);
    for (const run of runs) expect(run).toMatchObject({ okRatio: 1, timedOut: false, clients: 40 });
    expect(lines.at(-1)).toMatchObject({ scenario: 'ratio' });
  }, 150_000);
});
