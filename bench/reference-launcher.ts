import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { freePort } from '../scripts/free-port.ts';
import type { BenchServer } from './bench-server.ts';
import { heapProbeEnv } from './heap-figures.ts';
import { alive } from './proc-stats.ts';
import { ROOT } from './pushport-server.ts';
import { textBroadcaster } from './text-broadcaster.ts';

/** The reference server, part of the bench itself so a clone measures against it with nothing beside it. */
export const REFERENCE_PATH = resolve(ROOT, 'bench', 'reference-server.ts');

// True once something accepts TCP connections on the port.
function accepts(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/** Starts `node bench/reference-server.ts` on the project's `ws` and waits for both ports. */
export async function startReference(pinCore0: boolean): Promise<BenchServer> {
  const [port, textPort] = [await freePort(), await freePort()];
  const env = { ...process.env, ...heapProbeEnv(), WS_PORT: String(port), TEXT_PORT: String(textPort), HOST: '127.0.0.1', PUSH_EXT_BROADCAST: '1' };
  const [command, args] = pinCore0 ? ['taskset', ['-c', '0', process.execPath, REFERENCE_PATH]] : [process.execPath, [REFERENCE_PATH]];
  const child = spawn(command, args as string[], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  // taskset execs node in place, so the child's pid is the server's.
  const pid = child.pid ?? -1;
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  }));
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break;
    if ((await accepts(port)) && (await accepts(textPort))) {
      return { name: 'reference', count: 1, port, textPort, stores: false, pids: () => (alive(pid) ? [pid] : []), broadcaster: () => textBroadcaster(textPort), stop };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  // Node prints the error's own line among a code excerpt and its version: show that line.
  const lines = errors.trim().split('\n');
  const reason = lines.find((line) => /Error\b/.test(line)) ?? lines.slice(-3).join(' | ');
  throw new Error(`the reference server did not listen within 10 s: ${reason || 'no output'}`);
}
