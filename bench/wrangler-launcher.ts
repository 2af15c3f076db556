import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../scripts/free-port.ts';
import { onCleanup } from './cleanup.ts';
import { processTree } from './proc-stats.ts';
import { ROOT } from './pushport-server.ts';

/** A local `wrangler dev` (workerd) serving this repo's Worker. */
export interface LocalEdge {
  port: number;
  /** The inspector (DevTools protocol) port wrangler dev opens for the Worker's isolate. */
  inspector: number;
  /** The workerd process that runs the Worker's isolate (the one the inspector serves), once it answers. */
  isolatePid(): number | undefined;
  /** The publisher token it was started with. */
  token: string;
  /** The last lines wrangler printed, to say why something failed. */
  logTail(): string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;

/**
 * Starts the project's own `wrangler dev` on 127.0.0.1 with its state in a temp dir (removed on stop) and a
 * throwaway PUSH_TOKEN passed with --var, so no secret is ever written into the repo. `config` picks another
 * wrangler config of this repo (the bench's floor Worker, which serves pushport's Worker beside the floor);
 * `vars` are more settings, passed with --var as well.
 */
export async function startLocalEdge(config?: string, vars: Record<string, string> = {}): Promise<LocalEdge> {
  const [port, inspector] = [await freePort(), await freePort()];
  const state = mkdtempSync(join(tmpdir(), 'pushport-bench-edge-'));
  const token = 'bench-edge';
  const args = ['dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspector),
    '--persist-to', state, '--show-interactive-dev-session=false', '--log-level', 'warn', '--var', `PUSH_TOKEN:${token}`,
    ...Object.entries(vars).flatMap(([name, value]) => ['--var', `${name}:${value}`]), ...(config ? ['--config', config] : [])];
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'wrangler'), args, {
    cwd: ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
  });
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= (async () => {
    if (child.exitCode === null && child.pid) {
      const gone = new Promise((r) => child.once('exit', r));
      // wrangler leads its own group (detached): this reaches workerd too, and nothing else.
      const kill = (signal: NodeJS.Signals) => { try { process.kill(-child.pid!, signal); } catch { /* gone */ } };
      kill('SIGTERM');
      const timer = setTimeout(() => kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    }
    rmSync(state, { recursive: true, force: true });
    forget();
  })());
  const forget = onCleanup(stop);
  // Bounded: one check per 100 ms until the ready timeout.
  for (let waited = 0; waited < READY_TIMEOUT_MS; waited += 100) {
    if (child.exitCode !== null) break;
    if (await answers(port)) return { port, inspector, token, stop, isolatePid: () => isolateProcess(child.pid), logTail: () => log.trim().split('\n').slice(-5).join(' | ') };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`wrangler dev did not answer within ${READY_TIMEOUT_MS / 1000} s: ${log.trim().split('\n').slice(-5).join(' | ')}`);
}

// wrangler dev runs two workerd processes, its proxy and the Worker's own: the latter is the one with an inspector.
function isolateProcess(wrangler: number | undefined): number | undefined {
  if (wrangler === undefined) return undefined;
  return processTree(wrangler).find((pid) => {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return args[0]?.endsWith('workerd') === true && args.some((a) => a.startsWith('--inspector-addr'));
    } catch {
      return false;
    }
  });
}

// True once the Worker answers GET /stats at all (any status: it is up).
async function answers(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/stats`, { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return true;
  } catch {
    return false;
  }
}
