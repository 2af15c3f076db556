import { createServer } from 'node:net';

// Each parallel test worker picks from its own block of ports below the kernel's ephemeral range (32768 and up on
// Linux), so two test files running at once never pick the same port: our servers listen with SO_REUSEPORT, so
// a second server on a port would share it silently rather than fail, and requests would reach the wrong one.
const BLOCK = 2000;
const FIRST_BLOCK = 14_000;
const worker = Number(process.env.VITEST_POOL_ID ?? 0);
let next = worker > 0 ? FIRST_BLOCK + (worker - 1) * BLOCK + Math.floor(Math.random() * BLOCK) : 0;

// Binds `port` (0: any) on 127.0.0.1 without SO_REUSEPORT, so a port some listener holds fails; answers the port bound.
function tryPort(port: number): Promise<number | undefined> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(undefined));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : undefined));
    });
  });
}

/**
 * A TCP port on 127.0.0.1 that was free a moment ago, for tests and the bench. Outside a parallel test worker it
 * is whatever the kernel gives for port 0.
 */
export async function freePort(): Promise<number> {
  if (next === 0) {
    const port = await tryPort(0);
    if (port === undefined) throw new Error('no free port on 127.0.0.1');
    return port;
  }
  const block = FIRST_BLOCK + (worker - 1) * BLOCK;
  for (let tries = 0; tries < BLOCK; tries++) {
    const port = next;
    next = block + ((next - block + 1) % BLOCK);
    if ((await tryPort(port)) !== undefined) return port;
  }
  throw new Error(`no free port in ${block}-${block + BLOCK - 1} on 127.0.0.1`);
}
