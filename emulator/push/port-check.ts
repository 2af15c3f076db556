import { createServer } from 'node:net';
import { runningMasterPid } from '../cli/pid-file.ts';
import type { PushServerConfig } from './config.ts';
import { pidFileFor } from '../run-paths.ts';

function probe(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? 'is already in use' : `cannot be bound (${error.code ?? error.message})`;
      reject(new Error(`port ${port} on ${host} ${why}: is another server (or another pushport) running there?`));
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve()));
  });
}

/**
 * Fails with one clear line when a port is taken. Needed because the server binds with SO_REUSEPORT, which
 * would otherwise let a second pushport silently share the port with the first.
 */
export async function checkPortsFree(config: PushServerConfig): Promise<void> {
  // A server already running under this pid file gets the emulator's own "already running" answer instead.
  if (runningMasterPid(pidFileFor(config.port))) return;
  if (config.port !== 0) await probe(config.host, config.port);
  if (config.textPort !== 0) await probe(config.textHost, config.textPort);
}
