import { rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:net';
import { dirname } from 'node:path';
import { describeError, log } from '../log.ts';
import { ensureDir, type RunPaths } from '../run-paths.ts';
import { settings } from '../settings.ts';
import type { ServedWorker } from './served-worker.ts';
import { serveControl } from './control-server.ts';
import { roleHooks } from './ipc.ts';
import { Master } from './master.ts';

/** Runs this process as the master: pid file, control socket, children, signals; exits when stopped. */
export async function runMaster(workers: ServedWorker[], paths: RunPaths, daemon: boolean): Promise<void> {
  settings.managed = true;
  settings.daemonize = daemon;
  process.title = `pushport: master ${paths.startFile}`;
  ensureDir(dirname(paths.pidFile));
  writeFileSync(paths.pidFile, `${process.pid}\n`);
  const master = new Master(workers, paths.startFile);
  let stopping: Promise<void> | null = null;
  let control: Server | null = null;
  const stop = (graceful: boolean, restart = false, code = 0): Promise<void> =>
    (stopping ??= (async () => {
      log(`stopping${graceful ? ' gracefully' : ''} …`);
      await master.stop(graceful, restart);
      control?.close();
      rmSync(paths.controlSocket, { force: true });
      rmSync(paths.pidFile, { force: true });
      log('stopped');
      process.exit(code);
    })());
  roleHooks.stopAll = () => void stop(false);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(false));
  process.on('SIGQUIT', () => void stop(true));
  process.on('SIGUSR1', () => void master.reload(false).catch((error: unknown) => log(`reload failed: ${describeError(error)}`)));
  process.on('SIGUSR2', () => void master.reload(true).catch((error: unknown) => log(`reload failed: ${describeError(error)}`)));
  control = await serveControl(paths.controlSocket, master, (graceful, restart) => void stop(graceful, restart)).catch((error: unknown) => {
    log(`control socket ${paths.controlSocket} failed: ${describeError(error)}; status/stop will use signals`);
    return null;
  });
  try {
    await master.start();
  } catch (error) {
    log(`start failed: ${error instanceof Error ? error.message : String(error)}`);
    await stop(false, false, 1);
    return;
  }
  log(`${paths.name} started: master pid ${process.pid}, node ${process.version}`);
  for (const worker of workers) {
    const mode = worker.reusePort ? 'reusePort' : 'shared socket';
    log(`  worker ${worker.name}  ${worker.getSocketName() || '(no listener)'}  processes ${worker.count}  ${mode}`);
  }
  if (!daemon) log('Press Ctrl+C to stop.');
}
