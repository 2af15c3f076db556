import { describe, expect, it } from 'vitest';
import { formatStatus, formatUptime, table } from '../../emulator/cli/status-table.ts';

describe('status output', () => {
  it('aligns columns', () => {
    expect(table(['a', 'bb'], [['xxx', 1]])).toBe('a    bb\nxxx  1');
  });

  it('formats uptime', () => {
    expect(formatUptime(90_061_000)).toBe('1d 1h 1m 1s');
    expect(formatUptime(5000)).toBe('5s');
  });

  it('shows one row per process and marks the silent ones', () => {
    const text = formatStatus(
      {
        masterPid: 10,
        startFile: '/app/push.ts',
        startedAt: 0,
        processes: [
          { pid: 11, worker: 'push', id: 0, listen: ['websocket://0.0.0.0:1234', 'text://0.0.0.0:5678'], connections: 3, memory: 1048576, messages: 7, sendFails: 0, startedAt: 0 },
          { pid: 12, worker: 'push', id: 1, unresponsive: true },
        ],
      },
      61_000,
    );
    expect(text).toContain('master pid 10, up 1m 1s, 2 processes');
    expect(text).toMatch(/11\s+push\s+0\s+websocket:\/\/0\.0\.0\.0:1234 text:\/\/0\.0\.0\.0:5678\s+3\s+1\.0M\s+7\s+1m 1s/);
    expect(text).toMatch(/12\s+push\s+1.*not answering/);
  });
});
