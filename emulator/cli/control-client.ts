import { connect } from 'node:net';
import type { ControlRequest } from '../process/control-server.ts';

/** Sends one command to the running master's control socket and returns its JSON reply. */
export function askMaster<T = Record<string, unknown>>(socketPath: string, request: ControlRequest, timeoutMs: number): Promise<T & { ok: boolean; error?: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let reply = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the master did not answer "${request.cmd}" within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => (reply += chunk));
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('end', () => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(reply) as T & { ok: boolean });
      } catch {
        reject(new Error(`the master sent an unreadable reply: ${reply.slice(0, 200)}`));
      }
    });
  });
}
