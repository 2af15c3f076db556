import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort } from '../scripts/free-port.ts';

/** Repo root: the CLI is started from there, as `npm start` does. */
const ROOT = resolve(import.meta.dirname, '..');
const BIN = 'bin/pushport.ts';
/** The publisher token the bench servers run with. */
export const TOKEN = 'bench';
// /proc/<pid>/stat counts CPU time in clock ticks; 100 per second on every Linux we run on.
const TICKS_PER_SECOND = 100;

/** A push server the bench started with the real CLI, as a daemon on free loopback ports. */
export interface BenchServer {
  count: number;
  port: number;
  textPort: number;
  masterPid: number;
  /** Master and every process under it, found fresh each call (a respawned child has a new pid). */
  pids(): number[];
  /** Resident memory of all those processes, in bytes. */
  rssBytes(): number;
  /** CPU seconds (user + system) used so far by all those processes. */
  cpuSeconds(): number;
  /** Stops it with the CLI, killing the process group if that fails; safe to call twice. */
  stop(): Promise<void>;
}


/** Runs a command to completion, killed past `timeoutMs`; resolves with its exit code and output. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      done({ code: null, output: `${output}${error.message}` });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

function readProc(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    // The process is gone: it no longer counts.
    return '';
  }
}

/** `pid` and all its descendants, read from /proc/<pid>/task/<pid>/children (bounded, in case of a loop). */
export function processTree(pid: number): number[] {
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0 && found.length < 1024) {
    const next = queue.shift()!;
    found.push(next);
    for (const child of readProc(`/proc/${next}/task/${next}/children`).trim().split(/\s+/)) {
      if (child) queue.push(Number(child));
    }
  }
  return found;
}

function rssOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+)\s+kB/.exec(readProc(`/proc/${pid}/status`))?.[1];
  return kb ? Number(kb) * 1024 : 0;
}

function cpuOf(pid: number): number {
  // Fields after the command name, which may itself hold spaces and parentheses.
  const stat = readProc(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / TICKS_PER_SECOND;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts `pushport start -d` with `count` processes (under `taskset -c 0` when `pinCore0`), in `runDir`;
 * resolves once every process serves, since the daemon start waits for that.
 */
export async function startServer(count: number, runDir: string, pinCore0: boolean): Promise<BenchServer> {
  const [port, textPort] = [await freePort(), await freePort()];
  const env = { ...process.env, PUSHPORT_RUN_DIR: runDir, PUSH_TOKEN: TOKEN };
  const cli = [BIN, 'start', '-d', '--port', String(port), '--text-port', String(textPort), '--count', String(count)];
  const [command, args] = pinCore0 ? ['taskset', ['-c', '0', process.execPath, ...cli]] : [process.execPath, cli];
  const started = await run(command, args as string[], env, 45_000);
  const pidText = readProc(join(runDir, `pushport-${port}.pid`)).trim();
  const masterPid = Number.parseInt(pidText, 10);
  if (started.code !== 0 || !Number.isInteger(masterPid)) {
    // A half-started master must not outlive the bench.
    if (Number.isInteger(masterPid)) killGroup(masterPid);
    throw new Error(`pushport start (count ${count}) failed with ${started.code}: ${started.output.trim().split('\n').slice(-5).join(' | ')}`);
  }
  let stopped: Promise<void> | undefined;
  const pids = () => (alive(masterPid) ? processTree(masterPid) : []);
  return {
    count, port, textPort, masterPid, pids,
    rssBytes: () => pids().reduce((sum, pid) => sum + rssOf(pid), 0),
    cpuSeconds: () => pids().reduce((sum, pid) => sum + cpuOf(pid), 0),
    stop: () => (stopped ??= (async () => {
      const result = await run(process.execPath, [BIN, 'stop', '--port', String(port)], env, 45_000);
      if (result.code !== 0 || alive(masterPid)) killGroup(masterPid);
    })()),
  };
}

/** Last resort: the daemon leads its own process group, so this reaches the master and its children only. */
function killGroup(masterPid: number): void {
  const tree = processTree(masterPid);
  try {
    process.kill(-masterPid, 'SIGKILL');
  } catch {
    // Not a group leader after all (or gone): kill what we found one by one.
    for (const pid of tree) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
}
