import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../../scripts/free-port.ts';

export { freePort };

/** Repo root, so scripts run as `node examples/x.ts`. */
export const ROOT = resolve(import.meta.dirname, '../../..');

const groups = new Set<number>();
const dirs = new Set<string>();


/** A fresh run dir for pid/log/socket files, removed by cleanup(). */
export function runDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pushport-test-'));
  dirs.add(dir);
  return dir;
}

/** Starts `node <script> <args>` in its own process group (so cleanup can kill it and all it forked). */
export function launch(script: string, args: string[], env: Record<string, string>): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, [script, ...args], { cwd: ROOT, env: { ...process.env, ...env }, detached: true });
  if (child.pid) groups.add(child.pid);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return Object.assign(child, { output: () => output });
}

/** Runs a CLI command to completion (bounded) and returns its exit code and output. */
export async function cli(script: string, args: string[], env: Record<string, string>, timeoutMs = 25_000): Promise<{ code: number | null; output: string }> {
  const child = launch(script, args, env);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((done) => child.once('exit', (exitCode) => done(exitCode)));
  clearTimeout(timer);
  return { code, output: child.output() };
}

/** Registers a process group to kill in cleanup (e.g. a daemon master, which leads its own group). */
export function trackGroup(pid: number): void {
  groups.add(pid);
}

/** Kills every process group started by this test file, and removes run dirs. */
export function cleanup(): void {
  for (const pid of groups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  groups.clear();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}

/** Number of LISTEN sockets on 127.0.0.1:port, read from /proc/net/tcp. */
export function listenSockets(port: number): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[1] === `0100007F:${hexPort}` && fields[3] === '0A').length;
}

/**
 * Whether the process listening on loopback `port` still holds its end of the connection from client port
 * `peerPort` (established, or told of the client's close but not closed yet): false once it closed it.
 */
export function holdsConnection(port: number, peerPort: number): boolean {
  const hex = (p: number) => `0100007F:${p.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1).map((line) => line.trim().split(/\s+/))
    .some((fields) => fields[1] === hex(port) && fields[2] === hex(peerPort) && (fields[3] === '01' || fields[3] === '08'));
}

export { alive } from '../../../scripts/pid-alive.ts';

/** The master pid from a run dir's pid file. */
export function masterPid(dir: string, script: string): number {
  return Number.parseInt(readFileSync(join(dir, `${script.split('/').pop()}.pid`), 'utf8'), 10);
}
