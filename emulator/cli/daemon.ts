import { spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DAEMON_ENV } from '../process/ipc.ts';
import { ensureDir, type RunPaths } from '../run-paths.ts';
import { askMaster } from './control-client.ts';

const READY_TIMEOUT_MS = 30_000;

/** `start -d`: starts the master detached (own session, output to the stdout file) and waits until it serves. */
export async function startDaemon(paths: RunPaths): Promise<number> {
  ensureDir(dirname(paths.stdoutFile));
  const output = openSync(paths.stdoutFile, 'a');
  const daemon = spawn(process.execPath, [...process.execArgv, paths.startFile, ...process.argv.slice(2)], {
    detached: true,
    stdio: ['ignore', output, output],
    env: { ...process.env, [DAEMON_ENV]: '1' },
  });
  let exited = false;
  daemon.once('exit', () => (exited = true));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!exited && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const reply = await askMaster<{ state?: string }>(paths.controlSocket, { cmd: 'ping' }, 1000).catch(() => null);
    if (reply?.ok && reply.state !== 'starting') {
      daemon.unref();
      console.log(`${paths.name} started in daemon mode, master pid ${daemon.pid}`);
      console.log(`log: ${paths.logFile}  output: ${paths.stdoutFile}`);
      return 0;
    }
  }
  console.error(`${paths.name} failed to start${exited ? '' : ' in time'}; last lines of ${paths.logFile}:`);
  console.error(tail(paths.logFile, 15));
  if (!exited) daemon.kill('SIGTERM');
  return 1;
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
