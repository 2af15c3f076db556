import { unlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { describeError } from '../log.ts';
import type { Master } from './master.ts';

/** A command sent by the CLI to the running master, one JSON line. */
export interface ControlRequest {
  cmd: 'ping' | 'status' | 'connections' | 'stop' | 'reload';
  graceful?: boolean;
  /** With `stop`: a restart follows, so clients are told the server is restarting. */
  restart?: boolean;
}

/** Listens on a unix socket beside the pid file so `status`, `stop`, `reload` … can talk to the master. */
export function serveControl(path: string, master: Master, stop: (graceful: boolean, restart: boolean) => void): Promise<Server> {
  // A socket file left by a killed master would make listen fail; the pid check already proved nobody runs.
  try {
    unlinkSync(path);
  } catch {
    // Not there: fine.
  }
  const server = createServer((socket) => {
    let input = '';
    socket.setEncoding('utf8');
    socket.on('error', () => {});
    socket.on('data', (chunk: string) => {
      input += chunk;
      const end = input.indexOf('\n');
      if (end === -1) {
        if (input.length > 4096) socket.destroy();
        return;
      }
      void answer(input.slice(0, end), master, stop).then((reply) => socket.end(`${JSON.stringify(reply)}\n`));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve(server));
  });
}

async function answer(line: string, master: Master, stop: (graceful: boolean, restart: boolean) => void): Promise<unknown> {
  try {
    const request = JSON.parse(line) as ControlRequest;
    switch (request.cmd) {
      case 'ping':
        return { ok: true, pid: process.pid, state: master.state, children: master.childPids() };
      case 'status':
        return { ok: true, status: await master.status() };
      case 'connections':
        return { ok: true, connections: await master.connections() };
      case 'reload':
        return { ok: true, replaced: await master.reload(request.graceful === true) };
      case 'stop':
        // Answer first: the CLI then waits for this pid to disappear.
        setImmediate(() => stop(request.graceful === true, request.restart === true));
        return { ok: true, pid: process.pid };
      default:
        return { ok: false, error: `unknown command ${JSON.stringify(request.cmd)}` };
    }
  } catch (error) {
    return { ok: false, error: describeError(error) };
  }
}
