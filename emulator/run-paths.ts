import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { settings } from './settings.ts';

/** Where one program's pid file, log, daemon output and control socket live. */
export interface RunPaths {
  startFile: string;
  /** How messages name the program, e.g. `pushport /srv/app.ts` or `pushport on port 1234`. */
  name: string;
  pidFile: string;
  logFile: string;
  stdoutFile: string;
  controlSocket: string;
}

// Unix socket paths are limited to 108 bytes; a deep project path falls back to the temp dir.
const MAX_SOCKET_PATH = 100;

/** Paths for the running script: beside it in `.pushport/`, or in `$PUSHPORT_RUN_DIR`; `Worker.pidFile` etc. win. */
export function runPaths(): RunPaths {
  const startFile = resolve(process.argv[1] ?? 'pushport');
  const dir = process.env.PUSHPORT_RUN_DIR ?? join(dirname(startFile), '.pushport');
  const name = basename(startFile);
  const pidFile = settings.pidFile || join(dir, `${name}.pid`);
  const base = pidFile.replace(/\.pid$/, '');
  let controlSocket = `${base}.sock`;
  if (controlSocket.length > MAX_SOCKET_PATH) {
    const hash = createHash('sha256').update(pidFile).digest('hex').slice(0, 16);
    controlSocket = join(tmpdir(), `pushport-${hash}.sock`);
  }
  return {
    startFile,
    name: settings.programName || `pushport ${startFile}`,
    pidFile,
    logFile: settings.logFile || `${base}.log`,
    stdoutFile: settings.stdoutFile || `${base}.stdout.log`,
    controlSocket,
  };
}
