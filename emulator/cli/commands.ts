import { parseArgs } from 'node:util';
import { dirname } from 'node:path';
import { checkReusedPortsFree } from '../port-check.ts';
import { DAEMON_ENV } from '../process/ipc.ts';
import { runMaster } from '../process/run-master.ts';
import { ensureDir, runPaths, type RunPaths } from '../run-paths.ts';
import { settings } from '../settings.ts';
import type { ServedWorker } from '../process/served-worker.ts';
import { askMaster } from './control-client.ts';
import { startDaemon } from './daemon.ts';
import { runningMasterPid, waitForExit } from './pid-file.ts';
import { connectionsJson, formatConnections, formatStatus, statusJson } from './status-table.ts';
import type { ConnectionInfo, StatusReport } from '../process/ipc.ts';

const USAGE = `Usage: node <script> <command> [option]
  start [-d]     start (-d: as a daemon)
  stop [-g]      stop (-g: let connections finish first)
  restart [-d]   stop if running, then start
  reload [-g]    replace every process one by one, without refusing connections
  status         one row per process: pid, worker, listen, connections, memory, messages, uptime
                 (--json: {"master":{…},"processes":[…],"total":{…}})
  connections    every open connection (--json: {"processes":[{…,"connections":[…]}],"total":{…}})`;

/** Exit codes: 0 done, 1 failed (not running, already running, start or stop failed), 2 usage. */
const OK = 0;
const FAILED = 1;
const USAGE_ERROR = 2;

/** Reads `process.argv` (Workerman's commands) and runs it; the foreground master keeps the process alive. */
export async function runCli(workers: ServedWorker[]): Promise<void> {
  const paths = runPaths();
  if (process.env[DAEMON_ENV] === '1') return runMaster(workers, paths, true);
  // The command comes first; -d / -g may stand anywhere after it, among a program's own flags (hence not strict).
  const [command = '', ...rest] = process.argv.slice(2);
  const { values } = parseArgs({ args: rest, options: { d: { type: 'boolean' }, g: { type: 'boolean' }, json: { type: 'boolean' } }, strict: false, allowPositionals: true });
  const [daemon, graceful, json] = [values.d === true, values.g === true, values.json === true];
  const name = paths.name;
  switch (command) {
    case 'start':
    case 'restart': {
      if (command === 'restart' && runningMasterPid(paths.pidFile)) {
        const code = await stop(paths, graceful, true);
        if (code !== OK) process.exit(code);
      }
      const pid = runningMasterPid(paths.pidFile);
      // A run dir we cannot use fails here, in one line, before any process or file exists.
      try {
        ensureDir(dirname(paths.pidFile));
      } catch (error) {
        return fail(`pushport: ${(error as Error).message}`);
      }
      if (pid) return fail(`${name} is already running (master pid ${pid}); use stop, restart or reload`);
      // Every start binds only ports nobody else holds, restart included (its own ports are free by now).
      try {
        await checkReusedPortsFree(workers);
        await settings.portsFree?.();
        settings.beforeStart?.();
      } catch (error) {
        return fail(`pushport: ${(error as Error).message}`);
      }
      if (daemon || settings.daemonize) process.exit(await startDaemon(paths));
      return runMaster(workers, paths, false);
    }
    case 'stop':
      process.exit(await stop(paths, graceful));
      break;
    case 'reload': {
      const reply = await ask<{ replaced: number }>(paths, { cmd: 'reload', graceful: graceful }, 120_000);
      console.log(`${name} reloaded: ${reply.replaced} process${reply.replaced === 1 ? '' : 'es'} replaced`);
      process.exit(OK);
      break;
    }
    case 'status': {
      const reply = await ask<{ status: StatusReport }>(paths, { cmd: 'status' }, 10_000);
      console.log(json ? statusJson(reply.status) : formatStatus(reply.status, Date.now(), paths.name));
      process.exit(OK);
      break;
    }
    case 'connections': {
      const reply = await ask<{ connections: ConnectionInfo[] }>(paths, { cmd: 'connections' }, 10_000);
      console.log(json ? connectionsJson(reply.connections) : formatConnections(reply.connections));
      process.exit(OK);
      break;
    }
    default:
      console.error(command ? `Unknown command: ${command}\n${USAGE}` : USAGE);
      process.exit(USAGE_ERROR);
  }
}

function fail(message: string): never {
  console.error(message);
  process.exit(FAILED);
}

async function ask<T>(paths: RunPaths, request: Parameters<typeof askMaster>[1], timeoutMs: number): Promise<T> {
  if (!runningMasterPid(paths.pidFile)) fail(`${paths.name} is not running (no live pid in ${paths.pidFile})`);
  const reply = await askMaster<T>(paths.controlSocket, request, timeoutMs).catch((error: unknown) =>
    fail(`cannot reach the master at ${paths.controlSocket}: ${error instanceof Error ? error.message : String(error)}`),
  );
  if (!reply.ok) fail(`${request.cmd} failed: ${reply.error ?? 'unknown error'}`);
  return reply;
}

// Returns only when the master (and so every child, which it waits for) is gone.
async function stop(paths: RunPaths, graceful: boolean, restart = false): Promise<number> {
  const pid = runningMasterPid(paths.pidFile);
  if (!pid) {
    console.error(`${paths.name} is not running (no live pid in ${paths.pidFile})`);
    return FAILED;
  }
  console.log(`${paths.name} is stopping${graceful ? ' gracefully' : ''} …`);
  // The control socket is the normal way; a signal still works if the socket is gone.
  await askMaster(paths.controlSocket, { cmd: 'stop', graceful, restart }, 5000).catch(() => process.kill(pid, graceful ? 'SIGQUIT' : 'SIGTERM'));
  const boundMs = ((graceful ? settings.gracefulStopTimeout : settings.stopTimeout) + 10) * 1000;
  if (!(await waitForExit(pid, boundMs))) {
    console.error(`${paths.name} did not stop within ${boundMs / 1000} s (master pid ${pid})`);
    return FAILED;
  }
  console.log(`${paths.name} stopped`);
  return OK;
}
