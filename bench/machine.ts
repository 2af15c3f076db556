import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';

/** Where the bench runs, printed first so every result can be read against it. */
export interface Machine {
  scenario: 'machine';
  date: string;
  node: string;
  cpus: { model: string; count: number };
  /** 1, 5 and 15-minute load averages at the start: well above the core count means the figures are noisy. */
  loadAverage: number[];
  /** Server on core 0, this process (the load client) on core 1. */
  pinned: boolean;
  /** Why it is not pinned, when it is not. */
  pinning?: string;
}

function hasTaskset(): boolean {
  try {
    execFileSync('which', ['taskset'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Pins this process (every thread: -a) to core 1 when taskset exists and there are two cores or more, so that
 * the server, started under `taskset -c 0`, never competes with the load client for a core, and the client's
 * CPU share says plainly whether it saturated its one core.
 */
export function pinAndDescribe(): Machine {
  const list = cpus();
  const count = list.length;
  const base = { scenario: 'machine' as const, date: new Date().toISOString(), node: process.version, cpus: { model: list[0]?.model.trim() ?? 'unknown', count }, loadAverage: loadavg().map((l) => Math.round(l * 100) / 100) };
  if (count < 2) return { ...base, pinned: false, pinning: 'fewer than 2 cores' };
  if (!hasTaskset()) return { ...base, pinned: false, pinning: 'no taskset' };
  try {
    execFileSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' });
    return { ...base, pinned: true };
  } catch (error) {
    return { ...base, pinned: false, pinning: `taskset failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
}
