import { describe, expect, it } from 'vitest';
import { FlagError, parseFlags } from '../../bench/flags.ts';

describe('the bench flags', () => {
  it('run every scenario by default, with 32 tabs, and only the fan-outs with --broadcast-only', () => {
    expect(parseFlags([])).toMatchObject({ broadcastOnly: false, tabs: 32, tabPushes: 200, clients: 1000, bigClients: 10_000 });
    expect(parseFlags(['--broadcast-only', '--quick'])).toMatchObject({ broadcastOnly: true, tabs: 32, tabPushes: 20, clients: 100 });
    expect(parseFlags(['--group-only'])).toMatchObject({ groupOnly: true, broadcastOnly: false, clients: 1000 });
    expect(() => parseFlags(['--group-only=1'])).toThrow(FlagError);
  });

  it('time 200 broadcasts at N by default, so their p99 is not just the slowest, and 50 at the big N', () => {
    expect(parseFlags([])).toMatchObject({ broadcasts: 200, bigBroadcasts: 50 });
    expect(parseFlags(['--broadcasts', '60', '--big-broadcasts=7'])).toMatchObject({ broadcasts: 60, bigBroadcasts: 7 });
    expect(() => parseFlags(['--big-broadcasts', '0'])).toThrow(FlagError);
  });

  it('take --tabs and --tab-pushes, 0 tabs skipping the scenario', () => {
    expect(parseFlags(['--tabs', '0', '--tab-pushes=50'])).toMatchObject({ tabs: 0, tabPushes: 50 });
  });

  it('refuse more tabs than the server keeps per uid by default, and a value on --broadcast-only', () => {
    expect(() => parseFlags(['--tabs', '33'])).toThrow(FlagError);
    expect(() => parseFlags(['--tabs', '33'])).toThrow(/--tabs must be a whole number from 0 to 32/);
    expect(() => parseFlags(['--broadcast-only=yes'])).toThrow(/--broadcast-only takes no value/);
  });
});
