import { describe, expect, it } from 'vitest';
import { cpuShares, rootedUs, type CpuProfile } from '../../bench/inspector-profile.ts';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber, columnNumber: 0 });

describe('the CPU shares of a profile from the inspector', () => {
  it('sorts self time into the script, the runtime send and the rest, leaving idle out', () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(idle)') }, { id: 2, callFrame: frame('(program)') }, { id: 3, callFrame: frame('send') },
        { id: 4, callFrame: frame('deliver', 'file:///x/bundle.js', 9) }, { id: 5, callFrame: frame('(garbage collector)') },
      ],
      samples: [1, 2, 3, 4, 4, 5],
      timeDeltas: [5000, 300, 200, 250, 150, 100],
    };
    const shares = cpuShares(profile);
    expect(shares.busyMs).toBeCloseTo(1, 9); // 300 + 200 + 250 + 150 + 100 µs; the 5 ms idle is not busy
    expect([shares.scriptShare, shares.sendShare, shares.programShare, shares.gcShare]).toEqual([0.4, 0.2, 0.3, 0.1]);
    expect(shares.runtimeShare).toBeCloseTo(0.4, 9);
    expect(shares.top[0]).toEqual({ name: 'deliver bundle.js:10', ms: 0.4, share: 0.4 });
  });

  it('answers zero shares for a profile with nothing busy in it', () => {
    const shares = cpuShares({ nodes: [{ id: 1, callFrame: frame('(idle)') }], samples: [1], timeDeltas: [10] });
    expect([shares.busyMs, shares.scriptShare, shares.top.length]).toEqual([0, 0, 0]);
  });

  it("adds up the samples of the stacks an object's RPC method starts, natives under it included", () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2, 5, 6] },
        { id: 2, callFrame: frame('pushMany', 'file:///b.js', 1), children: [3] },
        { id: 3, callFrame: frame('deliver', 'file:///b.js', 2), children: [4] },
        { id: 4, callFrame: frame('send') },
        { id: 5, callFrame: frame('fetch', 'file:///b.js', 3), children: [7] },
        { id: 6, callFrame: frame('(program)') },
        // The Worker's own pushMany, called from its handler: not the object's.
        { id: 7, callFrame: frame('pushMany', 'file:///b.js', 4) },
      ],
      samples: [2, 3, 4, 5, 6, 7],
      timeDeltas: [10, 20, 30, 40, 50, 60],
    };
    expect(rootedUs(profile, 'pushMany')).toBe(60);
    expect(rootedUs(profile, 'fetch')).toBe(100);
    expect(rootedUs(profile, 'broadcast')).toBe(0);
  });
});

