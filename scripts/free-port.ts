import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

// Ports below the kernel's ephemeral range: an outgoing connection never takes one of them as its own port, so
// the port a test picked stays free until its server binds it, however many clients other tests open meanwhile.
const LOWEST = 10_000;
// Parallel test workers (vitest's VITEST_POOL_ID, from 1) each pick from their own block, so two test files
// running at once never pick the same port: our servers listen with SO_REUSEPORT, and a second server on a port
// would share it silently rather than fail, so requests would reach the wrong one.
const BLOCKS = 8;

// The first port of the ephemeral range (Linux's default when it cannot be read).
function ephemeralStart(): number {
  try {
    const first = Number.parseInt(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8'), 10);
    return Number.isInteger(first) ? first : 32_768;
  } catch {
    return 32_768;
  }
}

/** The ports this process picks from: its test worker's block, or everything below the ephemeral range. */
export function portRange(): { first: number; end: number } {
  const top = ephemeralStart();
  const worker = Number(process.env.VITEST_POOL_ID ?? 0);
  if (!(worker > 0) || top <= LOWEST) return { first: LOWEST, end: Math.max(top, LOWEST) };
  const size = Math.floor((top - LOWEST) / BLOCKS);
  const first = LOWEST + ((worker - 1) % BLOCKS) * size;
  return { first, end: first + size };
}

// Never the same port twice in one process: a test that picks two ports before it binds either gets two.
const handedOut = new Set<number>();

// Whether `port` (0 = any) binds on 127.0.0.1 right now; the port bound, or undefined.
function tryBind(port: number): Promise<number | undefined> {
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
 * A TCP port on 127.0.0.1 that was free a moment ago, for tests and the bench: a random one of `portRange()` that
 * binds now, or (if none does in 50 tries) one the kernel picks.
 */
export async function freePort(): Promise<number> {
  const { first, end } = portRange();
  for (let i = 0; i < 50 && end > first; i++) {
    const port = first + Math.floor(Math.random() * (end - first));
    if (handedOut.has(port)) continue;
    if ((await tryBind(port)) === port) {
      handedOut.add(port);
      return port;
    }
  }
  const port = await tryBind(0);
  if (port === undefined) throw new Error('no free TCP port on 127.0.0.1');
  handedOut.add(port);
  return port;
}
