import { get } from 'node:http';

/** One GET on a fresh connection (no keep-alive), so each request can land in a different process. */
export function httpGet(port: number, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const request = get({ host: '127.0.0.1', port, path, agent: false, timeout: 5000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => done({ status: response.statusCode ?? 0, body }));
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', fail);
  });
}
