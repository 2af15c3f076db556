import type { ConnectionInfo, StatusReport } from '../process/ipc.ts';

/** Lays rows out in aligned columns under a header. */
export function table(header: string[], rows: Array<Array<string | number>>): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  return cells.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd()).join('\n');
}

/** "1d 2h 3m 4s"-style age. */
export function formatUptime(ms: number): string {
  let seconds = Math.max(0, Math.floor(ms / 1000));
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60]] as const) {
    if (seconds >= size) parts.push(`${Math.floor(seconds / size)}${unit}`);
    seconds %= size;
  }
  parts.push(`${seconds}s`);
  return parts.join(' ');
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)}M`;
}

/** The `status` output: a master line, then one row per process. */
export function formatStatus(report: StatusReport, now = Date.now(), name = `pushport ${report.startFile}`): string {
  const count = report.processes.length;
  const head = `${name}\nmaster pid ${report.masterPid}, up ${formatUptime(now - report.startedAt)}, ${count} process${count === 1 ? '' : 'es'}`;
  const rows = report.processes.map((row) =>
    'unresponsive' in row
      ? [row.pid, row.worker, row.id, '-', '-', '-', '-', 'not answering']
      : [row.pid, row.worker, row.id, row.listen.join(' ') || '-', row.connections, megabytes(row.memory), row.messages, formatUptime(now - row.startedAt)],
  );
  return `${head}\n${table(['pid', 'worker', 'id', 'listen', 'connections', 'memory', 'messages', 'uptime'], rows)}`;
}

/** The `connections` output: one row per open connection in every process. */
export function formatConnections(rows: ConnectionInfo[]): string {
  const body = rows.map((c) => [c.pid, c.worker, c.id, c.uid || '-', c.protocol, c.local, c.remote, c.sendQueue, c.bytesRead, c.bytesWritten, c.status]);
  const header = ['pid', 'worker', 'cid', 'uid', 'protocol', 'local', 'remote', 'send-q', 'bytes-r', 'bytes-w', 'status'];
  return `${table(header, body)}\n${rows.length} connection${rows.length === 1 ? '' : 's'}`;
}

/** `status --json`: the master, one object per process as `status` reports it, and the sums over the live ones. */
export function statusJson(report: StatusReport): string {
  const total = { processes: report.processes.length, unresponsive: 0, connections: 0, memory: 0, messages: 0, sendFails: 0 };
  for (const row of report.processes) {
    if ('unresponsive' in row) {
      total.unresponsive++;
      continue;
    }
    total.connections += row.connections;
    total.memory += row.memory;
    total.messages += row.messages;
    total.sendFails += row.sendFails;
  }
  const master = { pid: report.masterPid, startFile: report.startFile, startedAt: report.startedAt };
  return JSON.stringify({ master, processes: report.processes, total });
}

/** `connections --json`: one object per process with its open connections, and the total count. */
export function connectionsJson(rows: ConnectionInfo[]): string {
  const processes = new Map<number, { pid: number; worker: string; id: number; connections: Omit<ConnectionInfo, 'pid' | 'worker' | 'id'>[] }>();
  for (const { pid, worker, id, ...connection } of rows) {
    const entry = processes.get(pid) ?? { pid, worker, id, connections: [] };
    entry.connections.push(connection);
    processes.set(pid, entry);
  }
  return JSON.stringify({ processes: [...processes.values()], total: { connections: rows.length } });
}
