import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseModelFlags } from '../../scripts/model-flags.ts';
import { ModelError } from '../../scripts/scale-model.ts';

const run = (...args: string[]) => spawnSync(process.execPath, ['scripts/model.ts', ...args], { encoding: 'utf8', timeout: 20_000 });

describe('npm run model', () => {
  it('prints the figures of one load', () => {
    const out = run('--clients', '1000000', '--pushes', '50000');
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/1,000,000 clients, 50,000 pushes\/s/);
    expect(out.stdout).toMatch(/shards \(what set it\)\s+102 \(requests\)/);
    expect(out.stdout).toMatch(/cost per million pushes\s+\$0\.473\n/);
  });

  it('prints the grid of docs/scale.md without a load, and JSON when asked', () => {
    const grid = run();
    expect(grid.status).toBe(0);
    for (const clients of ['10,000', '1,000,000', '10,000,000']) expect(grid.stdout).toContain(`${clients} clients, 500,000 pushes/s`);
    const json = JSON.parse(run('--clients', '10_000', '--pushes', '1000', '--json').stdout) as Array<{ figures: { shards: number } }>;
    expect(json.map((row) => row.figures.shards)).toEqual([3]);
  });

  it('reads every flag, with digit groups', () => {
    const asked = parseModelFlags(['--clients', '1_000_000', '--pushes', '2,500', '--batch', '100', '--tabs', '2', '--session-minutes', '60',
      '--broadcasts-per-minute', '0', '--shards', '8', '--sends-per-sec', '9000', '--sockets-per-shard', '5000', '--hop-ms', '40', '--headroom', '0.8']);
    expect(asked.load).toEqual({ clients: 1_000_000, pushesPerSec: 2500, batch: 100, socketsPerPush: 2, sessionMinutes: 60, broadcastsPerMin: 0, shards: 8 });
    expect([asked.platform.objectSendsPerSec, asked.platform.socketsPerObject, asked.platform.hopMs, asked.platform.headroom]).toEqual([9000, 5000, 40, 0.8]);
    expect(parseModelFlags([]).load).toBeUndefined();
  });

  it('models a broadcast tree at the Worker\'s FAN_OUT', () => {
    const out = run('--clients', '256', '--pushes', '1', '--shards', '64', '--sockets-per-shard', '4', '--fan-out', '4');
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/broadcast to every client \(ms, levels\)\s+75\.3 \(3\)/);
    expect(() => parseModelFlags(['--fan-out', '1'])).toThrow(/--fan-out must be from 2 to 10000000, got 1/);
  });

  it.each([
    [['--clients', '10'], /give both --clients and --pushes/],
    [['--clients', 'ten', '--pushes', '1'], /--clients must be a number, got "ten"/],
    [['--clients', '-5', '--pushes', '1'], /--clients needs a value|--clients must be a number/],
    [['--pushes'], /--pushes needs a value/],
    [['--batch', '0'], /--batch must be from 1 to 100000, got 0/],
    [['--batch', '2.5'], /--batch must be a whole number, got 2.5/],
    [['--headroom', '2'], /--headroom must be from 0.01 to 1, got 2/],
    [['--tabs', '1', '--tabs', '2'], /--tabs was given twice/],
    [['--shard', '2'], /unknown flag --shard/],
  ])('refuses %j with a clear error', (args, message) => {
    expect(() => parseModelFlags(args)).toThrow(ModelError);
    expect(() => parseModelFlags(args)).toThrow(message);
  });

  it('prints a group push beside one load, and the group pushes of docs/scale.md beside the grid', () => {
    const out = run('--clients', '1000000', '--pushes', '1000', '--group-members', '10000', '--group-online', '0.5', '--group-stored', '1');
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/group push on 50 shards\s+10,000 members, 50% online, ttl\n/);
    expect(out.stdout).toMatch(/SQLite rows read \/ written\s+[\d,]+ \/ 20,001\n/);
    expect(run().stdout).toMatch(/group push on 500 shards\s+10 members, 100% online\s+10,000 members, 100% online\s+1,000,000 members, 100% online/);
    expect(() => parseModelFlags(['--group-online', '0.5'])).toThrow(/give it too/);
    expect(parseModelFlags(['--group-members', '7']).group).toEqual({ members: 7, onlineShare: 1, stored: false });
  });

  it('models the group push in JSON with the same tabs as in the table', () => {
    const groupOf = (...tabs: string[]) => (JSON.parse(run('--clients', '1000000', '--pushes', '1000', '--group-members', '10000', ...tabs, '--json').stdout) as unknown[]).at(-1);
    const table = run('--clients', '1000000', '--pushes', '1000', '--group-members', '10000', '--tabs', '4').stdout;
    const [four, one] = [groupOf('--tabs', '4'), groupOf()] as { figures: { objectMs: number } }[];
    // Four tabs per member write four times the sockets: more object time than one tab, and what the table prints.
    expect(four!.figures.objectMs).toBeGreaterThan(one!.figures.objectMs);
    expect(table).toMatch(new RegExp(`object time, all objects \\(ms\\)\\s+${Math.round(four!.figures.objectMs).toLocaleString('en-US')}\\n`));
  });

  it('prints its usage for --help', () => {
    const out = run('--help');
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/^usage: npm run model -- /);
    expect(out.stdout).not.toContain('what set it');
  });

  it('exits 2 with the reason and the usage on a bad flag', () => {
    const out = run('--clients', '1e6', '--pushes', '5');
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/^model: --clients must be a number, got "1e6"\nusage: npm run model -- /);
    expect(out.stdout).toBe('');
  });
});
