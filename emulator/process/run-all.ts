import { describeError } from '../log.ts';
import type { ServedWorker } from './served-worker.ts';
import { unsupportedNode } from '../node-version.ts';
import { listeningWorkers } from '../worker-list.ts';
import { runChild } from './child.ts';
import { CHILD_ENV, roleHooks } from './ipc.ts';

/** Worker.runAll(): a forked child serves its slot; any other process reads the command line. */
export function runAll(workers: ServedWorker[]): void {
  const unsupported = unsupportedNode();
  if (unsupported) {
    console.error(`pushport: ${unsupported}`);
    process.exit(1);
  }
  const marker = process.env[CHILD_ENV];
  if (marker) return runChild(workers, marker);
  // The command line and the master (process control, the daemon, child_process) load only here: a child
  // never carries them, which keeps each serving process several MB smaller.
  import('../cli/commands.ts').then(({ runCli }) => runCli(workers)).catch((error: unknown) => {
    console.error(describeError(error));
    process.exit(1);
  });
}

/** Worker.stopAll(): the role's own stop, or (outside runAll) closing every listener and connection here. */
export function stopAll(): void {
  if (roleHooks.stopAll) return roleHooks.stopAll();
  for (const worker of [...listeningWorkers]) {
    worker.unlisten();
    for (const connection of worker.connections.values()) connection.destroy();
  }
}
