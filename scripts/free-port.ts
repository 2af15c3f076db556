import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

// Ports below the kernel's ephemeral range: an outgoing connection never takes one of them as its own port, so
// the port a test picked stays free until its server binds it, however many clients other tests open meanwhile
// (a port from the ephemeral range can be taken by a client in that gap, and the server then fails with EADDRINUSE).
const LOWEST = 10_000;

// The first port of the ephemeral range (Linux's default when it cannot be read).
function ephemeralStart(): number {
  try {
    const first = Number.parseInt(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8'), 10);
    return Number.isInteger(first) ? first : 32_768;
  } catch {
    return 32_768;
  }
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
 * A TCP port on 127.0.0.1 that was free a moment ago, for tests and the bench: a random one below the ephemeral
 * range that binds now, or (if none does in 50 tries) one the kernel picks.
 */
export async function freePort(): Promise<number> {
  const top = ephemeralStart();
  for (let i = 0; i < 50 && top > LOWEST; i++) {
    const port = LOWEST + Math.floor(Math.random() * (top - LOWEST));
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
