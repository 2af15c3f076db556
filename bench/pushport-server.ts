import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort } from '../scripts/free-port.ts';
import type { BenchServer } from './bench-server.ts';
import { heapProbeEnv } from './heap-figures.ts';
import { httpBroadcaster } from './http-broadcaster.ts';
import { alive, processTree } from './proc-stats.ts';

/** Repo root: the CLI is started from there, as `npm start` does. */
export const ROOT = resolve(import.meta.dirname, '..');
// What `npm start` and the installed `pushport` command run: the compiled program (built by npm install).
const BIN = 'dist/bin/pushport.js';
/** The publisher token the bench servers run with (a throwaway, on loopback only). */
const TOKEN = 'bench';

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

/**
 * Starts pushport through its real CLI, `pushport start -d` with `count` processes (under `taskset -c 0` when
 * `pinCore0`), in `runDir`; resolves once every process serves, since the daemon start waits for that.
 */
export async function startPushport(count: number, runDir: string, pinCore0: boolean): Promise<BenchServer> {
  const [port, textPort] = [await freePort(), await freePort()];
  // The big-N scenario holds 10,000 clients: room above MAX_CONNECTIONS' default for it.
  const env = { ...process.env, ...heapProbeEnv(), PUSHPORT_RUN_DIR: runDir, PUSH_TOKEN: TOKEN, MAX_CONNECTIONS: '100000' };
  const cli = [BIN, 'start', '-d', '--port', String(port), '--text-port', String(textPort), '--count', String(count)];
  const [command, args] = pinCore0 ? ['taskset', ['-c', '0', process.execPath, ...cli]] : [process.execPath, cli];
  const started = await run(command, args as string[], env, 45_000);
  let pidText = '';
  try {
    pidText = readFileSync(join(runDir, `pushport-${port}.pid`), 'utf8').trim();
  } catch {
    // No pid file: the start failed, said below.
  }
  const masterPid = Number.parseInt(pidText, 10);
  if (started.code !== 0 || !Number.isInteger(masterPid)) {
    // A half-started master must not outlive the bench.
    if (Number.isInteger(masterPid)) killGroup(masterPid);
    throw new Error(`pushport start (count ${count}) failed with ${started.code}: ${started.output.trim().split('\n').slice(-5).join(' | ')}`);
  }
  let stopped: Promise<void> | undefined;
  return {
    name: `pushport c${count}`, count, port, textPort, stores: true, token: TOKEN,
    pids: () => (alive(masterPid) ? processTree(masterPid) : []),
    broadcaster: async () => httpBroadcaster(port, TOKEN),
    stop: () => (stopped ??= (async () => {
      const result = await run(process.execPath, [BIN, 'stop', '--port', String(port)], env, 45_000);
      if (result.code !== 0 || alive(masterPid)) killGroup(masterPid);
      // A later server may get the same port, and with it this store: it must start empty (no seqs, no marks).
      for (const suffix of ['', '-wal', '-shm']) rmSync(join(runDir, `pushport-${port}.db${suffix}`), { force: true });
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
