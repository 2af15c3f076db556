import { readFileSync } from 'node:fs';

// /proc/<pid>/stat counts CPU time in clock ticks: 100 per second on every Linux kernel config we run on.
const TICKS_PER_SECOND = 100;

function readProc(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    // The process is gone: it no longer counts.
    return '';
  }
}

/** `pid` and all its descendants, from /proc/<pid>/task/<pid>/children (bounded, in case of a loop). */
export function processTree(pid: number): number[] {
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0 && found.length < 1024) {
    const next = queue.shift()!;
    if (!readProc(`/proc/${next}/stat`)) continue;
    found.push(next);
    for (const child of readProc(`/proc/${next}/task/${next}/children`).trim().split(/\s+/)) {
      if (child) queue.push(Number(child));
    }
  }
  return found;
}

/** Resident memory of one process in bytes (0 once it is gone). */
export function rssOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+)\s+kB/.exec(readProc(`/proc/${pid}/status`))?.[1];
  return kb ? Number(kb) * 1024 : 0;
}

/** What some processes have used so far: CPU seconds (all threads), the kernel's share of them, write syscalls and context switches. */
export interface ProcessUsage {
  cpuSeconds: number;
  kernelSeconds: number;
  writeSyscalls: number;
  readSyscalls: number;
  /** Voluntary and forced context switches of the main threads: with every process on one core, each is a hand-over. */
  switches: number;
}

/** ProcessUsage summed over `pids`, each process's /proc files read once (a process that is gone counts 0). */
export function usageOf(pids: number[]): ProcessUsage {
  const usage: ProcessUsage = { cpuSeconds: 0, kernelSeconds: 0, writeSyscalls: 0, readSyscalls: 0, switches: 0 };
  for (const pid of pids) {
    // The fields after the command name, which may itself hold spaces and parentheses.
    const stat = readProc(`/proc/${pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const [user, kernel] = [Number(fields[11] ?? 0) / TICKS_PER_SECOND, Number(fields[12] ?? 0) / TICKS_PER_SECOND];
    usage.cpuSeconds += user + kernel;
    usage.kernelSeconds += kernel;
    const io = readProc(`/proc/${pid}/io`);
    usage.writeSyscalls += Number(/^syscw:\s+(\d+)/m.exec(io)?.[1] ?? 0);
    usage.readSyscalls += Number(/^syscr:\s+(\d+)/m.exec(io)?.[1] ?? 0);
    const status = readProc(`/proc/${pid}/status`);
    usage.switches += Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0) + Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
  }
  return usage;
}

/** Sum of rssOf over processes. */
export function rssSum(pids: number[]): number {
  return pids.reduce((sum, pid) => sum + rssOf(pid), 0);
}

/** The most open files this process may hold (RLIMIT_NOFILE soft limit), or Infinity when unlimited/unknown. */
export function openFileLimit(): number {
  const soft = /^Max open files\s+(\S+)/m.exec(readProc('/proc/self/limits'))?.[1];
  return soft === undefined || soft === 'unlimited' ? Infinity : Number(soft);
}

export { alive } from '../scripts/pid-alive.ts';
