import { request } from 'node:http';
import { TOKEN } from './server.ts';

/** The whole-server figures of GET /stats. */
export interface ServerStats {
  connections: number;
  identified: number;
  uids: number;
  pushes: number;
  delivered: number;
  failed: number;
  broadcasts: number;
}

/**
 * One call to the push server's HTTP API; rejects on a non-2xx status or past `timeoutMs`.
 * No keep-alive agent: every socket is closed when its answer is in, so none outlives the bench.
 */
function call(port: number, method: string, path: string, body: string | undefined, timeoutMs: number): Promise<unknown> {
  return new Promise((done, fail) => {
    const req = request({
      host: '127.0.0.1', port, method, path, agent: false, timeout: timeoutMs,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-length': Buffer.byteLength(body) }) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        if ((res.statusCode ?? 0) >= 300) return fail(new Error(`${method} ${path} answered ${res.statusCode}: ${text.trim()}`));
        try {
          done(JSON.parse(text));
        } catch {
          fail(new Error(`${method} ${path} answered non-JSON: ${text.slice(0, 200)}`));
        }
      });
      res.on('error', fail);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} took over ${timeoutMs} ms`)));
    req.on('error', fail);
    req.end(body);
  });
}

/** GET /stats. */
export async function getStats(port: number, timeoutMs = 5000): Promise<ServerStats> {
  return (await call(port, 'GET', '/stats', undefined, timeoutMs)) as ServerStats;
}

/** POST /broadcast; resolves with the server's own count of connections reached. */
export async function postBroadcast(port: number, message: string, timeoutMs = 10_000): Promise<number> {
  const answer = (await call(port, 'POST', '/broadcast', message, timeoutMs)) as { delivered?: unknown };
  return typeof answer.delivered === 'number' ? answer.delivered : 0;
}
