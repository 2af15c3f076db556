import { createServer } from 'node:net';
import type { ServedWorker } from './process/served-worker.ts';
import { parseSocketName } from './socket-name.ts';

/**
 * Fails with one clear line when host:port is held by another program. A listener with SO_REUSEPORT would
 * otherwise join that program's group of listeners (the kernel lets any socket of the same user in) and take
 * half its connections, so every start checks with a plain bind first, which any listener there refuses.
 */
export function checkPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? 'is already in use' : `cannot be bound (${error.code ?? error.message})`;
      reject(new Error(`port ${port} on ${host} ${why}: is another server (or another pushport) running there?`));
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve()));
  });
}

/** Checks the port of every Worker that binds with SO_REUSEPORT (the others fail on their own when it is taken). */
export async function checkReusedPortsFree(workers: ServedWorker[]): Promise<void> {
  for (const worker of workers) {
    const name = worker.reusePort ? worker.getSocketName() : '';
    if (!name) continue;
    const { host, port } = parseSocketName(name);
    await checkPortFree(host, port);
  }
}
