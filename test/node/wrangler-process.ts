import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../emulator/helpers/processes.ts';

/** A running `wrangler dev` on 127.0.0.1, with its own state folder. */
export interface WranglerDev {
  url: string;
  output: () => string;
  /**
   * Stops `wrangler dev` and starts it again on the same port with the same persisted state: what a redeploy or an
   * eviction looks like to clients (every socket drops; the Durable Objects start again from their SQLite).
   * With `vars`, it starts again with those instead: a redeploy that changes a setting, such as SHARDS.
   */
  restart(vars?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

type Running = { child: ChildProcess; log: () => string };

// Its own process group, so a stop ends workerd too.
function spawnDev(args: string[]): Running {
  const child = spawn('wrangler', args, {
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let log = '';
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  return { child, log: () => log };
}

// Whether any process of the group still runs (workerd may outlive wrangler by a moment).
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

// The whole group, workerd included, is gone before this resolves: a restart must not open the persisted SQLite
// while the old workerd still holds it.
async function kill(child: ChildProcess): Promise<void> {
  if (!child.pid) return;
  const pid = child.pid;
  const gone = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r));
  try { process.kill(-pid, 'SIGTERM'); } catch { /* already gone */ }
  const timer = setTimeout(() => { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
  await gone;
  for (let i = 0; i < 100 && groupAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  clearTimeout(timer);
}

// Whether a start failed because a port it binds was taken meanwhile by another program.
const portTaken = (log: string) => /EADDRINUSE|address already in use/i.test(log);

// At most 60 s (less when a port it needs is taken): starting workerd takes long on a busy machine.
async function ready(dev: Running): Promise<boolean> {
  for (let i = 0; i < 600; i++) {
    if (dev.child.exitCode !== null || portTaken(dev.log())) return false;
    if (dev.log().includes(`Ready on`)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/**
 * Starts the real `wrangler dev` from this repo and resolves once it says it is ready (at most 60 s); on other
 * ports when one it was given was taken before it bound it.
 */
export async function startWranglerDev(vars: Record<string, string>): Promise<WranglerDev> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn(await freePort(), await freePort(), vars);
    } catch (error) {
      if (attempt === 3 || !(error instanceof PortTaken)) throw error;
    }
  }
}

// A start that failed because a port was taken: worth another try on other ports.
class PortTaken extends Error {}

async function startOn(port: number, inspector: number, vars: Record<string, string>): Promise<WranglerDev> {
  const state = mkdtempSync(join(tmpdir(), 'pushport-wrangler-'));
  const argsWith = (settings: Record<string, string>) => ['dev', '--ip', '127.0.0.1', '--port', String(port),
    '--inspector-port', String(inspector), '--persist-to', state, '--show-interactive-dev-session=false', '--log-level', 'info',
    ...Object.entries(settings).flatMap(([k, v]) => ['--var', `${k}:${v}`])];
  let args = argsWith(vars);
  let dev = spawnDev(args);
  let earlier = '';
  const output = () => earlier + dev.log();
  const stop = async () => {
    await kill(dev.child);
    rmSync(state, { recursive: true, force: true });
  };
  const restart = async (changed?: Record<string, string>) => {
    await kill(dev.child);
    if (changed) args = argsWith(changed);
    // The same port, since the clients come back to it: if a program took it in the moment it was free, the
    // next tries find it again only once that one lets go.
    for (let attempt = 1; attempt <= 3; attempt++) {
      earlier = output();
      dev = spawnDev(args);
      if (await ready(dev)) return;
      if (!portTaken(dev.log())) break;
      await kill(dev.child);
      await new Promise((r) => setTimeout(r, 1000));
    }
    await stop();
    throw new Error(`wrangler dev did not become ready again on port ${port}:\n${output()}`);
  };
  if (await ready(dev)) return { url: `http://127.0.0.1:${port}`, output, restart, stop };
  await stop();
  const log = output();
  throw new (portTaken(log) ? PortTaken : Error)(`wrangler dev did not become ready:\n${log}`);
}
