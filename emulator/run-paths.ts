import { createHash } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
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

// Unix socket paths are limited to 107 bytes, and the relay binds a few more (a pid) before renaming.
const MAX_SOCKET_PATH = 96;

/** The folder of run files: $PUSHPORT_RUN_DIR, else `.pushport/` in `near` (the script's folder, or the working one). */
export function runDir(near = process.cwd()): string {
  return resolve(process.env.PUSHPORT_RUN_DIR || join(near, '.pushport'));
}

/** A unix socket path that fits: `path` itself, or a name in the temp dir derived from it when it is too long. */
export function socketPath(path: string): string {
  if (path.length <= MAX_SOCKET_PATH) return path;
  const hash = createHash('sha256').update(path).digest('hex').slice(0, 16);
  const suffix = /\.relay-\d+\.sock$/.exec(path)?.[0] ?? '.sock';
  return join(tmpdir(), `pushport-${hash}${suffix}`);
}

/** Paths for the running script: beside it in `.pushport/`, or in `$PUSHPORT_RUN_DIR`; `Worker.pidFile` etc. win. */
export function runPaths(): RunPaths {
  const startFile = resolve(process.argv[1] ?? 'pushport');
  const pidFile = settings.pidFile || join(runDir(dirname(startFile)), `${basename(startFile)}.pid`);
  const base = pidFile.replace(/\.pid$/, '');
  return {
    startFile,
    name: settings.programName || `pushport ${startFile}`,
    pidFile,
    logFile: settings.logFile || `${base}.log`,
    stdoutFile: settings.stdoutFile || `${base}.stdout.log`,
    controlSocket: socketPath(`${base}.sock`),
  };
}

/** The pid file of the push server on a port: one server per port, each with its own files. */
export function pidFileFor(port: number): string {
  return join(runDir(), `pushport-${port}.pid`);
}

/** The push store (SQLite) of the push server on a port: queued and retained pushes, shared by its processes. */
export function storeFileFor(port: number): string {
  return join(runDir(), `pushport-${port}.db`);
}

/** The relay socket of one process of the push server on a port. */
export function relaySocketFor(port: number, index: number): string {
  return socketPath(join(runDir(), `pushport-${port}.relay-${index}.sock`));
}

/**
 * Makes sure `dir` is a folder we can create files in, or throws one line saying why not. It checks before it
 * creates, and creates one level at a time: recursive mkdir spins forever on pseudo file systems such as /proc.
 */
export function ensureDir(dir: string): void {
  const missing: string[] = [];
  let at = resolve(dir);
  for (;;) {
    const kind = statSync(at, { throwIfNoEntry: false });
    if (kind?.isDirectory()) break;
    if (kind) throw new Error(`cannot use run dir ${dir}: ${at} is a file, not a folder (set PUSHPORT_RUN_DIR to a folder)`);
    const parent = dirname(at);
    if (parent === at) break;
    missing.unshift(at);
    at = parent;
  }
  for (const each of missing) {
    try {
      mkdirSync(each);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      if (code === 'EEXIST' && statSync(each, { throwIfNoEntry: false })?.isDirectory()) continue;
      throw new Error(`cannot create run dir ${dir}: mkdir ${each} failed (${code}); set PUSHPORT_RUN_DIR to a writable folder`);
    }
  }
}
