import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Unix socket paths are limited to 107 bytes, and the relay binds a few more (a pid) before renaming.
const MAX_SOCKET_PATH = 96;

/** Where a push server keeps its files: $PUSHPORT_RUN_DIR, or .pushport/ in the working directory. */
export function runDir(): string {
  return resolve(process.env.PUSHPORT_RUN_DIR ?? join(process.cwd(), '.pushport'));
}

/** The pid file of the push server on a port: one server per port, each with its own files. */
export function pidFileFor(port: number): string {
  return join(runDir(), `pushport-${port}.pid`);
}

/** The relay socket of one process of the server on a port (in the temp dir when the path would be too long). */
export function relaySocketFor(port: number, index: number): string {
  const path = join(runDir(), `pushport-${port}.relay-${index}.sock`);
  if (path.length <= MAX_SOCKET_PATH) return path;
  const hash = createHash('sha256').update(path).digest('hex').slice(0, 16);
  return join(tmpdir(), `pushport-${hash}.relay-${index}.sock`);
}
