import { Agent, request } from 'node:http';
import type { Broadcaster } from './bench-server.ts';

/**
 * POST /broadcast (or `path`) with a Bearer token over one kept-alive connection, so each broadcast is timed
 * without a TCP handshake in it. Rejects on a non-2xx status or past the timeout.
 */
export function httpBroadcaster(port: number, token: string, path = '/broadcast'): Broadcaster {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  return {
    close: () => agent.destroy(),
    send: (body, timeoutMs) => new Promise((done, fail) => {
      const req = request({
        host: '127.0.0.1', port, method: 'POST', path, agent, timeout: timeoutMs,
        headers: { authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(body) },
      }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => ((res.statusCode ?? 0) < 300 ? done() : fail(new Error(`POST ${path} answered ${res.statusCode}: ${text.trim()}`))));
        res.on('error', fail);
      });
      req.on('timeout', () => req.destroy(new Error(`POST ${path} took over ${timeoutMs} ms`)));
      req.on('error', fail);
      req.end(body);
    }),
  };
}
