import { describe, expect, it } from 'vitest';
import { connectionsJson, formatConnections, formatStatus, formatUptime, statusJson, table } from '../../emulator/cli/status-table.ts';

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

  it('prints status --json as one object per process and the sums over the ones that answered', () => {
    const json = JSON.parse(statusJson({
      masterPid: 10,
      startFile: '/app/push.ts',
      startedAt: 5,
      processes: [
        { pid: 11, worker: 'push', id: 0, listen: ['websocket://0.0.0.0:1234'], connections: 3, memory: 100, messages: 7, sendFails: 1, startedAt: 0 },
        { pid: 12, worker: 'push', id: 1, listen: ['websocket://0.0.0.0:1234'], connections: 2, memory: 50, messages: 1, sendFails: 0, startedAt: 0 },
        { pid: 13, worker: 'push', id: 2, unresponsive: true },
      ],
    }));
    expect(json.master).toEqual({ pid: 10, startFile: '/app/push.ts', startedAt: 5 });
    expect(json.processes.map((p: { pid: number }) => p.pid)).toEqual([11, 12, 13]);
    expect(json.processes[2]).toEqual({ pid: 13, worker: 'push', id: 2, unresponsive: true });
    expect(json.total).toEqual({ processes: 3, unresponsive: 1, connections: 5, memory: 150, messages: 8, sendFails: 1 });
  });

  it('prints connections --json grouped by process, with the total', () => {
    const row = (pid: number, id: number, remote: string) => ({
      pid, worker: 'push', id, uid: remote === 'b' ? '' : `user-${remote}`, protocol: 'websocket', local: '127.0.0.1:1234', remote, sendQueue: 0, bytesRead: 1, bytesWritten: 2, status: 'established',
    });
    const json = JSON.parse(connectionsJson([row(11, 0, 'a'), row(12, 1, 'b'), row(11, 0, 'c')]));
    expect(json.total).toEqual({ connections: 3 });
    expect(json.processes.map((p: { pid: number; connections: { remote: string }[] }) => [p.pid, p.connections.map((c) => c.remote)]))
      .toEqual([[11, ['a', 'c']], [12, ['b']]]);
    expect(json.processes[0].connections[0]).toEqual({ uid: 'user-a', protocol: 'websocket', local: '127.0.0.1:1234', remote: 'a', sendQueue: 0, bytesRead: 1, bytesWritten: 2, status: 'established' });
  });

  it('says "1 process" and "1 connection", and shows the uid of each connection ("-" for none)', () => {
    const one = formatStatus({ masterPid: 10, startFile: '/app/push.ts', startedAt: 0,
      processes: [{ pid: 11, worker: 'push', id: 0, listen: [], connections: 0, memory: 0, messages: 0, sendFails: 0, startedAt: 0 }] }, 1000);
    expect(one).toContain('master pid 10, up 1s, 1 process\n');
    const row = { pid: 11, worker: 'push', id: 4, protocol: 'websocket', local: '127.0.0.1:1234', remote: '127.0.0.1:5000', sendQueue: 0, bytesRead: 1, bytesWritten: 2, status: 'established' };
    expect(formatConnections([{ ...row, uid: 'alice' }])).toMatch(/^pid\s+worker\s+cid\s+uid\s+protocol.*\n11\s+push\s+4\s+alice\s+websocket\s.*\n1 connection$/);
    expect(formatConnections([{ ...row, uid: '' }, { ...row, uid: 'bob' }])).toMatch(/\n11\s+push\s+4\s+-\s+websocket[^\n]*\n[^\n]*\n2 connections$/);
  });
});
